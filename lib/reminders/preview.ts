import { DateTime } from "luxon";
import { interpolate, LOCALES, type Locale } from "../i18n/locale";
import { localizeIssue } from "../validation/localize";
import { templateVariantSchema, type PlanSchedule, type TemplateSet } from "./plan-schema";
import { noteText, summarizeSchedule } from "./notes-text";
import { computeSchedule } from "./schedule";
import { assessCombinedSpamRisk, type PlanForRisk, type SpamRiskLevel } from "./spam-risk";
import {
  chooseTemplateLocale,
  renderVariant,
  sampleMailContext,
  templateVariables,
  variantIndexFor,
} from "./templates";

/**
 * The plan editor's live preview as plain data in one language: the sends of a sample
 * learner (reminders with their variant, the escalation, the digests) in the tenant's
 * local time, the count sentence, the engine's notes, the spam-risk meter and each
 * template variant rendered with sample data. Pure: the clock comes in.
 */

export interface SampleLearner {
  /** Local date of the assignment (ISO); null = today. */
  assignedDate: string | null;
  /** Due this many days after the assignment date; null = no due date. */
  dueInDays: number | null;
  /** The learner's language; null = the tenant's. */
  locale: Locale | null;
}

export interface PreviewContext {
  tenantName: string;
  tenantLocale: Locale;
  trainingName: string | null;
  trainingLink: string | null;
}

export interface PreviewEvent {
  kind: "reminder" | "escalation" | "digest";
  at: string;
  date: string;
  time: string;
  /** Reminder number (reminders) or the reminder after which escalation happens. */
  number?: number;
  /** 1-based variant in the learner's language. */
  variant?: number;
  /** The planned date, when the weekend rule moved it. */
  movedFrom?: string;
}

export type PreviewMail =
  | { locale: Locale; variant: number; usedBy: number[]; subject: string; text: string; html: string }
  | { locale: Locale; variant: number; usedBy: number[]; errors: string[] };

export interface RiskView {
  level: SpamRiskLevel;
  summary: string;
  reasons: string[];
  remedies: string[];
  mails: number;
  variants: number;
  spanDays: number;
  /** Every active plan of the training counted together (the level above is this total). */
  combined: {
    /** Active plans counted, this one included (1 = this plan alone). */
    plans: number;
    /** This plan rated alone. */
    aloneLevel: SpamRiskLevel;
    aloneSummary: string;
    /** Other active plans whose send periods intersect this one's: the editor warns. */
    overlapping: { id: string; name: string; from: string; to: string }[];
  };
}

export interface PlanPreview {
  learner: { assignedAt: string; assignedLabel: string; dueAt: string | null; dueLabel: string | null; locale: Locale };
  summary: string;
  notes: string[];
  events: PreviewEvent[];
  risk: RiskView;
  mails: PreviewMail[];
}

const INTL: Record<Locale, string> = { de: "de-DE", en: "en-GB" };

export function formatLocalDate(at: Date, timezone: string, locale: Locale): string {
  return DateTime.fromJSDate(at, { zone: timezone })
    .setLocale(INTL[locale])
    .toLocaleString({ weekday: "short", day: "2-digit", month: "2-digit", year: "numeric" });
}

function formatLocalTime(at: Date, timezone: string): string {
  const dt = DateTime.fromJSDate(at, { zone: timezone });
  return `${dt.toFormat("HH:mm")} ${dt.offsetNameShort ?? dt.toFormat("ZZ")}`;
}

/** Whatever the form holds, as variant lists (the strict check happens per variant). */
export function looseTemplates(raw: unknown): TemplateSet {
  const out: TemplateSet = { de: [], en: [] };
  const set = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  for (const locale of LOCALES) {
    const list = Array.isArray(set[locale]) ? (set[locale] as unknown[]) : [];
    out[locale] = list.slice(0, 3).map((v) => {
      const variant = (v && typeof v === "object" ? v : {}) as Record<string, unknown>;
      return {
        subject: typeof variant.subject === "string" ? variant.subject : "",
        body: typeof variant.body === "string" ? variant.body : "",
      };
    });
  }
  return out;
}

