/**
 * Spam-risk meter of a reminder plan.
 *
 * Rule: take the worst case for one learner — never completes, assigned so that the
 * plan runs as long as it can (fixed: from the start date; assigned/due: first date
 * today when the clock is known, never earlier than 365 days before the end date).
 *   N   = reminders that learner gets (digests go to the responsible person, not counted)
 *   V   = distinct template variants (the fewest among the languages in use; at least 1)
 *   R   = ⌈N / V⌉, how often the same text arrives
 *   gap = days between consecutive reminders (minimum and median)
 * high   when N ≥ 12, or R ≥ 5, or N ≥ 5 with a median gap under 2 days;
 * low    when N ≤ 2, or N ≤ 6 with R ≤ 2 and every gap at least 3 days;
 * medium otherwise.
 * Remedies offered: add a variant (V < 3 and a text repeats), repeat every 7 days
 * (gaps under 7), escalate after 3 (N > 3 and no earlier escalation), at most 5 sends
 * (N > 5) — each only where it would lower the risk.
 */
import type { Localized } from "../i18n/locale";
import { dayFromIso, isoFromDay, localDay, MemoizedZone, type DayNumber } from "./local-time";
import { MAX_PLAN_DAYS, type PlanSchedule, type TemplateSet } from "./plan-schema";
import { computeSchedule, type ScheduleResult } from "./schedule";
import { distinctVariantCount } from "./templates";

export type SpamRiskLevel = "low" | "medium" | "high";

export interface SpamRisk {
  level: SpamRiskLevel;
  /** Reminders one learner can receive (worst case). */
  mails: number;
  /** Days from the first to the last of them. */
  spanDays: number;
  minGapDays: number | null;
  medianGapDays: number | null;
  variants: number;
  /** How often the same text can arrive. */
  sameTextMax: number;
  reasons: Localized[];
  remedies: Localized[];
  /** One line for the meter: "High: up to 60 reminders in 59 days, 1 variant". */
  summary: Localized;
}

const NO_ASSIGNMENT = { assignedAt: null, dueAt: null, completedAt: null };
/** A Monday, for plans whose first date depends on nothing (single reminder, no end, no clock). */
const REFERENCE_DAY = dayFromIso("2026-01-05");

/** The schedule of the learner who gets the most reminders from this plan. */
export function worstCaseSchedule(plan: PlanSchedule, options: { now?: Date } = {}): ScheduleResult {
  if (plan.anchor === "fixed") return computeSchedule(plan, NO_ASSIGNMENT);
  const today = options.now ? localDay(MemoizedZone.for(plan.timezone), options.now.getTime()) : null;
  const earliest = today === null ? null : today + (plan.anchor === "assigned" ? plan.offsetDays : 0);
  let d0: DayNumber;
  if (plan.endDate) {
    d0 = dayFromIso(plan.endDate) - MAX_PLAN_DAYS;
    if (earliest !== null) d0 = Math.max(d0, earliest);
  } else {
    d0 = earliest ?? REFERENCE_DAY;
  }
  return computeSchedule({ ...plan, anchor: "fixed", startDate: isoFromDay(d0) }, NO_ASSIGNMENT);
}

const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
const everyDe = (days: number) => (days === 1 ? "täglich" : `alle ${days} Tage`);
const everyEn = (days: number) => (days === 1 ? "every day" : `every ${days} days`);

export function assessSpamRisk(plan: PlanSchedule, variantCount: number, options: { now?: Date } = {}): SpamRisk {
  return rateSends(worstCaseDays(plan, options), variantCount, plan);
}

function worstCaseDays(plan: PlanSchedule, options: { now?: Date }): DayNumber[] {
  return worstCaseSchedule(plan, options).details.map((d) => dayFromIso(d.localDate));
}

