import { z } from "zod";
import { dayFromIso, isoFromDay, isValidTimeZone } from "./local-time";
import type { Localized } from "../i18n/locale";
import { checkTemplateText } from "./templates";
import { localizedIssue } from "../validation/localize";

/**
 * The one schema of a reminder plan's schedule, shared by the form, the server action,
 * the CLI and the API. Messages are keys of lib/validation/messages.ts (`v.*`) or of
 * lib/validation/catalog/reminders.ts (`plan.*`); cross-field rules carry their placeholders in
 * `params`. Optional fields may be absent, null or "" (an emptied form field); all
 * three become null.
 *
 * Composition: `planScheduleObject` is the plain object (extend it with name, active,
 * templates …) and `refinePlanSchedule` adds the cross-field rules; zod 4 refuses to
 * extend an object that already carries refinements, hence the two parts.
 */

export const ANCHORS = ["assigned", "due", "fixed"] as const;
export type Anchor = (typeof ANCHORS)[number];

/** The end date may lie at most this many days after the first send date D0. */
export const MAX_PLAN_DAYS = 365;
export const MAX_SENDS = 50;
export const MAX_VARIANTS = 3;

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

const emptyToNull = (v: unknown) => (v === undefined || v === "" ? null : v);

function orNull<T extends z.ZodType>(schema: T) {
  return z.preprocess(emptyToNull, schema.nullable());
}

const wholeNumber = () => z.number({ error: "v.integer" }).int({ error: "v.integer" });
const dateString = () => z.iso.date({ error: "v.date" });
const timeString = () => z.string({ error: "v.time" }).regex(TIME_RE, { error: "v.time" });

export const planScheduleObject = z.object({
  timezone: z
    .string({ error: "v.required" })
    .min(1, { error: "v.required" })
    .refine(isValidTimeZone, { error: "v.timezone" }),
  anchor: z.enum(ANCHORS, { error: "v.choice" }),
  /** Days after the assignment (assigned) or before the due date (due); unused for fixed. */
  offsetDays: z.preprocess(
    (v) => (v === null || v === "" ? undefined : v),
    wholeNumber().min(0, { error: "v.tooSmall" }).max(MAX_PLAN_DAYS, { error: "v.tooBig" }).default(0),
  ),
  startDate: orNull(dateString()),
  sendTime: timeString(),
  repeatEveryDays: orNull(wholeNumber().min(1, { error: "v.tooSmall" }).max(MAX_PLAN_DAYS, { error: "v.tooBig" })),
  endDate: orNull(dateString()),
  maxSends: orNull(wholeNumber().min(1, { error: "v.tooSmall" }).max(MAX_SENDS, { error: "v.tooBig" })),
  weekdaysOnly: z.preprocess((v) => v ?? false, z.boolean({ error: "v.invalid" })),
  escalateAfterSends: orNull(wholeNumber().min(1, { error: "v.tooSmall" }).max(MAX_SENDS, { error: "v.tooBig" })),
  /** ISO weekday of the responsible person's digest: 1 = Monday … 7 = Sunday. */
  digestWeekday: orNull(wholeNumber().min(1, { error: "plan.weekday" }).max(7, { error: "plan.weekday" })),
  digestTime: orNull(timeString()),
});

type Ctx = z.core.$RefinementCtx<unknown>;

function flag(ctx: Ctx, field: string, message: string, params?: Record<string, string | number>) {
  ctx.addIssue({ code: "custom", path: [field], message, ...(params ? { params } : {}), input: undefined });
}

const isDate = (v: unknown): v is string => typeof v === "string" && z.iso.date().safeParse(v).success;
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/**
 * The cross-field rules. It runs even when single fields are invalid (so a form shows
 * every problem at once), hence it inspects the values defensively.
 */
export function refinePlanSchedule(value: unknown, ctx: Ctx): void {
  const v = (value ?? {}) as Record<string, unknown>;
  const repeating = isInt(v.repeatEveryDays);
  const escalating = isInt(v.escalateAfterSends);
  const present = (k: string) => v[k] !== null && v[k] !== undefined && v[k] !== "";

  if (v.anchor === "fixed" && !present("startDate")) flag(ctx, "startDate", "plan.startDateRequired");
  if (repeating && !present("endDate")) flag(ctx, "endDate", "plan.endDateRequired");
  else if (escalating && !present("endDate")) flag(ctx, "endDate", "plan.endDateRequiredForDigest");
  if (escalating && !present("digestWeekday")) flag(ctx, "digestWeekday", "plan.digestWeekdayRequired");
  if (escalating && !present("digestTime")) flag(ctx, "digestTime", "plan.digestTimeRequired");

  // For a fixed start D0 is known here; for assigned/due it depends on the assignment
  // and the engine caps the end date instead (with a note).
  let occurrences = Infinity;
  if (v.anchor === "fixed" && isDate(v.startDate) && isDate(v.endDate)) {
    const start = dayFromIso(v.startDate);
    const end = dayFromIso(v.endDate);
    if (end < start) flag(ctx, "endDate", "plan.endBeforeStart", { startDate: v.startDate });
    else if (end > start + MAX_PLAN_DAYS) {
      flag(ctx, "endDate", "plan.endDateTooFar", { latest: isoFromDay(start + MAX_PLAN_DAYS) });
    } else if (repeating) occurrences = Math.floor((end - start) / (v.repeatEveryDays as number)) + 1;
  }

  if (escalating) {
    const k = v.escalateAfterSends as number;
    const max = Math.min(
      repeating ? Infinity : 1,
      isInt(v.maxSends) ? v.maxSends : Infinity,
      occurrences,
    );
    if (k > max) flag(ctx, "escalateAfterSends", "plan.escalateNeverReached", { k, max });
  }
}

