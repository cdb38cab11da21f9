import { z } from "zod";
import { tenantSlugSchema } from "../tenants/schema";
import { planScheduleObject, refinePlanSchedule, templateSetSchema, type PlanSchedule, type TemplateSet } from "./plan-schema";

/**
 * The reminder pages' inputs: one schema per input, shared by the form (the client
 * sends exactly this shape), the server action and the preview route. They are built
 * from lib/reminders/plan-schema, so the schedule rules are the CLI's rules.
 *
 * The time zone is not an input: it is always the tenant's, added by the server.
 */

const emptyToNull = (v: unknown) => (v === undefined || v === "" ? null : v);
const bool = (v: unknown) => v === true || v === "true" || v === "on";
const id = () => z.string({ error: "v.required" }).uuid({ error: "v.invalid" });

/** The schedule fields as the form edits them: everything but the time zone. */
export const planScheduleFormObject = planScheduleObject.omit({ timezone: true });

const planInputObject = planScheduleFormObject.extend({
  id: z.preprocess(emptyToNull, id().nullable()),
  trainingId: id(),
  name: z.string({ error: "v.required" }).trim().min(1, { error: "v.required" }).max(120, { error: "v.tooLong" }),
  active: z.preprocess(bool, z.boolean()),
  templates: templateSetSchema,
  /** The explicit "I know this plan is high risk" of the person saving it. */
  confirmHighRisk: z.preprocess(bool, z.boolean()),
});

/** What savePlan (lib/reminders/service.ts) validates: the form without the tenant selector. */
export const planInputSchema = planInputObject.superRefine(refinePlanSchedule, { when: () => true });
export type PlanInput = z.output<typeof planInputSchema>;

/** Create (no id) or update (id) a reminder plan. */
export const reminderPlanFormSchema = planInputObject
  .extend({ tenantSlug: tenantSlugSchema })
  .superRefine(refinePlanSchedule, { when: () => true });

export type ReminderPlanFormInput = z.input<typeof reminderPlanFormSchema>;
export type ReminderPlanForm = z.output<typeof reminderPlanFormSchema>;

/** The schedule part of the form, for the live preview (name and training may still be empty). */
export const previewScheduleSchema = planScheduleFormObject.superRefine(refinePlanSchedule, { when: () => true });

/** The stored schedule: the form's fields plus the tenant's zone (what planScheduleSchema validates). */
export function scheduleOf(input: z.output<typeof planScheduleFormObject>, timezone: string): PlanSchedule {
  return {
    timezone,
    anchor: input.anchor,
    offsetDays: input.offsetDays,
    startDate: input.startDate,
    sendTime: input.sendTime,
    repeatEveryDays: input.repeatEveryDays,
    endDate: input.endDate,
    maxSends: input.maxSends,
    weekdaysOnly: input.weekdaysOnly,
    escalateAfterSends: input.escalateAfterSends,
    digestWeekday: input.digestWeekday,
    digestTime: input.digestTime,
  };
}

export type { PlanSchedule, TemplateSet };

// ── Trainings ────────────────────────────────────────────────────────────────

const trainingInputObject = z.object({
  id: z.preprocess(emptyToNull, id().nullable()),
  name: z.string({ error: "v.required" }).trim().min(1, { error: "v.required" }).max(200, { error: "v.tooLong" }),
  /** The learning platform's id of the training (unique per tenant when given). */
  externalId: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z.preprocess(
      emptyToNull,
      z
        .string()
        .regex(/^[\p{L}\p{N}._:/-]{1,100}$/u, { error: "plan.training.externalId" })
        .nullable(),
    ),
  ),
  /** Where a learner starts the training; only web addresses (no javascript:, mailto: …). */
  linkUrl: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z.preprocess(
      emptyToNull,
      z
        .string()
        .max(2000, { error: "v.tooLong" })
        .pipe(z.url({ protocol: /^https?$/, error: "plan.training.linkUrl" }))
        .nullable(),
    ),
  ),
});

/** What saveTraining (lib/reminders/service.ts) validates. */
export const trainingInputSchema = trainingInputObject;
export const trainingFormSchema = trainingInputObject.extend({ tenantSlug: tenantSlugSchema });

export type TrainingForm = z.output<typeof trainingFormSchema>;