/** Rates the sends one learner gets (local days, sorted); remedies are phrased for `plan`. */
function rateSends(days: DayNumber[], variantCount: number, plan: PlanSchedule): SpamRisk {
  const mails = days.length;
  const gaps = days.slice(1).map((day, i) => day - days[i]!);
  const sorted = [...gaps].sort((a, b) => a - b);
  const minGap = sorted.length ? sorted[0]! : null;
  const medianGap = sorted.length
    ? sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]!
      : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2
    : null;
  const variants = Math.max(1, variantCount);
  const sameTextMax = Math.ceil(mails / variants);
  const spanDays = mails ? days[days.length - 1]! - days[0]! : 0;

  const manyMails = mails >= 12;
  const sameTextOften = sameTextMax >= 5;
  const dailyBurst = mails >= 5 && medianGap !== null && medianGap < 2;
  let level: SpamRiskLevel;
  if (manyMails || sameTextOften || dailyBurst) level = "high";
  else if (mails <= 2 || (mails <= 6 && sameTextMax <= 2 && (minGap ?? Infinity) >= 3)) level = "low";
  else level = "medium";

  const reasons: Localized[] = [];
  if (level === "low") {
    reasons.push(
      mails === 0
        ? { de: "Mit diesen Daten geht keine Erinnerung raus.", en: "With these dates no reminder goes out." }
        : {
            de: `Wenige Erinnerungen (höchstens ${mails}) mit genug Abstand und abwechslungsreichem Text.`,
            en: `Few reminders (at most ${mails}), well spaced, with varied text.`,
          },
    );
  } else {
    if (level === "high" ? manyMails : mails > 6) {
      reasons.push({
        de: `Eine Person kann bis zu ${n(mails, "Erinnerung", "Erinnerungen")} in ${n(spanDays, "Tag", "Tagen")} bekommen.`,
        en: `One learner can get up to ${n(mails, "reminder", "reminders")} in ${n(spanDays, "day", "days")}.`,
      });
    }
    if (level === "high" ? sameTextOften : sameTextMax > 2) {
      reasons.push({
        de: `Derselbe Text kommt bis zu ${sameTextMax}-mal an (${n(variants, "Variante", "Varianten")}); gleichförmige Mails werden mit jeder Zustellung eher als Spam eingestuft.`,
        en: `The same text arrives up to ${sameTextMax} times (${n(variants, "variant", "variants")}); uniform mails look more like spam with every delivery.`,
      });
    }
    if (minGap !== null && (level === "high" ? dailyBurst : minGap < 3)) {
      const typical = medianGap !== null && medianGap !== minGap ? Math.round(medianGap) : null;
      reasons.push({
        de: `Die Erinnerungen kommen bis zu ${everyDe(minGap)}${typical ? ` (meist ${everyDe(typical)})` : ""}.`,
        en: `The reminders come as often as ${everyEn(minGap)}${typical ? ` (typically ${everyEn(typical)})` : ""}.`,
      });
    }
  }

  const remedies: Localized[] = [];
  if (level !== "low") {
    if (variants < 3 && sameTextMax > 1) {
      remedies.push({
        de: `Eine Variante hinzufügen (${variants} von 3), damit nicht jede Mail gleich aussieht.`,
        en: `Add a variant (${variants} of 3), so that the mails do not all look the same.`,
      });
    }
    const repeat = plan.repeatEveryDays;
    if (repeat !== null && repeat < 7 && mails > 2) {
      remedies.push(
        repeat === 1
          ? { de: "Alle 7 Tage statt täglich wiederholen.", en: "Repeat every 7 days instead of every day." }
          : { de: `Alle 7 statt alle ${repeat} Tage wiederholen.`, en: `Repeat every 7 instead of every ${repeat} days.` },
      );
    }
    if (mails > 3 && (plan.escalateAfterSends === null || plan.escalateAfterSends > 3)) {
      remedies.push({
        de: "Nach 3 Erinnerungen eskalieren: Dann sieht die verantwortliche Person die Person in einer wöchentlichen Übersicht, statt dass weitere Mails kommen.",
        en: "Escalate after 3 reminders: the responsible person then sees the learner in a weekly overview instead of more mail going out.",
      });
    }
    if (mails > 5) {
      remedies.push({
        de: "Höchstens 5 Erinnerungen verschicken (maximale Anzahl) oder das Enddatum früher legen.",
        en: "Send at most 5 reminders (maximum number of sends) or move the end date earlier.",
      });
    }
  }

  const label = {
    low: { de: "Niedrig", en: "Low" },
    medium: { de: "Mittel", en: "Medium" },
    high: { de: "Hoch", en: "High" },
  }[level];
  const summary: Localized = {
    de: `${label.de}: bis zu ${n(mails, "Erinnerung", "Erinnerungen")}${mails > 1 ? ` in ${n(spanDays, "Tag", "Tagen")}` : ""}, ${n(variants, "Variante", "Varianten")}`,
    en: `${label.en}: up to ${n(mails, "reminder", "reminders")}${mails > 1 ? ` in ${n(spanDays, "day", "days")}` : ""}, ${n(variants, "variant", "variants")}`,
  };

  return {
    level,
    mails,
    spanDays,
    minGapDays: minGap,
    medianGapDays: medianGap,
    variants,
    sameTextMax,
    reasons,
    remedies,
    summary,
  };
}

