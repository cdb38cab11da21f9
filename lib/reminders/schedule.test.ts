import { describe, expect, it } from "vitest";
import { assignmentSchema, planScheduleSchema, type AssignmentTimes, type PlanScheduleInput } from "./plan-schema";
import { noteText, summarizeSchedule } from "./notes-text";
import { assignVariants, computeSchedule, type ScheduleResult } from "./schedule";
import { DESIGN_EXAMPLE_PLAN } from "./design-example";

function plan(input: Partial<PlanScheduleInput>) {
  return planScheduleSchema.parse({
    timezone: "Europe/Berlin",
    anchor: "fixed",
    sendTime: "09:00",
    ...input,
  });
}

function assignment(input: { assignedAt?: string | null; dueAt?: string | null; completedAt?: string | null } = {}): AssignmentTimes {
  return assignmentSchema.parse({ assignedAt: "2020-01-01T00:00:00Z", dueAt: null, completedAt: null, ...input });
}

const iso = (r: ScheduleResult) => r.reminders.map((d) => d.toISOString());
const digests = (r: ScheduleResult) => r.digests.map((d) => d.toISOString());
const codes = (r: ScheduleResult) => r.notes.map((n) => n.code);

describe("DESIGN.md example", () => {
  it("assigned + 1 day, every 5 days, at most 4 sends", () => {
    const r = computeSchedule(
      plan({ ...DESIGN_EXAMPLE_PLAN }),
      assignment({ assignedAt: "2026-05-04T07:30:00Z" }),
    );
    expect(iso(r)).toEqual([
      "2026-05-05T06:30:00.000Z",
      "2026-05-10T06:30:00.000Z",
      "2026-05-15T06:30:00.000Z",
      "2026-05-20T06:30:00.000Z",
    ]);
    expect(r.digests).toEqual([]);
    expect(codes(r)).toEqual(["cappedByMaxSends"]);
    expect(r.notes[0]!.params).toMatchObject({ maxSends: 4, count: 2 });
    expect(r.firstDate).toBe("2026-05-05");
  });
});

describe("anchors", () => {
  it("assigned: offset from the assignment's LOCAL date (Kolkata is already on the next day)", () => {
    const r = computeSchedule(
      plan({ timezone: "Asia/Kolkata", anchor: "assigned", offsetDays: 1, sendTime: "09:00" }),
      assignment({ assignedAt: "2026-05-04T20:00:00Z" }), // 01:30 on 5 May in India
    );
    expect(iso(r)).toEqual(["2026-05-06T03:30:00.000Z"]);
  });

  it("assigned with offset 0 the same day, after the assignment", () => {
    const r = computeSchedule(
      plan({ anchor: "assigned", offsetDays: 0, sendTime: "16:00" }),
      assignment({ assignedAt: "2026-06-03T08:00:00Z" }),
    );
    expect(iso(r)).toEqual(["2026-06-03T14:00:00.000Z"]);
  });

  it("due: offset before the due date's local date", () => {
    const r = computeSchedule(
      plan({ anchor: "due", offsetDays: 7, sendTime: "08:00", repeatEveryDays: 3, endDate: "2026-06-15" }),
      // 01:30 on 15 June in Berlin, still 14 June in UTC
      assignment({ assignedAt: "2026-06-01T08:00:00Z", dueAt: "2026-06-14T23:30:00Z" }),
    );
    expect(iso(r)).toEqual(["2026-06-08T06:00:00.000Z", "2026-06-11T06:00:00.000Z", "2026-06-14T06:00:00.000Z"]);
    expect(r.firstDate).toBe("2026-06-08");
  });

  it("due anchor without a due date: nothing, with the reason", () => {
    const r = computeSchedule(plan({ anchor: "due", offsetDays: 3 }), assignment());
    expect(r.reminders).toEqual([]);
    expect(codes(r)).toEqual(["noDueDate"]);
    expect(noteText(r.notes[0]!, "en")).toMatch(/no due date/);
    expect(noteText(r.notes[0]!, "de")).toMatch(/Fälligkeitsdatum/);
  });

  it("fixed: first reminder on the start date", () => {
    const r = computeSchedule(plan({ startDate: "2026-07-01", sendTime: "10:15" }), assignment());
    expect(iso(r)).toEqual(["2026-07-01T08:15:00.000Z"]);
  });

  it("assigned anchor without assignment time and without clock: nothing, with the reason", () => {
    const r = computeSchedule(plan({ anchor: "assigned" }), assignment({ assignedAt: null }));
    expect(r.reminders).toEqual([]);
    expect(codes(r)).toEqual(["noAssignmentDate"]);
  });

  it("the clock stands in for a missing assignment time", () => {
    const r = computeSchedule(plan({ anchor: "assigned", offsetDays: 2 }), assignment({ assignedAt: null }), {
      now: new Date("2026-05-04T12:00:00Z"),
    });
    expect(iso(r)).toEqual(["2026-05-06T07:00:00.000Z"]);
    expect(codes(r)).toEqual(["assumedAssignedNow"]);
  });
});

