import { describe, expect, it } from "vitest";
import { planScheduleSchema, type PlanScheduleInput } from "./plan-schema";
import { assessSpamRisk, worstCaseSchedule } from "./spam-risk";

const plan = (input: Partial<PlanScheduleInput>) =>
  planScheduleSchema.parse({ timezone: "Europe/Berlin", anchor: "fixed", sendTime: "09:00", ...input });

const now = new Date("2026-05-04T10:00:00Z");

describe("spam-risk meter", () => {
  it("every day for 60 days with one variant is high", () => {
    const risk = assessSpamRisk(plan({ startDate: "2026-06-01", repeatEveryDays: 1, endDate: "2026-07-30" }), 1);
    expect(risk).toMatchObject({ level: "high", mails: 60, spanDays: 59, minGapDays: 1, medianGapDays: 1, sameTextMax: 60 });
    expect(risk.reasons.map((r) => r.en)).toEqual([
      "One learner can get up to 60 reminders in 59 days.",
      "The same text arrives up to 60 times (1 variant); uniform mails look more like spam with every delivery.",
      "The reminders come as often as every day.",
    ]);
    expect(risk.remedies.map((r) => r.en)).toEqual([
      "Add a variant (1 of 3), so that the mails do not all look the same.",
      "Repeat every 7 days instead of every day.",
      "Escalate after 3 reminders: the responsible person then sees the learner in a weekly overview instead of more mail going out.",
      "Send at most 5 reminders (maximum number of sends) or move the end date earlier.",
    ]);
    expect(risk.summary).toEqual({
      de: "Hoch: bis zu 60 Erinnerungen in 59 Tagen, 1 Variante",
      en: "High: up to 60 reminders in 59 days, 1 variant",
    });
  });

  it("the same plan anchored on the assignment is high too (worst case: assigned today)", () => {
    const risk = assessSpamRisk(
      plan({ anchor: "assigned", offsetDays: 0, repeatEveryDays: 1, endDate: "2026-07-02" }),
      1,
      { now },
    );
    expect(risk.level).toBe("high");
    expect(risk.mails).toBe(60);
  });

  it("a weekly plan with 3 sends and 3 variants is low", () => {
    const risk = assessSpamRisk(
      plan({ startDate: "2026-06-01", repeatEveryDays: 7, endDate: "2026-06-30", maxSends: 3 }),
      3,
    );
    expect(risk).toMatchObject({ level: "low", mails: 3, minGapDays: 7, sameTextMax: 1, remedies: [] });
  });

  it("the same weekly plan with one variant is medium and suggests a variant", () => {
    const risk = assessSpamRisk(
      plan({ startDate: "2026-06-01", repeatEveryDays: 7, endDate: "2026-06-30", maxSends: 3 }),
      1,
    );
    expect(risk.level).toBe("medium");
    expect(risk.remedies.map((r) => r.en)).toEqual(["Add a variant (1 of 3), so that the mails do not all look the same."]);
  });

  it("every 2 days, 8 sends, 3 variants: medium, suggests a longer interval and escalation", () => {
    const risk = assessSpamRisk(plan({ startDate: "2026-06-01", repeatEveryDays: 2, endDate: "2026-06-15" }), 3);
    expect(risk).toMatchObject({ level: "medium", mails: 8, sameTextMax: 3 });
    expect(risk.remedies.map((r) => r.en)).toContain("Repeat every 7 instead of every 2 days.");
    expect(risk.remedies.map((r) => r.en.slice(0, 22))).toContain("Escalate after 3 remin");
  });

  it("escalation after 3 brings a long daily plan down to low", () => {
    const risk = assessSpamRisk(
      plan({
        startDate: "2026-06-01",
        repeatEveryDays: 3,
        endDate: "2026-08-30",
        escalateAfterSends: 3,
        digestWeekday: 1,
        digestTime: "08:00",
      }),
      2,
    );
    expect(risk).toMatchObject({ level: "low", mails: 3 });
  });

  it("a single reminder is low", () => {
    expect(assessSpamRisk(plan({ anchor: "due", offsetDays: 3 }), 1).level).toBe("low");
  });

  it("the worst case of an assignment-based plan runs as long as the end date allows", () => {
    const p = plan({ anchor: "due", offsetDays: 10, repeatEveryDays: 7, endDate: "2027-03-01" });
    expect(worstCaseSchedule(p).reminders).toHaveLength(53); // 365 days → 53 weekly dates
    expect(worstCaseSchedule(p, { now }).details[0]!.localDate).toBe("2026-05-04");
  });
});