/** The sample learner's instants: assigned at the current local time on the chosen date, due at noon N days later. */
export function sampleAssignment(timezone: string, now: Date, sample: SampleLearner) {
  const today = DateTime.fromJSDate(now, { zone: timezone });
  let assigned = today;
  if (sample.assignedDate) {
    const day = DateTime.fromISO(sample.assignedDate, { zone: timezone });
    if (day.isValid) assigned = day.set({ hour: today.hour, minute: today.minute, second: 0, millisecond: 0 });
  }
  const due =
    sample.dueInDays === null
      ? null
      : assigned.startOf("day").plus({ days: sample.dueInDays }).set({ hour: 12 });
  return { assignedAt: assigned.toJSDate(), dueAt: due ? due.toJSDate() : null, completedAt: null };
}

export function buildPlanPreview(params: {
  schedule: PlanSchedule;
  templates: unknown;
  sample: SampleLearner;
  context: PreviewContext;
  locale: Locale;
  now: Date;
  /** The training's other active plans (not this plan's stored version): the meter counts them too. */
  otherActivePlans?: readonly PlanForRisk[];
  /** The plan being edited (null for a new one) and whether it will be active. */
  plan?: { id: string | null; name: string; active: boolean };
}): PlanPreview {
  const { schedule, context, locale, now } = params;
  const tz = schedule.timezone;
  const set = looseTemplates(params.templates);
  const assignment = sampleAssignment(tz, now, params.sample);
  const result = computeSchedule(schedule, assignment, { now });

  const learnerLocale = params.sample.locale ?? context.tenantLocale;
  const mailLocale = chooseTemplateLocale(set, learnerLocale, context.tenantLocale) ?? learnerLocale;
  const variantCount = Math.max(1, set[mailLocale].length);

  const events: PreviewEvent[] = result.details.map((d) => ({
    kind: "reminder" as const,
    at: d.at.toISOString(),
    date: formatLocalDate(d.at, tz, locale),
    time: formatLocalTime(d.at, tz),
    number: d.number,
    variant: variantIndexFor(d.number, variantCount) + 1,
    ...(d.plannedDate !== d.localDate
      ? { movedFrom: formatLocalDate(DateTime.fromISO(d.plannedDate, { zone: tz }).set({ hour: 12 }).toJSDate(), tz, locale) }
      : {}),
  }));
  if (result.escalated && schedule.escalateAfterSends !== null) {
    const last = result.details[schedule.escalateAfterSends - 1]!;
    events.push({
      kind: "escalation",
      at: new Date(last.at.getTime() + 1).toISOString(),
      date: formatLocalDate(last.at, tz, locale),
      time: formatLocalTime(last.at, tz),
      number: last.number,
    });
  }
  for (const at of result.digests) {
    events.push({ kind: "digest", at: at.toISOString(), date: formatLocalDate(at, tz, locale), time: formatLocalTime(at, tz) });
  }
  events.sort((a, b) => a.at.localeCompare(b.at));

  const others = params.plan?.active === false ? [] : (params.otherActivePlans ?? []);
  const spam = assessCombinedSpamRisk(
    { id: params.plan?.id ?? null, name: params.plan?.name ?? "", schedule, templates: set },
    others,
    { now },
  );
  const risk = spam.risk;
  const total = result.reminders.length;

  const mails: PreviewMail[] = [];
  for (const l of LOCALES) {
    set[l].forEach((variant, index) => {
      const usedBy =
        l === mailLocale
          ? result.details.filter((d) => variantIndexFor(d.number, set[l].length) === index).map((d) => d.number)
          : [];
      const parsed = templateVariantSchema.safeParse(variant);
      if (!parsed.success) {
        mails.push({ locale: l, variant: index + 1, usedBy, errors: parsed.error.issues.map((i) => localizeIssue(i, locale)) });
        return;
      }
      const first = result.details.find((d) => d.number === usedBy[0]);
      const base = sampleMailContext(l, { now, timezone: tz });
      const ctx = {
        ...base,
        tenantName: context.tenantName,
        trainingName: context.trainingName || base.trainingName,
        trainingLink: context.trainingLink || base.trainingLink,
        dueAt: assignment.dueAt,
        sendAt: first?.at ?? now,
        reminderNumber: first?.number ?? index + 1,
        reminderTotal: Math.max(total, first?.number ?? index + 1),
      };
      const rendered = renderVariant(parsed.data, templateVariables(ctx, l), l);
      mails.push({ locale: l, variant: index + 1, usedBy, ...rendered });
    });
  }

  return {
    learner: {
      assignedAt: assignment.assignedAt.toISOString(),
      assignedLabel: `${formatLocalDate(assignment.assignedAt, tz, locale)} ${formatLocalTime(assignment.assignedAt, tz)}`,
      dueAt: assignment.dueAt ? assignment.dueAt.toISOString() : null,
      dueLabel: assignment.dueAt ? formatLocalDate(assignment.dueAt, tz, locale) : null,
      locale: mailLocale,
    },
    summary: summarizeSchedule(result, variantCount)[locale],
    notes: result.notes.filter((n) => n.code !== "assumedAssignedNow").map((n) => noteText(n, locale)),
    events,
    risk: {
      level: risk.level,
      summary: risk.summary[locale],
      reasons: risk.reasons.map((r) => r[locale]),
      remedies: risk.remedies.map((r) => r[locale]),
      mails: risk.mails,
      variants: risk.variants,
      spanDays: risk.spanDays,
      combined: {
        plans: spam.plans,
        aloneLevel: spam.alone.level,
        aloneSummary: spam.alone.summary[locale],
        overlapping: spam.overlapping,
      },
    },
    mails,
  };
}