export const planScheduleSchema = planScheduleObject.superRefine(refinePlanSchedule, { when: () => true });

/** A validated schedule: what the engine computes with. */
export type PlanSchedule = z.output<typeof planScheduleObject>;
/** What a form or a JSON file may hand in. */
export type PlanScheduleInput = z.input<typeof planScheduleObject>;

// ── Assignment ────────────────────────────────────────────────────────────────

const instant = () =>
  orNull(
    z.iso.datetime({ offset: true, error: "plan.instant" }).transform((s) => new Date(s)),
  );

/** An assignment's instants as they come from JSON (ISO-8601 with Z or an offset). */
export const assignmentSchema = z.object({
  assignedAt: instant(),
  dueAt: instant(),
  completedAt: instant(),
});

export type AssignmentTimes = z.output<typeof assignmentSchema>;

// ── Templates ─────────────────────────────────────────────────────────────────

function placeholderCheck(text: string, ctx: z.core.$RefinementCtx<string>) {
  for (const problem of checkTemplateText(text)) {
    ctx.addIssue({ code: "custom", message: problem.key, params: problem.params, input: text });
  }
}

export const templateVariantSchema = z.object({
  subject: z
    .string({ error: "v.required" })
    .trim()
    .min(1, { error: "v.required" })
    .max(200, { error: "v.tooLong" })
    .refine((s) => !/[\r\n]/.test(s), { error: "plan.template.subjectOneLine" })
    .superRefine(placeholderCheck),
  body: z
    .string({ error: "v.required" })
    .trim()
    .min(1, { error: "v.required" })
    .max(5000, { error: "v.tooLong" })
    .superRefine(placeholderCheck),
});

const variantList = () =>
  z.preprocess(
    (v) => v ?? [],
    z.array(templateVariantSchema).max(MAX_VARIANTS, { error: "plan.template.tooManyVariants" }),
  );

/**
 * Subject and body per locale, 0–3 variants each, at least one variant in total.
 * Nested as `templates` in a form, its issues sit at e.g. `templates.de.1.body`
 * (indexes count from 0, like every zod path).
 */
export const templateSetSchema = z
  .object({ de: variantList(), en: variantList() })
  .superRefine(
    (set, ctx) => {
      const de = Array.isArray(set?.de) ? set.de.length : 0;
      const en = Array.isArray(set?.en) ? set.en.length : 0;
      if (de + en === 0) ctx.addIssue({ code: "custom", path: ["de"], message: "plan.template.noLocale", input: set });
    },
    { when: () => true },
  );

export type TemplateVariant = z.output<typeof templateVariantSchema>;
export type TemplateSet = z.output<typeof templateSetSchema>;
export type TemplateSetInput = z.input<typeof templateSetSchema>;

export interface TemplateFieldError {
  /** Form path, e.g. "templates.de.1.body" (variant index from 0). */
  field: string;
  /** Message key (lib/validation/catalog/reminders.ts or lib/validation/messages.ts). */
  key: string;
  params: Record<string, string | number>;
  /** The unknown placeholder and the one probably meant, when that is the problem. */
  variable?: string;
  suggestion?: string;
  message: Localized;
}

/** Every problem of a template set, each naming its field; empty when it can be saved. */
export function validateTemplates(input: unknown): TemplateFieldError[] {
  const parsed = z.object({ templates: templateSetSchema }).safeParse({ templates: input });
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const params: Record<string, string | number> = {};
    if ("params" in issue && issue.params && typeof issue.params === "object") {
      for (const [k, v] of Object.entries(issue.params as Record<string, unknown>)) {
        if (typeof v === "string" || typeof v === "number") params[k] = v;
      }
    }
    const error: TemplateFieldError = {
      field: issue.path.map(String).join("."),
      key: issue.message,
      params,
      message: localizedIssue(issue),
    };
    if (issue.message.startsWith("plan.template.unknownVariable") && typeof params.name === "string") {
      error.variable = params.name;
      if (typeof params.suggestion === "string") error.suggestion = params.suggestion;
    }
    return error;
  });
}
