import type { PlanSchedule, TemplateSet } from "@/lib/reminders/plan-schema";

/** What the plan form holds while someone edits it: text as typed, switches as booleans. */
export interface PlanValues {
  name: string;
  trainingId: string;
  active: boolean;
  anchor: "assigned" | "due" | "fixed";
  offsetDays: string;
  startDate: string;
  sendTime: string;
  repeat: boolean;
  repeatEveryDays: string;
  endDate: string;
  maxSends: string;
  weekdaysOnly: boolean;
  escalate: boolean;
  escalateAfterSends: string;
  digestWeekday: string;
  digestTime: string;
  templates: TemplateSet;
}

const text = (v: number | string | null) => (v === null ? "" : String(v));

export function planToValues(p: { name: string; trainingId: string; active: boolean; schedule: PlanSchedule; templates: TemplateSet }): PlanValues {
  const s = p.schedule;
  return {
    name: p.name,
    trainingId: p.trainingId,
    active: p.active,
    anchor: s.anchor,
    offsetDays: String(s.offsetDays),
    startDate: text(s.startDate),
    sendTime: s.sendTime,
    repeat: s.repeatEveryDays !== null,
    repeatEveryDays: text(s.repeatEveryDays ?? 7),
    endDate: text(s.endDate),
    maxSends: text(s.maxSends),
    weekdaysOnly: s.weekdaysOnly,
    escalate: s.escalateAfterSends !== null,
    escalateAfterSends: text(s.escalateAfterSends ?? 3),
    digestWeekday: text(s.digestWeekday ?? 1),
    digestTime: text(s.digestTime ?? "09:00"),
    templates: p.templates,
  };
}

/** A number field: whole numbers as numbers, empty as null, anything else as typed (the schema names it). */
function numberOrText(v: string): number | string | null {
  const trimmed = v.trim();
  if (trimmed === "") return null;
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** The shape reminderPlanFormSchema parses (without tenantSlug, id and the confirmation). */
export function valuesToInput(v: PlanValues) {
  return {
    name: v.name,
    trainingId: v.trainingId,
    active: v.active,
    anchor: v.anchor,
    offsetDays: v.anchor === "fixed" ? 0 : numberOrText(v.offsetDays),
    startDate: v.anchor === "fixed" ? v.startDate : null,
    sendTime: v.sendTime,
    repeatEveryDays: v.repeat ? numberOrText(v.repeatEveryDays) : null,
    endDate: v.endDate,
    maxSends: v.repeat ? numberOrText(v.maxSends) : null,
    weekdaysOnly: v.weekdaysOnly,
    escalateAfterSends: v.escalate ? numberOrText(v.escalateAfterSends) : null,
    digestWeekday: v.escalate ? numberOrText(v.digestWeekday) : null,
    digestTime: v.escalate ? v.digestTime : null,
    templates: v.templates,
  };
}

/**
 * The form after applying one of the spam meter's remedies. "Add a variant" draws the
 * first starter text not yet in use, so the new variant really differs (an identical
 * copy would count as the same text); languages without texts stay without.
 */
export function applyRemedy(v: PlanValues, kind: "addVariant" | "repeatWeekly" | "escalateAfter3" | "maxFive", starters: TemplateSet): PlanValues {
  switch (kind) {
    case "repeatWeekly":
      return { ...v, repeat: true, repeatEveryDays: "7" };
    case "escalateAfter3":
      return { ...v, escalate: true, escalateAfterSends: "3" };
    case "maxFive":
      return { ...v, repeat: true, maxSends: "5" };
    case "addVariant": {
      const templates = { ...v.templates };
      for (const locale of ["de", "en"] as const) {
        const list = templates[locale];
        if (list.length === 0 || list.length >= 3) continue;
        const same = (a: { subject: string; body: string }, b: { subject: string; body: string }) =>
          a.subject.trim() === b.subject.trim() && a.body.trim() === b.body.trim();
        const fresh = starters[locale].find((s) => !list.some((l) => same(l, s)));
        templates[locale] = [...list, { ...(fresh ?? list[list.length - 1]!) }];
      }
      return { ...v, templates };
    }
  }
}
