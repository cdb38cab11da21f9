import { z } from "zod";
import type { DeliveryListItem } from "../deliveries/queries";
import { DELIVERY_STATUSES } from "../deliveries/schema";
import type { AssignmentView, LearnerDetail, WriteResult, LearnerListItem, LearnerView, TrainingView } from "../learners/queries";
import { ASSIGNMENT_STATUSES } from "../learners/status";

/**
 * What the API answers, as zod schemas: the source of the OpenAPI document's response
 * schemas (io "output") and the shape the mappers below produce. Instants are ISO-8601
 * UTC strings (`2026-05-04T07:30:00.000Z`); internal ids never leave the server except a
 * delivery's own id.
 */

const instant = z.iso.datetime();
const nullableInstant = instant.nullable();

const RESULTS = ["created", "updated", "unchanged"] as const satisfies readonly WriteResult[];
const result = z.enum(RESULTS);

export const trainingOut = z.object({
  externalId: z.string(),
  name: z.string(),
  link: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
});

export const learnerOut = z.object({
  externalId: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  locale: z.enum(["de", "en"]).nullable(),
  responsibleName: z.string().nullable(),
  responsibleEmail: z.string().nullable(),
  active: z.boolean(),
  createdAt: instant,
  updatedAt: instant,
});

export const assignmentOut = z.object({
  learnerExternalId: z.string(),
  /** null only for a training created in the app without an external id. */
  trainingExternalId: z.string().nullable(),
  assignedAt: instant,
  dueAt: nullableInstant,
  completedAt: nullableInstant,
  withdrawnAt: nullableInstant,
  status: z.enum(ASSIGNMENT_STATUSES),
});

export const learnerListItemOut = learnerOut.extend({
  openCount: z.int().min(0),
  overdueCount: z.int().min(0),
  completedCount: z.int().min(0),
});

export const learnerDetailOut = learnerOut.extend({
  assignments: z.array(assignmentOut.extend({ trainingName: z.string() })),
});

export const trainingResultOut = z.object({ training: trainingOut, result });
export const learnerResultOut = z.object({ learner: learnerOut, result });
export const assignmentResultOut = z.object({ assignment: assignmentOut, result });
export const completionResultOut = z.object({ assignment: assignmentOut, result, cancelledReminders: z.int().min(0) });
export const withdrawResultOut = z.object({ withdrawn: z.boolean(), cancelledReminders: z.int().min(0) });
export const batchResultOut = z.object({
  created: z.int().min(0),
  updated: z.int().min(0),
  unchanged: z.int().min(0),
  learners: z.array(z.object({ externalId: z.string(), result })),
});
export const learnerListOut = z.object({ learners: z.array(learnerListItemOut), nextCursor: z.string().nullable() });

export const deliveryOut = z.object({
  id: z.string(),
  kind: z.enum(["reminder", "digest"]),
  status: z.enum(DELIVERY_STATUSES),
  cancelReason: z.string().nullable(),
  recipient: z.string(),
  learnerExternalId: z.string().nullable(),
  trainingExternalId: z.string().nullable(),
  planId: z.string().nullable(),
  occurrence: z.int().nullable(),
  dueAt: instant,
  sentAt: nullableInstant,
  attempts: z.int().min(0),
  updatedAt: instant,
});
export const deliveryListOut = z.object({ deliveries: z.array(deliveryOut), nextCursor: z.string().nullable() });

export const problemOut = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  errors: z.array(z.object({ field: z.string(), pointer: z.string().optional(), message: z.string() })).optional(),
});

// ── Mappers: the use cases' views → the documented JSON ──────────────────────

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

type Out<S extends z.ZodType> = z.output<S>;

export function trainingJson(v: TrainingView): Out<typeof trainingOut> {
  return { externalId: v.externalId, name: v.name, link: v.link, createdAt: iso(v.createdAt), updatedAt: iso(v.updatedAt) };
}

export function learnerJson(v: LearnerView): Out<typeof learnerOut> {
  return {
    externalId: v.externalId,
    email: v.email,
    firstName: v.firstName,
    lastName: v.lastName,
    locale: v.locale,
    responsibleName: v.responsibleName,
    responsibleEmail: v.responsibleEmail,
    active: v.active,
    createdAt: iso(v.createdAt),
    updatedAt: iso(v.updatedAt),
  };
}

export function assignmentJson(v: AssignmentView): Out<typeof assignmentOut> {
  return {
    learnerExternalId: v.learnerExternalId,
    trainingExternalId: v.trainingExternalId,
    assignedAt: iso(v.assignedAt),
    dueAt: isoOrNull(v.dueAt),
    completedAt: isoOrNull(v.completedAt),
    withdrawnAt: isoOrNull(v.withdrawnAt),
    status: v.status,
  };
}

export function learnerListItemJson(v: LearnerListItem): Out<typeof learnerListItemOut> {
  return { ...learnerJson(v), openCount: v.openCount, overdueCount: v.overdueCount, completedCount: v.completedCount };
}

export function learnerDetailJson(v: LearnerDetail): Out<typeof learnerDetailOut> {
  return { ...learnerJson(v), assignments: v.assignments.map((a) => ({ ...assignmentJson(a), trainingName: a.trainingName })) };
}

export function deliveryJson(v: DeliveryListItem): Out<typeof deliveryOut> {
  return { ...v, dueAt: iso(v.dueAt), sentAt: isoOrNull(v.sentAt), updatedAt: iso(v.updatedAt) };
}

/** "created" / "updated" / "unchanged" from a use case's flags. */
export function writeResult(data: { created?: boolean; changed: boolean }): WriteResult {
  return data.created ? "created" : data.changed ? "updated" : "unchanged";
}
