import { interpolate, type Localized } from "../i18n/locale";
import {
  dayFromIso,
  isoFromDay,
  isoWeekday,
  localDay,
  MemoizedZone,
  minutesFromTime,
  timeFromMinutes,
  wallClockToInstant,
  type DayNumber,
} from "./local-time";
import { MAX_PLAN_DAYS, type AssignmentTimes, type PlanSchedule } from "./plan-schema";
import { variantIndexFor } from "./templates";

/**
 * The schedule engine: which reminders and digests one assignment of a plan gets.
 * Semantics: DESIGN.md "Reminder plans and schedule semantics". The decisions that
 * page leaves open:
 *
 * - D0 is the first *planned* date (assigned: local date of assignedAt + offsetDays;
 *   due: local date of dueAt − offsetDays; fixed: startDate). Occurrence k is planned
 *   on D0 + k·repeatEveryDays up to the end date (inclusive). For assigned/due the end
 *   date is capped at D0 + 365 days, with a note (for fixed the schema refuses it).
 * - weekdaysOnly moves Saturday/Sunday to the next Monday; a move past the end date
 *   drops the occurrence; a Monday that already has one keeps a single reminder.
 * - An occurrence whose instant is before assignedAt is dropped and does NOT count:
 *   neither towards maxSends nor towards the numbering. "Reminder 1" is always the
 *   first mail the learner actually gets, and maxSends caps what one learner receives.
 *   The numbering is therefore the index among the sends made, and a completion only
 *   cuts the series' tail, so the numbers of already-sent reminders never change.
 * - An instant at or after completedAt stops the series; so does reaching maxSends or
 *   escalateAfterSends, whichever comes first.
 * - Escalation happens when the K-th reminder went out (K = escalateAfterSends): no
 *   further reminders, and the learner appears in the responsible person's digests on
 *   the digest weekday/time from after that reminder until the (capped) end date,
 *   never at or after completion. Digests ignore weekdaysOnly: their weekday is chosen.
 * - Without assignedAt the clock (`options.now`) stands in for it: a preview of a
 *   learner assigned now. Without either, anchor `assigned` yields nothing (with a note)
 *   and the other anchors have no lower bound.
 *
 * Cost: one luxon wall-clock conversion per planned date (a few microseconds), with
 * the zone's offsets memoized per year (see MemoizedZone); a daily plan over 365 days
 * takes about a millisecond (schedule.bench.ts).
 */

export type NoteCode =
  | "noAssignmentDate"
  | "assumedAssignedNow"
  | "noDueDate"
  | "noStartDate"
  | "noEndDate"
  | "endDateCapped"
  | "endsBeforeStart"
  | "beforeAssignment"
  | "weekendMoved"
  | "weekendMerged"
  | "movedPastEnd"
  | "dstGap"
  | "dstRepeated"
  | "stoppedAtCompletion"
  | "cappedByMaxSends"
  | "escalated"
  | "escalationNotReached"
  | "digestNotConfigured";

export interface ScheduleNote {
  code: NoteCode;
  text: Localized;
  /** The numbers and ISO dates in the text, for programs. */
  params: Record<string, string | number>;
}

export interface ScheduledReminder {
  at: Date;
  /** 1-based index among the reminders actually sent (drives template rotation). */
  number: number;
  /** Local date and time of the send (the time differs from sendTime only in a DST gap). */
  localDate: string;
  localTime: string;
  /** The date before a weekend move. */
  plannedDate: string;
}

export interface ScheduleResult {
  timezone: string;
  /** D0, the first planned date; null when the anchor cannot be resolved. */
  firstDate: string | null;
  /** The end date in effect (after the 365-day cap); null for a single reminder without one. */
  endDate: string | null;
  reminders: Date[];
  details: ScheduledReminder[];
  /** Instants of the responsible person's digests in which this learner appears. */
  digests: Date[];
  escalated: boolean;
  notes: ScheduleNote[];
}

export interface ScheduleOptions {
  /** The clock; stands in for a missing assignedAt. */
  now?: Date;
}

// ── Notes ─────────────────────────────────────────────────────────────────────

