import { z } from "zod";
import { LOCALES } from "../i18n/locale";
import { emailSchema } from "../validation/email";
import { decodeLearnerCursor } from "./cursor";

/**
 * The inputs of learners, trainings, assignments and completions: ONE schema each,
 * shared by the HTTP API (app/api/v1), the CSV import, the pages' forms and the CLI,
 * and the source of the OpenAPI document. Field names are DESIGN.md's.
 * Error texts are keys of lib/validation/messages.ts.
 */

export const MAX_BATCH = 1000;

/** The learning platform's key for a record: what it puts into the URL path. */
export const externalIdSchema = z
  .string({ error: "v.required" })
  .trim()
  .min(1, { error: "v.required" })
  .max(200, { error: "v.tooLong" })
  .regex(/^[^\s/\\?#%]+$/, { error: "learners.externalId" });

const nameSchema = z.string({ error: "v.required" }).trim().min(1, { error: "v.required" }).max(200, { error: "v.tooLong" });
const optionalText = (max: number) =>
  z
    .string({ error: "v.invalid" })
    .trim()
    .max(max, { error: "v.tooLong" })
    .nullish()
    .transform((v) => (v ? v : null));

/** An ISO-8601 instant with a zone (`2026-05-04T07:30:00Z`, `…+02:00`). */
export const instantSchema = z.iso
  .datetime({ offset: true, error: "learners.instant" })
  .transform((v) => new Date(v));

const httpsUrl = z
  .url({ protocol: /^https?$/, error: "learners.link" })
  .max(2000, { error: "v.tooLong" });

/** PUT /api/v1/trainings/{externalId} */
export const trainingPutSchema = z.object({
  name: nameSchema,
  link: httpsUrl.nullish().transform((v) => v ?? null),
});
export type TrainingPut = z.output<typeof trainingPutSchema>;

/** PUT /api/v1/learners/{externalId}; also one row of a batch (with its externalId). */
export const learnerPutSchema = z.object({
  email: emailSchema,
  firstName: nameSchema,
  lastName: nameSchema,
  locale: z.enum(LOCALES, { error: "v.choice" }).nullish().transform((v) => v ?? null),
  responsibleName: optionalText(200),
  responsibleEmail: emailSchema.nullish().transform((v) => v ?? null),
  active: z.boolean({ error: "v.invalid" }).default(true),
});
export type LearnerPut = z.output<typeof learnerPutSchema>;

export const learnerRowSchema = learnerPutSchema.extend({ externalId: externalIdSchema });
export type LearnerRow = z.output<typeof learnerRowSchema>;

/** POST /api/v1/learners/batch: all rows are saved, or none. */
export const learnerBatchSchema = z.object({
  learners: z
    .array(learnerRowSchema, { error: "v.invalid" })
    .min(1, { error: "learners.batchEmpty" })
    .max(MAX_BATCH, { error: "learners.batchTooBig" }),
});
export type LearnerBatch = z.output<typeof learnerBatchSchema>;

/** PUT /api/v1/assignments/{learnerExternalId}/{trainingExternalId} */
export const assignmentPutSchema = z.object({
  assignedAt: instantSchema,
  dueAt: instantSchema.nullish().transform((v) => v ?? null),
});
export type AssignmentPut = z.output<typeof assignmentPutSchema>;

/** POST /api/v1/completions */
export const completionSchema = z.object({
  learnerExternalId: externalIdSchema,
  trainingExternalId: externalIdSchema,
  completedAt: instantSchema,
});
export type Completion = z.output<typeof completionSchema>;

/** The statuses the learner list filters by (an assignment's, or the learner's "inactive"). */
export const LEARNER_STATUSES = ["open", "overdue", "completed", "inactive"] as const;
export type LearnerStatus = (typeof LEARNER_STATUSES)[number];

/** GET /api/v1/learners and the learner list page: search, filters, keyset cursor. */
export const learnerListQuerySchema = z.object({
  q: z.string().trim().max(200, { error: "v.tooLong" }).optional().transform((v) => (v ? v : undefined)),
  training: z.string().trim().max(200, { error: "v.tooLong" }).optional().transform((v) => (v ? v : undefined)),
  status: z.enum(LEARNER_STATUSES, { error: "v.choice" }).optional(),
  cursor: z
    .string()
    .max(500, { error: "v.tooLong" })
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || decodeLearnerCursor(v) !== null, { error: "learners.cursor" }),
  limit: z.coerce.number({ error: "v.integer" }).int({ error: "v.integer" }).min(1, { error: "v.tooSmall" }).max(200, { error: "v.tooBig" }).default(50),
});
export type LearnerListQuery = z.output<typeof learnerListQuerySchema>;