// ── One line per plan, for lists ─────────────────────────────────────────────

const WEEKDAYS: Record<Locale, string[]> = {
  de: ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
  en: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
};

export function weekdayName(isoWeekday: number, locale: Locale): string {
  return WEEKDAYS[locale][isoWeekday - 1] ?? "";
}

function isoDateLabel(iso: string, locale: Locale): string {
  if (locale === "en") return iso;
  const [y, m, d] = iso.split("-");
  return `${d}.${m}.${y}`;
}

/** "1 day after the assignment at 08:30, every 7 days until 2026-06-30, at most 5, weekdays only, escalate after 3". */
export function describeSchedule(s: PlanSchedule, locale: Locale): string {
  const de = locale === "de";
  const days = (n: number) => (de ? (n === 1 ? "1 Tag" : `${n} Tage`) : n === 1 ? "1 day" : `${n} days`);
  let start: string;
  if (s.anchor === "fixed") start = de ? `ab ${s.startDate ? isoDateLabel(s.startDate, locale) : "?"}` : `from ${s.startDate ?? "?"}`;
  else if (s.anchor === "assigned")
    start =
      s.offsetDays === 0
        ? de
          ? "am Tag der Zuweisung"
          : "on the day of the assignment"
        : de
          ? `${days(s.offsetDays)} nach der Zuweisung`
          : `${days(s.offsetDays)} after the assignment`;
  else
    start =
      s.offsetDays === 0
        ? de
          ? "am Fälligkeitstag"
          : "on the due date"
        : de
          ? `${days(s.offsetDays)} vor der Fälligkeit`
          : `${days(s.offsetDays)} before the due date`;
  const parts = [interpolate(de ? "{start} um {time}" : "{start} at {time}", { start, time: s.sendTime })];
  if (s.repeatEveryDays === null) parts.push(de ? "einmalig" : "once");
  else {
    const every = s.repeatEveryDays === 1 ? (de ? "täglich" : "every day") : de ? `alle ${s.repeatEveryDays} Tage` : `every ${s.repeatEveryDays} days`;
    parts.push(s.endDate ? `${every} ${de ? "bis" : "until"} ${isoDateLabel(s.endDate, locale)}` : every);
  }
  if (s.maxSends !== null) parts.push(de ? `höchstens ${s.maxSends}` : `at most ${s.maxSends}`);
  if (s.weekdaysOnly) parts.push(de ? "nur werktags" : "weekdays only");
  if (s.escalateAfterSends !== null) {
    parts.push(de ? `Eskalation nach ${s.escalateAfterSends}` : `escalate after ${s.escalateAfterSends}`);
  }
  return parts.join(", ");
}