describe("end date", () => {
  const weekly = { startDate: "2026-06-01", repeatEveryDays: 7 };

  it("is inclusive", () => {
    expect(computeSchedule(plan({ ...weekly, endDate: "2026-06-29" }), assignment()).reminders).toHaveLength(5);
    expect(computeSchedule(plan({ ...weekly, endDate: "2026-06-28" }), assignment()).reminders).toHaveLength(4);
  });

  it("before the first date: nothing, 'ends before it starts'", () => {
    const r = computeSchedule(
      plan({ anchor: "assigned", offsetDays: 1, repeatEveryDays: 2, endDate: "2026-06-30" }),
      assignment({ assignedAt: "2026-06-30T10:00:00Z" }),
    );
    expect(r.reminders).toEqual([]);
    expect(codes(r)).toEqual(["endsBeforeStart"]);
    expect(noteText(r.notes[0]!, "en")).toBe("The plan ends (2026-06-30) before it starts (2026-07-01): no reminders.");
  });

  it("is capped at 365 days after the first date for assignment-based plans", () => {
    const r = computeSchedule(
      plan({ anchor: "assigned", offsetDays: 1, repeatEveryDays: 1, endDate: "2027-06-01" }),
      assignment({ assignedAt: "2026-01-10T10:00:00Z" }),
    );
    expect(r.firstDate).toBe("2026-01-11");
    expect(r.endDate).toBe("2027-01-11");
    expect(r.reminders).toHaveLength(366);
    expect(r.details.at(-1)!.localDate).toBe("2027-01-11");
    expect(codes(r)).toEqual(["endDateCapped"]);
  });
});

