import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DateTime } from "luxon";
import { dayFromIso, isoFromDay } from "./local-time";
import { planScheduleSchema, type AssignmentTimes, type PlanSchedule } from "./plan-schema";
import { computeSchedule } from "./schedule";

const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "America/Santiago",
  "Pacific/Chatham",
  "UTC",
];
const BASE_DAY = dayFromIso("2026-01-01");
const DAY_MS = 86_400_000;
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
const instantIn2026 = fc.integer({ min: -30, max: 760 }).chain((day) =>
  fc.integer({ min: 0, max: DAY_MS - 1 }).map((ms) => new Date((BASE_DAY + day) * DAY_MS + ms)),
);

/** Valid plans of every shape; fixed plans keep their end within 365 days of the start. */
const planArb: fc.Arbitrary<PlanSchedule> = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    anchor: fc.constantFrom("assigned", "due", "fixed"),
    offsetDays: fc.integer({ min: 0, max: 30 }),
    start: fc.integer({ min: 0, max: 400 }),
    sendTime: fc.oneof(hhmm, fc.constantFrom("02:30", "01:30", "00:00", "03:00")),
    repeatEveryDays: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
    endOffset: fc.integer({ min: 0, max: 365 }),
    maxSends: fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }),
    weekdaysOnly: fc.boolean(),
    escalate: fc.option(
      fc.record({ k: fc.integer({ min: 1, max: 6 }), weekday: fc.integer({ min: 1, max: 7 }), time: hhmm }),
      { nil: null },
    ),
  })
  .map((r) => {
    const startDate = isoFromDay(BASE_DAY + r.start);
    const endDate = isoFromDay(BASE_DAY + r.start + r.endOffset);
    const repeating = r.repeatEveryDays !== null;
    return {
      timezone: r.timezone,
      anchor: r.anchor,
      offsetDays: r.offsetDays,
      startDate,
      sendTime: r.sendTime,
      repeatEveryDays: r.repeatEveryDays,
      endDate: repeating || r.escalate ? endDate : null,
      maxSends: r.maxSends,
      weekdaysOnly: r.weekdaysOnly,
      escalateAfterSends: r.escalate ? r.escalate.k : null,
      digestWeekday: r.escalate ? r.escalate.weekday : null,
      digestTime: r.escalate ? r.escalate.time : null,
    };
  })
  .filter((p) => planScheduleSchema.safeParse(p).success)
  .map((p) => planScheduleSchema.parse(p));

/** Assignments around the plan's dates, so that most cases actually send something. */
function assignmentFor(plan: PlanSchedule): fc.Arbitrary<AssignmentTimes> {
  const ref = dayFromIso(plan.startDate!);
  const around = (min: number, max: number) =>
    fc.integer({ min, max }).chain((day) =>
      fc.integer({ min: 0, max: DAY_MS - 1 }).map((ms) => new Date((ref + day) * DAY_MS + ms)),
    );
  return fc.record({
    assignedAt: around(-40, 3),
    dueAt: fc.option(around(0, 120), { nil: null, freq: 4 }),
    completedAt: fc.option(around(-5, 300), { nil: null, freq: 2 }),
  });
}

const caseArb = fc.oneof(
  { arbitrary: planArb.chain((plan) => assignmentFor(plan).map((a) => [plan, a] as const)), weight: 4 },
  {
    arbitrary: fc.tuple(
      planArb,
      fc.record({
        assignedAt: instantIn2026,
        dueAt: fc.option(instantIn2026, { nil: null }),
        completedAt: fc.option(instantIn2026, { nil: null }),
      }),
    ),
    weight: 1,
  },
);

const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone });

describe("schedule invariants (fast-check)", () => {
  it("holds for every plan and assignment", () => {
    fc.assert(
      fc.property(caseArb, ([plan, assignment]) => {
        const r = computeSchedule(plan, assignment);
        const ms = r.reminders.map((d) => d.getTime());

        // strictly increasing, numbered 1..n in order
        for (let i = 1; i < ms.length; i++) expect(ms[i]).toBeGreaterThan(ms[i - 1]!);
        expect(r.details.map((d) => d.number)).toEqual(ms.map((_, i) => i + 1));

        // within [assignedAt, end of the end date (local)]
        for (const d of r.reminders) {
          expect(d.getTime()).toBeGreaterThanOrEqual(assignment.assignedAt!.getTime());
          if (plan.endDate) expect(local(d, plan.timezone).toISODate()! <= plan.endDate).toBe(true);
          if (r.endDate) expect(local(d, plan.timezone).toISODate()! <= r.endDate).toBe(true);
          if (r.firstDate) expect(local(d, plan.timezone).toISODate()! >= r.firstDate).toBe(true);
        }

        // caps
        if (plan.maxSends !== null) expect(ms.length).toBeLessThanOrEqual(plan.maxSends);
        if (plan.escalateAfterSends !== null) expect(ms.length).toBeLessThanOrEqual(plan.escalateAfterSends);
        if (plan.repeatEveryDays === null) expect(ms.length).toBeLessThanOrEqual(1);

        // never on weekends when weekdaysOnly
        if (plan.weekdaysOnly) for (const d of r.reminders) expect(local(d, plan.timezone).weekday).toBeLessThan(6);

        // never at or after completion
        if (assignment.completedAt) {
          for (const d of [...r.reminders, ...r.digests]) {
            expect(d.getTime()).toBeLessThan(assignment.completedAt.getTime());
          }
        }

        // wall-clock time kept, except when it does not exist that day
        for (const d of r.details) {
          if (d.localTime !== plan.sendTime) {
            const [h, m] = plan.sendTime.split(":").map(Number);
            const wanted = DateTime.fromISO(d.localDate, { zone: plan.timezone }).set({ hour: h!, minute: m! });
            expect(wanted.toFormat("HH:mm")).not.toBe(plan.sendTime);
          }
        }

        // digests: only after escalation, increasing, after the K-th reminder, on the weekday, until the end
        if (!r.escalated) expect(r.digests).toEqual([]);
        const dms = r.digests.map((d) => d.getTime());
        for (let i = 1; i < dms.length; i++) expect(dms[i]).toBeGreaterThan(dms[i - 1]!);
        for (const d of r.digests) {
          expect(d.getTime()).toBeGreaterThan(ms[ms.length - 1]!);
          expect(local(d, plan.timezone).weekday).toBe(plan.digestWeekday);
          if (r.endDate) expect(local(d, plan.timezone).toISODate()! <= r.endDate).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("a completion only cuts the tail: earlier reminders keep their instants and numbers", () => {
    fc.assert(
      fc.property(caseArb, ([plan, assignment]) => {
        const open = computeSchedule(plan, { ...assignment, completedAt: null });
        const done = computeSchedule(plan, assignment);
        expect(open.details.slice(0, done.details.length)).toEqual(done.details);
      }),
      { numRuns: 300 },
    );
  });

  it("is pure: same input, same output", () => {
    fc.assert(
      fc.property(caseArb, ([plan, assignment]) => {
        expect(computeSchedule(plan, assignment)).toEqual(computeSchedule(plan, assignment));
      }),
      { numRuns: 100 },
    );
  });
});