/** One active plan of a training, as the combined meter sees it. */
export interface PlanForRisk {
  id: string | null;
  name: string;
  schedule: PlanSchedule;
  templates: TemplateSet;
}

export interface CombinedSpamRisk {
  /** The rating of the union of all active plans' sends (the plan being saved included). */
  risk: SpamRisk;
  /** The plan being saved rated alone (what the meter showed before plans were combined). */
  alone: SpamRisk;
  /** How many active plans were combined (1 = only the plan being saved). */
  plans: number;
  /** Other active plans whose send periods intersect this plan's. */
  overlapping: { id: string; name: string; from: string; to: string }[];
}

/**
 * The meter for a learner of one training: every active plan of the training sends to
 * the same person, so the worst case is the union of their sends (issue 9 item 7: a
 * plan with 3 mails rated alone while a second active plan adds 20). Each plan's worst
 * case is taken as if one learner met all of them: an upper bound, which is the side a
 * spam meter must err on. Texts: the distinct variants of all plans together.
 * `plan` is the one being saved (its new values); `others` the training's other active
 * plans (the caller leaves out inactive ones and the stored version of `plan`).
 */
export function assessCombinedSpamRisk(
  plan: PlanForRisk,
  others: readonly PlanForRisk[],
  options: { now?: Date } = {},
): CombinedSpamRisk {
  const own = worstCaseDays(plan.schedule, options);
  const alone = rateSends(own, distinctVariantCount(plan.templates), plan.schedule);
  if (others.length === 0) return { risk: alone, alone, plans: 1, overlapping: [] };
  const all = [...own];
  const merged: TemplateSet = { de: [...plan.templates.de], en: [...plan.templates.en] };
  const overlapping: CombinedSpamRisk["overlapping"] = [];
  for (const other of others) {
    const days = worstCaseDays(other.schedule, options);
    all.push(...days);
    merged.de.push(...other.templates.de);
    merged.en.push(...other.templates.en);
    if (own.length && days.length && days[0]! <= own[own.length - 1]! && own[0]! <= days[days.length - 1]!) {
      overlapping.push({ id: other.id ?? "", name: other.name, from: isoFromDay(days[0]!), to: isoFromDay(days[days.length - 1]!) });
    }
  }
  all.sort((a, b) => a - b);
  const risk = rateSends(all, distinctVariantCount(merged), plan.schedule);
  const plans = others.length + 1;
  risk.reasons.unshift({
    de: `${plans} aktive Pläne dieser Schulung schreiben derselben Person; gezählt wird alles zusammen.`,
    en: `${plans} active plans of this training write to the same learner; everything is counted together.`,
  });
  return { risk, alone, plans, overlapping };
}