describe("caps and stops", () => {
  const weekly = plan({ startDate: "2026-06-01", repeatEveryDays: 7, endDate: "2026-06-29" });

  it("maxSends caps the series", () => {
    const r = computeSchedule({ ...weekly, maxSends: 3 }, assignment());
    expect(iso(r)).toEqual(["2026-06-01T07:00:00.000Z", "2026-06-08T07:00:00.000Z", "2026-06-15T07:00:00.000Z"]);
    expect(codes(r)).toEqual(["cappedByMaxSends"]);
    expect(noteText(r.notes[0]!, "en")).toBe("Limited to 3 reminders: 2 further dates until the end date are not used.");
  });

  it("completion stops it: nothing at or after completedAt", () => {
    const at = computeSchedule(weekly, assignment({ completedAt: "2026-06-15T07:00:00Z" }));
    expect(iso(at)).toEqual(["2026-06-01T07:00:00.000Z", "2026-06-08T07:00:00.000Z"]);
    expect(codes(at)).toEqual(["stoppedAtCompletion"]);
    expect(at.notes[0]!.params).toMatchObject({ count: 3, completed: "2026-06-15" });
    const justAfter = computeSchedule(weekly, assignment({ completedAt: "2026-06-15T07:00:00.001Z" }));
    expect(justAfter.reminders).toHaveLength(3);
  });

  it("completed before the first date: nothing", () => {
    const r = computeSchedule(weekly, assignment({ completedAt: "2026-05-01T00:00:00Z" }));
    expect(r.reminders).toEqual([]);
    expect(codes(r)).toEqual(["stoppedAtCompletion"]);
  });

  it("nothing before the assignment; skipped dates count neither for numbering nor for maxSends", () => {
    const r = computeSchedule({ ...weekly, maxSends: 2 }, assignment({ assignedAt: "2026-06-10T12:00:00Z" }));
    expect(iso(r)).toEqual(["2026-06-15T07:00:00.000Z", "2026-06-22T07:00:00.000Z"]);
    expect(r.details.map((d) => d.number)).toEqual([1, 2]);
    expect(codes(r)).toEqual(["beforeAssignment", "cappedByMaxSends"]);
    expect(r.notes[0]!.params.count).toBe(2);
  });

  it("a send time earlier on the assignment day is skipped", () => {
    const r = computeSchedule(
      plan({ anchor: "assigned", offsetDays: 0, sendTime: "08:00", repeatEveryDays: 1, endDate: "2026-06-05" }),
      assignment({ assignedAt: "2026-06-03T08:00:00Z" }), // 10:00 in Berlin
    );
    expect(iso(r)).toEqual(["2026-06-04T06:00:00.000Z", "2026-06-05T06:00:00.000Z"]);
  });

  it("an instant exactly at the assignment is sent", () => {
    const r = computeSchedule(plan({ startDate: "2026-06-03" }), assignment({ assignedAt: "2026-06-03T07:00:00Z" }));
    expect(r.reminders).toHaveLength(1);
  });
});

describe("weekdays only", () => {
  it("moves Saturday and Sunday to Monday and merges them with Monday's own", () => {
    const r = computeSchedule(
      plan({ startDate: "2026-06-05", repeatEveryDays: 1, endDate: "2026-06-09", weekdaysOnly: true }),
      assignment(),
    );
    expect(r.details.map((d) => d.localDate)).toEqual(["2026-06-05", "2026-06-08", "2026-06-09"]);
    expect(codes(r)).toEqual(["weekendMoved", "weekendMerged"]);
    expect(r.notes.map((n) => n.params.count)).toEqual([1, 2]);
  });

  it("merges a moved Saturday with a planned Monday (every 2 days)", () => {
    const r = computeSchedule(
      plan({ startDate: "2026-06-04", repeatEveryDays: 2, endDate: "2026-06-10", weekdaysOnly: true }),
      assignment(),
    );
    expect(r.details.map((d) => [d.localDate, d.plannedDate])).toEqual([
      ["2026-06-04", "2026-06-04"],
      ["2026-06-08", "2026-06-06"],
      ["2026-06-10", "2026-06-10"],
    ]);
  });

  it("a Sunday start moves to Monday", () => {
    const r = computeSchedule(plan({ startDate: "2026-06-07", weekdaysOnly: true }), assignment());
    expect(iso(r)).toEqual(["2026-06-08T07:00:00.000Z"]);
  });

  it("drops a weekend date whose Monday lies after the end date", () => {
    const r = computeSchedule(
      plan({ startDate: "2026-06-05", repeatEveryDays: 1, endDate: "2026-06-07", weekdaysOnly: true }),
      assignment(),
    );
    expect(r.details.map((d) => d.localDate)).toEqual(["2026-06-05"]);
    expect(codes(r)).toContain("movedPastEnd");
  });

  it("keeps weekends without weekdaysOnly", () => {
    const r = computeSchedule(plan({ startDate: "2026-06-05", repeatEveryDays: 1, endDate: "2026-06-08" }), assignment());
    expect(r.reminders).toHaveLength(4);
  });
});