const deDate = (day: DayNumber) => {
  const [y, m, d] = isoFromDay(day).split("-");
  return `${d}.${m}.${y}`;
};
const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
const ISO_WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function note(
  code: NoteCode,
  de: string,
  en: string,
  params: Record<string, number> = {},
  dates: Record<string, DayNumber> = {},
  extra: { de?: Record<string, string>; en?: Record<string, string> } = {},
): ScheduleNote {
  const pDe: Record<string, string | number> = { ...params, ...extra.de };
  const pEn: Record<string, string | number> = { ...params, ...extra.en };
  const out: Record<string, string | number> = { ...params };
  for (const [k, day] of Object.entries(dates)) {
    pDe[k] = deDate(day);
    pEn[k] = isoFromDay(day);
    out[k] = isoFromDay(day);
  }
  return { code, text: { de: interpolate(de, pDe), en: interpolate(en, pEn) }, params: out };
}

// ── Engine ────────────────────────────────────────────────────────────────────


export function computeSchedule(
  plan: PlanSchedule,
  assignment: AssignmentTimes,
  options: ScheduleOptions = {},
): ScheduleResult {
  const zone = MemoizedZone.for(plan.timezone);
  const notes: ScheduleNote[] = [];
  const result = (firstDate: DayNumber | null, endDate: DayNumber | null): ScheduleResult => ({
    timezone: plan.timezone,
    firstDate: firstDate === null ? null : isoFromDay(firstDate),
    endDate: endDate === null ? null : isoFromDay(endDate),
    reminders: [],
    details: [],
    digests: [],
    escalated: false,
    notes,
  });

  let assignedAt = assignment.assignedAt;
  if (!assignedAt && options.now) {
    assignedAt = options.now;
    notes.push(
      note(
        "assumedAssignedNow",
        "Kein Zuweisungszeitpunkt angegeben: berechnet wie eine Zuweisung jetzt ({now}).",
        "No assignment time given: computed as if assigned now ({now}).",
        {},
        {},
        { de: { now: options.now.toISOString() }, en: { now: options.now.toISOString() } },
      ),
    );
  }
  const completedMs = assignment.completedAt ? assignment.completedAt.getTime() : Infinity;
  const lowerMs = assignedAt ? assignedAt.getTime() : -Infinity;

  let d0: DayNumber;
  if (plan.anchor === "assigned") {
    if (!assignedAt) {
      notes.push(
        note(
          "noAssignmentDate",
          "Der Plan beginnt mit der Zuweisung, aber es gibt keinen Zuweisungszeitpunkt: keine Erinnerungen.",
          "The plan starts with the assignment, but there is no assignment time: no reminders.",
        ),
      );
      return result(null, null);
    }
    d0 = localDay(zone, assignedAt.getTime()) + plan.offsetDays;
  } else if (plan.anchor === "due") {
    if (!assignment.dueAt) {
      notes.push(
        note(
          "noDueDate",
          "Der Plan richtet sich nach dem Fälligkeitsdatum, aber diese Zuweisung hat keins: keine Erinnerungen.",
          "The plan counts back from the due date, but this assignment has no due date: no reminders.",
        ),
      );
      return result(null, null);
    }
    d0 = localDay(zone, assignment.dueAt.getTime()) - plan.offsetDays;
  } else {
    if (!plan.startDate) {
      notes.push(
        note(
          "noStartDate",
          "Der Plan hat einen festen Start, aber kein Startdatum: keine Erinnerungen.",
          "The plan has a fixed start but no start date: no reminders.",
        ),
      );
      return result(null, null);
    }
    d0 = dayFromIso(plan.startDate);
  }

  const repeat = plan.repeatEveryDays;
  const latest = d0 + MAX_PLAN_DAYS;
  let end: DayNumber | null = plan.endDate ? dayFromIso(plan.endDate) : null;
  if (repeat !== null && end === null) {
    notes.push(
      note(
        "noEndDate",
        "Die Erinnerung wiederholt sich ohne Enddatum; sie endet spätestens am {latest} (365 Tage nach dem ersten Termin).",
        "The reminder repeats without an end date; it stops on {latest} at the latest (365 days after the first date).",
        {},
        { latest },
      ),
    );
    end = latest;
  } else if (end !== null && end > latest) {
    notes.push(
      note(
        "endDateCapped",
        "Das Enddatum {endDate} liegt mehr als 365 Tage nach dem ersten Termin ({firstDate}); der Plan endet schon am {latest}.",
        "The end date {endDate} is more than 365 days after the first date ({firstDate}); the plan stops on {latest} instead.",
        {},
        { endDate: end, firstDate: d0, latest },
      ),
    );
    end = latest;
  }
  if (end !== null && end < d0) {
    notes.push(
      note(
        "endsBeforeStart",
        "Der Plan endet ({endDate}), bevor er beginnt ({firstDate}): keine Erinnerungen.",
        "The plan ends ({endDate}) before it starts ({firstDate}): no reminders.",
        {},
        { endDate: end, firstDate: d0 },
      ),
    );
    return result(d0, end);
  }

  // Planned dates, then the weekend rule. Moving to the next Monday is monotonic, so
  // a merge can only ever happen with the previous kept date.
  const days: Array<{ day: DayNumber; planned: DayNumber }> = [];
  let moved = 0;
  let merged = 0;
  let pastEnd = 0;
  const lastPlanned = repeat === null ? d0 : (end as DayNumber);
  for (let planned = d0; planned <= lastPlanned; planned += repeat ?? 1) {
    let day = planned;
    const weekday = isoWeekday(planned);
    if (plan.weekdaysOnly && weekday >= 6) day = planned + (8 - weekday);
    // Each date is told once: dropped past the end, merged into a Monday, or moved.
    if (end !== null && day > end) {
      pastEnd++;
      continue;
    }
    const prev = days[days.length - 1];
    if (prev && prev.day === day) {
      merged++;
      continue;
    }
    if (day !== planned) moved++;
    days.push({ day, planned });
  }
  if (moved > 0) {
    notes.push(
      note(
        "weekendMoved",
        "{de} fiel auf ein Wochenende und wurde auf den folgenden Montag verschoben.",
        "{en} fell on a weekend and moved to the following Monday.",
        { count: moved },
        {},
        { de: { de: n(moved, "Termin", "Termine") }, en: { en: n(moved, "date", "dates") } },
      ),
    );
  }
  if (merged > 0) {
    notes.push(
      note(
        "weekendMerged",
        "{de} auf einen Montag, der schon eine Erinnerung hat: Beide wurden zu einer zusammengefasst.",
        "{en} onto a Monday that already has a reminder: the two became one.",
        { count: merged },
        {},
        {
          de: { de: merged === 1 ? "Ein Termin fiel" : `${merged} Termine fielen` },
          en: { en: merged === 1 ? "One date moved" : `${merged} dates moved` },
        },
      ),
    );
  }
  if (pastEnd > 0) {
    notes.push(
      note(
        "movedPastEnd",
        "{de} nach dem Enddatum ({endDate}) verschoben und entfällt daher.",
        "{en} past the end date ({endDate}) and {verb} dropped.",
        { count: pastEnd },
        { endDate: end as DayNumber },
        {
          de: { de: pastEnd === 1 ? "Ein Wochenendtermin würde" : `${pastEnd} Wochenendtermine würden` },
          en: {
            en: pastEnd === 1 ? "One weekend date would move" : `${pastEnd} weekend dates would move`,
            verb: pastEnd === 1 ? "is" : "are",
          },
        },
      ),
    );
  }

  const sendMinutes = minutesFromTime(plan.sendTime);
  const escalateAfter = plan.escalateAfterSends;
  const maxSends = plan.maxSends ?? Infinity;
  const cap = Math.min(maxSends, escalateAfter ?? Infinity);
  const capIsEscalation = escalateAfter !== null && escalateAfter <= maxSends;

  const details: ScheduledReminder[] = [];
  const gapDays: DayNumber[] = [];
  const repeatedDays: DayNumber[] = [];
  let gapTime = "";
  let before = 0;
  let stop: { reason: "completion" | "cap"; unused: number } | null = null;
  for (let i = 0; i < days.length; i++) {
    const { day, planned } = days[i]!;
    const w = wallClockToInstant(zone, day, sendMinutes);
    if (w.ms < lowerMs) {
      before++;
      continue;
    }
    if (w.ms >= completedMs) {
      stop = { reason: "completion", unused: days.length - i };
      break;
    }
    if (details.length >= cap) {
      let unused = days.length - i;
      if (completedMs !== Infinity) {
        // Only dates before the completion would have been sent.
        unused = 0;
        for (let j = i; j < days.length; j++) {
          if (wallClockToInstant(zone, days[j]!.day, sendMinutes).ms >= completedMs) break;
          unused++;
        }
      }
      stop = { reason: "cap", unused };
      break;
    }
    if (w.kind === "gap") {
      gapDays.push(day);
      gapTime = timeFromMinutes(w.localMinutes);
    } else if (w.kind === "repeated") repeatedDays.push(day);
    details.push({
      at: new Date(w.ms),
      number: details.length + 1,
      localDate: isoFromDay(day),
      localTime: timeFromMinutes(w.localMinutes),
      plannedDate: isoFromDay(planned),
    });
  }

  if (before > 0) {
    notes.push(
      note(
        "beforeAssignment",
        "{de} vor der Zuweisung und {verb} übersprungen; die Zählung beginnt mit der ersten tatsächlich verschickten Erinnerung.",
        "{en} before the assignment and {verb} skipped; numbering starts with the first reminder actually sent.",
        { count: before },
        {},
        {
          de: { de: before === 1 ? "Ein Termin läge" : `${before} Termine lägen`, verb: before === 1 ? "wird" : "werden" },
          en: { en: before === 1 ? "One date would fall" : `${before} dates would fall`, verb: before === 1 ? "is" : "are" },
        },
      ),
    );
  }
  if (gapDays.length > 0) {
    notes.push(
      note(
        "dstGap",
        "Am {day} gibt es {sendTime} wegen der Zeitumstellung nicht; die Erinnerung geht um {gapTime}.",
        "On {day} {sendTime} does not exist (clocks go forward); the reminder goes at {gapTime}.",
        { count: gapDays.length },
        { day: gapDays[0]! },
        { de: { sendTime: plan.sendTime, gapTime }, en: { sendTime: plan.sendTime, gapTime } },
      ),
    );
  }
  if (repeatedDays.length > 0) {
    notes.push(
      note(
        "dstRepeated",
        "Am {day} gibt es {sendTime} wegen der Zeitumstellung zweimal; die Erinnerung geht beim ersten Mal (Sommerzeit).",
        "On {day} {sendTime} occurs twice (clocks go back); the reminder goes at the first one.",
        { count: repeatedDays.length },
        { day: repeatedDays[0]! },
        { de: { sendTime: plan.sendTime }, en: { sendTime: plan.sendTime } },
      ),
    );
  }
  if (stop?.reason === "completion") {
    const doneDay = localDay(zone, completedMs);
    notes.push(
      note(
        "stoppedAtCompletion",
        "Am {completed} abgeschlossen: {de} nicht mehr verschickt.",
        "Completed on {completed}: {en} not sent.",
        { count: stop.unused },
        { completed: doneDay },
        {
          de: { de: stop.unused === 1 ? "1 weitere Erinnerung wird" : `${stop.unused} weitere Erinnerungen werden` },
          en: { en: stop.unused === 1 ? "1 further reminder is" : `${stop.unused} further reminders are` },
        },
      ),
    );
  }
  if (stop?.reason === "cap" && !capIsEscalation) {
    notes.push(
      note(
        "cappedByMaxSends",
        "Begrenzt auf {de}: {unusedDe} bis zum Enddatum entfallen.",
        "Limited to {en}: {unusedEn} until the end date are not used.",
        { maxSends, count: stop.unused },
        {},
        {
          de: { de: n(maxSends, "Erinnerung", "Erinnerungen"), unusedDe: n(stop.unused, "weiterer Termin", "weitere Termine") },
          en: { en: n(maxSends, "reminder", "reminders"), unusedEn: n(stop.unused, "further date", "further dates") },
        },
      ),
    );
  }

  const res = result(d0, end);
  res.details = details;
  res.reminders = details.map((d) => d.at);

  if (escalateAfter !== null && details.length === escalateAfter) {
    res.escalated = true;
    const escalatedAt = details[escalateAfter - 1]!.at.getTime();
    const digestEnd = end ?? latest;
    if (plan.digestWeekday === null || plan.digestTime === null) {
      notes.push(
        note(
          "digestNotConfigured",
          "Für die wöchentliche Übersicht fehlen Wochentag oder Uhrzeit: keine Übersichten.",
          "The weekly overview has no weekday or time: no overviews.",
        ),
      );
    } else {
      const digestMinutes = minutesFromTime(plan.digestTime);
      let day = localDay(zone, escalatedAt);
      day += (plan.digestWeekday - isoWeekday(day) + 7) % 7;
      for (; day <= digestEnd; day += 7) {
        const w = wallClockToInstant(zone, day, digestMinutes);
        if (w.ms <= escalatedAt) continue;
        if (w.ms >= completedMs) break;
        res.digests.push(new Date(w.ms));
      }
    }
    const skipped = stop?.reason === "cap" ? stop.unused : 0;
    const digests = res.digests.length;
    notes.push(
      note(
        "escalated",
        "Nach {k} Erinnerungen ohne Abschluss kommen keine weiteren{skippedDe}; stattdessen erscheint die Person in der wöchentlichen Übersicht der verantwortlichen Person ({digestsDe}, {weekdayDe}).",
        "After {k} reminders without completion no more reminders go out{skippedEn}; instead the learner appears in the responsible person's weekly overview ({digestsEn}, {weekdayEn}).",
        { k: escalateAfter, skipped, digests },
        {},
        {
          de: {
            skippedDe: skipped === 0 ? "" : skipped === 1 ? " (1 Termin entfällt)" : ` (${skipped} Termine entfallen)`,
            digestsDe: n(digests, "Übersicht", "Übersichten"),
            weekdayDe: plan.digestWeekday ? `${DE_WEEKDAYS[plan.digestWeekday - 1]}s ${plan.digestTime ?? ""}`.trim() : "",
          },
          en: {
            skippedEn: skipped === 0 ? "" : skipped === 1 ? " (1 date skipped)" : ` (${skipped} dates skipped)`,
            digestsEn: n(digests, "overview", "overviews"),
            weekdayEn: plan.digestWeekday ? `${ISO_WEEKDAYS_EN[plan.digestWeekday - 1]}s ${plan.digestTime ?? ""}`.trim() : "",
          },
        },
      ),
    );
  } else if (escalateAfter !== null && stop?.reason !== "completion" && details.length < escalateAfter) {
    notes.push(
      note(
        "escalationNotReached",
        "Die Eskalation nach {k} Erinnerungen wird nicht erreicht: Es gehen nur {de} raus.",
        "Escalation after {k} reminders is not reached: only {en} go out.",
        { k: escalateAfter, count: details.length },
        {},
        { de: { de: n(details.length, "Erinnerung", "Erinnerungen") }, en: { en: n(details.length, "reminder", "reminders") } },
      ),
    );
  }
  return res;
}

