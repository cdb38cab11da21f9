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

/**
 * What the engine noticed, as data: the code and its parameters (counts, ISO dates,
 * HH:MM times). The engine writes no sentences; lib/reminders/notes-text.ts words a
 * note in German or English with the language's plural rules.
 */
export interface ScheduleNote {
  code: NoteCode;
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

/** A note is a code with its numbers, ISO dates and times; notes-text.ts words it. */
function note(code: NoteCode, params: Record<string, string | number>): ScheduleNote {
  return { code, params };
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
      note("assumedAssignedNow", { now: options.now.toISOString() }),
    );
  }
  const completedMs = assignment.completedAt ? assignment.completedAt.getTime() : Infinity;
  const lowerMs = assignedAt ? assignedAt.getTime() : -Infinity;

  let d0: DayNumber;
  if (plan.anchor === "assigned") {
    if (!assignedAt) {
      notes.push(
        note("noAssignmentDate", {}),
      );
      return result(null, null);
    }
    d0 = localDay(zone, assignedAt.getTime()) + plan.offsetDays;
  } else if (plan.anchor === "due") {
    if (!assignment.dueAt) {
      notes.push(
        note("noDueDate", {}),
      );
      return result(null, null);
    }
    d0 = localDay(zone, assignment.dueAt.getTime()) - plan.offsetDays;
  } else {
    if (!plan.startDate) {
      notes.push(
        note("noStartDate", {}),
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
      note("noEndDate", { latest: isoFromDay(latest) }),
    );
    end = latest;
  } else if (end !== null && end > latest) {
    notes.push(
      note("endDateCapped", { endDate: isoFromDay(end), firstDate: isoFromDay(d0), latest: isoFromDay(latest) }),
    );
    end = latest;
  }
  if (end !== null && end < d0) {
    notes.push(
      note("endsBeforeStart", { endDate: isoFromDay(end), firstDate: isoFromDay(d0) }),
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
      note("weekendMoved", { count: moved }),
    );
  }
  if (merged > 0) {
    notes.push(
      note("weekendMerged", { count: merged }),
    );
  }
  if (pastEnd > 0) {
    notes.push(
      note("movedPastEnd", { count: pastEnd, endDate: isoFromDay(end as DayNumber) }),
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
      note("beforeAssignment", { count: before }),
    );
  }
  if (gapDays.length > 0) {
    notes.push(
      note("dstGap", { count: gapDays.length, day: isoFromDay(gapDays[0]!), sendTime: plan.sendTime, gapTime }),
    );
  }
  if (repeatedDays.length > 0) {
    notes.push(
      note("dstRepeated", { count: repeatedDays.length, day: isoFromDay(repeatedDays[0]!), sendTime: plan.sendTime }),
    );
  }
  if (stop?.reason === "completion") {
    const doneDay = localDay(zone, completedMs);
    notes.push(
      note("stoppedAtCompletion", { count: stop.unused, completed: isoFromDay(doneDay) }),
    );
  }
  if (stop?.reason === "cap" && !capIsEscalation) {
    notes.push(
      note("cappedByMaxSends", { maxSends, count: stop.unused }),
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
        note("digestNotConfigured", {}),
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
      note("escalated", { k: escalateAfter, skipped, digests, digestWeekday: plan.digestWeekday ?? 0, digestTime: plan.digestTime ?? "" }),
    );
  } else if (escalateAfter !== null && stop?.reason !== "completion" && details.length < escalateAfter) {
    notes.push(
      note("escalationNotReached", { k: escalateAfter, count: details.length }),
    );
  }
  return res;
}


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