describe("DST in Europe/Berlin, 2026", () => {
  const around = (startDate: string, endDate: string, sendTime: string) =>
    iso(computeSchedule(plan({ startDate, endDate, sendTime, repeatEveryDays: 1 }), assignment()));

  it("09:00 across spring-forward (29 March)", () => {
    expect(around("2026-03-28", "2026-03-30", "09:00")).toEqual([
      "2026-03-28T08:00:00.000Z",
      "2026-03-29T07:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
    ]);
  });

  it("02:30 on spring-forward day does not exist: moves forward by the gap to 03:30", () => {
    const r = computeSchedule(
      plan({ startDate: "2026-03-28", endDate: "2026-03-30", sendTime: "02:30", repeatEveryDays: 1 }),
      assignment(),
    );
    expect(iso(r)).toEqual(["2026-03-28T01:30:00.000Z", "2026-03-29T01:30:00.000Z", "2026-03-30T00:30:00.000Z"]);
    expect(r.details.map((d) => d.localTime)).toEqual(["02:30", "03:30", "02:30"]);
    expect(codes(r)).toEqual(["dstGap"]);
    expect(noteText(r.notes[0]!, "en")).toBe("On 2026-03-29 02:30 does not exist (clocks go forward); the reminder goes at 03:30.");
  });

  it("09:00 across fall-back (25 October)", () => {
    expect(around("2026-10-24", "2026-10-26", "09:00")).toEqual([
      "2026-10-24T07:00:00.000Z",
      "2026-10-25T08:00:00.000Z",
      "2026-10-26T08:00:00.000Z",
    ]);
  });

  it("02:30 on fall-back day occurs twice: the earlier instant (summer time)", () => {
    const r = computeSchedule(
      plan({ startDate: "2026-10-24", endDate: "2026-10-26", sendTime: "02:30", repeatEveryDays: 1 }),
      assignment(),
    );
    expect(iso(r)).toEqual(["2026-10-24T00:30:00.000Z", "2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"]);
    expect(codes(r)).toEqual(["dstRepeated"]);
  });

  it("a weekly series keeps its wall-clock time across both changes", () => {
    const r = computeSchedule(
      plan({ startDate: "2026-03-22", endDate: "2026-11-01", sendTime: "09:00", repeatEveryDays: 7 }),
      assignment(),
    );
    expect(new Set(r.details.map((d) => d.localTime))).toEqual(new Set(["09:00"]));
    expect(iso(r).slice(0, 2)).toEqual(["2026-03-22T08:00:00.000Z", "2026-03-29T07:00:00.000Z"]);
    expect(iso(r).slice(-3)).toEqual([
      "2026-10-18T07:00:00.000Z",
      "2026-10-25T08:00:00.000Z",
      "2026-11-01T08:00:00.000Z",
    ]);
  });
});

describe("other zones", () => {
  it("America/New_York: spring-forward 8 March 2026, 02:30 → 03:30 EDT; 09:00 keeps wall clock", () => {
    const nine = computeSchedule(
      plan({ timezone: "America/New_York", startDate: "2026-03-07", endDate: "2026-03-09", repeatEveryDays: 1 }),
      assignment(),
    );
    expect(iso(nine)).toEqual(["2026-03-07T14:00:00.000Z", "2026-03-08T13:00:00.000Z", "2026-03-09T13:00:00.000Z"]);
    const gap = computeSchedule(
      plan({ timezone: "America/New_York", startDate: "2026-03-08", sendTime: "02:30" }),
      assignment(),
    );
    expect(iso(gap)).toEqual(["2026-03-08T07:30:00.000Z"]);
  });

  it("America/New_York: fall-back 1 November 2026, 01:30 twice → the EDT one", () => {
    const r = computeSchedule(
      plan({ timezone: "America/New_York", startDate: "2026-10-31", endDate: "2026-11-02", sendTime: "01:30", repeatEveryDays: 1 }),
      assignment(),
    );
    expect(iso(r)).toEqual(["2026-10-31T05:30:00.000Z", "2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"]);
  });

  it("Asia/Kolkata: UTC+05:30 all year", () => {
    const r = computeSchedule(
      plan({ timezone: "Asia/Kolkata", startDate: "2026-03-28", endDate: "2026-10-26", sendTime: "09:00", repeatEveryDays: 100 }),
      assignment(),
    );
    expect(iso(r)).toEqual(["2026-03-28T03:30:00.000Z", "2026-07-06T03:30:00.000Z", "2026-10-14T03:30:00.000Z"]);
  });
});