const DE_WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"];

// ── Helpers for previews ──────────────────────────────────────────────────────

export interface ReminderWithVariant extends ScheduledReminder {
  /** 0-based index into the locale's variants. */
  variantIndex: number;
}

/** Each reminder with the template variant it gets (rotated by its number). */
export function assignVariants(result: ScheduleResult, variantCount: number): ReminderWithVariant[] {
  return result.details.map((d) => ({ ...d, variantIndex: variantIndexFor(d.number, variantCount) }));
}

/** Calendar days from the first to the last reminder (local dates). */
export function scheduleSpanDays(result: ScheduleResult): number {
  const first = result.details[0];
  const last = result.details[result.details.length - 1];
  return first && last ? dayFromIso(last.localDate) - dayFromIso(first.localDate) : 0;
}

/** "This learner receives 5 reminders in 28 days, 3 variants", plus the escalation. */
export function summarizeSchedule(result: ScheduleResult, variantCount: number): Localized {
  const count = result.reminders.length;
  if (count === 0) {
    return { de: "Diese Person erhält keine Erinnerung.", en: "This learner receives no reminders." };
  }
  const used = Math.max(1, Math.min(variantCount, count));
  const span = scheduleSpanDays(result);
  let de = `Diese Person erhält ${n(count, "Erinnerung", "Erinnerungen")}`;
  let en = `This learner receives ${n(count, "reminder", "reminders")}`;
  if (count > 1) {
    de += ` in ${n(span, "Tag", "Tagen")}`;
    en += ` in ${n(span, "day", "days")}`;
  }
  de += `, ${n(used, "Variante", "Varianten")}`;
  en += `, ${n(used, "variant", "variants")}`;
  if (result.escalated) {
    const d = result.digests.length;
    de += `; danach erscheint sie in ${n(d, "wöchentlichen Übersicht", "wöchentlichen Übersichten")} der verantwortlichen Person`;
    en += `; then appears in ${n(d, "weekly overview", "weekly overviews")} of the responsible person`;
  }
  return { de: de + ".", en: en + "." };
}