describe("escalation", () => {
  const escalating = plan({
    startDate: "2026-06-01", // Monday
    repeatEveryDays: 2,
    endDate: "2026-06-30",
    escalateAfterSends: 3,
    digestWeekday: 5, // Friday
    digestTime: "16:00",
  });

  it("after K reminders: no more reminders, weekly digests until the end date", () => {
    const r = computeSchedule(escalating, assignment());
    expect(iso(r)).toEqual(["2026-06-01T07:00:00.000Z", "2026-06-03T07:00:00.000Z", "2026-06-05T07:00:00.000Z"]);
    // The first digest is the same Friday, after the third reminder.
    expect(digests(r)).toEqual([
      "2026-06-05T14:00:00.000Z",
      "2026-06-12T14:00:00.000Z",
      "2026-06-19T14:00:00.000Z",
      "2026-06-26T14:00:00.000Z",
    ]);
    expect(r.escalated).toBe(true);
    expect(codes(r)).toEqual(["escalated"]);
    expect(r.notes[0]!.params).toMatchObject({ k: 3, skipped: 12, digests: 4 });
  });

  it("digests stop at completion", () => {
    const r = computeSchedule(escalating, assignment({ completedAt: "2026-06-19T14:00:00Z" }));
    expect(digests(r)).toEqual(["2026-06-05T14:00:00.000Z", "2026-06-12T14:00:00.000Z"]);
  });

  it("completion before the K-th reminder: no escalation", () => {
    const r = computeSchedule(escalating, assignment({ completedAt: "2026-06-04T00:00:00Z" }));
    expect(r.reminders).toHaveLength(2);
    expect(r.digests).toEqual([]);
    expect(r.escalated).toBe(false);
    expect(codes(r)).toEqual(["stoppedAtCompletion"]);
  });

  it("escalation wins over a larger maxSends", () => {
    const r = computeSchedule({ ...escalating, maxSends: 5 }, assignment());
    expect(r.reminders).toHaveLength(3);
    expect(codes(r)).toEqual(["escalated"]);
  });

  it("says so when the end date comes before the escalation", () => {
    const r = computeSchedule({ ...escalating, escalateAfterSends: 20 }, assignment());
    expect(r.reminders).toHaveLength(15);
    expect(codes(r)).toEqual(["escalationNotReached"]);
  });

  it("the digest's first Friday comes after a Friday-evening K-th reminder", () => {
    const r = computeSchedule({ ...escalating, sendTime: "18:00" }, assignment());
    expect(digests(r)[0]).toBe("2026-06-12T14:00:00.000Z");
  });
});

describe("variants and summary", () => {
  const weekly = plan({ startDate: "2026-06-01", repeatEveryDays: 7, endDate: "2026-06-29" });

  it("rotates variants by reminder number", () => {
    const r = computeSchedule(weekly, assignment());
    expect(assignVariants(r, 3).map((x) => x.variantIndex)).toEqual([0, 1, 2, 0, 1]);
    expect(assignVariants(r, 1).map((x) => x.variantIndex)).toEqual([0, 0, 0, 0, 0]);
  });

  it("rotation starts with the first reminder actually sent", () => {
    const r = computeSchedule(weekly, assignment({ assignedAt: "2026-06-10T00:00:00Z" }));
    expect(assignVariants(r, 2).map((x) => [x.localDate, x.variantIndex])).toEqual([
      ["2026-06-15", 0],
      ["2026-06-22", 1],
      ["2026-06-29", 0],
    ]);
  });

  it("summarizes in both languages", () => {
    const r = computeSchedule(weekly, assignment());
    expect(summarizeSchedule(r, 3)).toEqual({
      de: "Diese Person erhält 5 Erinnerungen in 28 Tagen, 3 Varianten.",
      en: "This learner receives 5 reminders in 28 days, 3 variants.",
    });
    const one = computeSchedule(plan({ startDate: "2026-06-01" }), assignment());
    expect(summarizeSchedule(one, 3).en).toBe("This learner receives 1 reminder, 1 variant.");
  });
});
