import { describe, expect, it } from "vitest";
import { planScheduleSchema, type PlanScheduleInput } from "./plan-schema";
import { defaultTemplateSet } from "./defaults";
import { assessCombinedSpamRisk, assessSpamRisk, worstCaseSchedule } from "./spam-risk";

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

describe("combined spam risk of a training's active plans", () => {
  const templates = defaultTemplateSet();
  /** 3 weekly reminders in January 2027: low alone. */
  const threeWeekly = plan({ startDate: "2027-01-04", repeatEveryDays: 7, endDate: "2027-01-31", maxSends: 3 });
  /** 20 reminders every 2 days from February: high alone (N ≥ 12). */
  const twentyMails = plan({ startDate: "2027-02-01", repeatEveryDays: 2, endDate: "2027-03-31", maxSends: 20 });
  /** 3 weekly reminders from mid-January: overlaps threeWeekly. */
  const overlapping = plan({ startDate: "2027-01-11", repeatEveryDays: 7, endDate: "2027-02-28", maxSends: 3 });

  it("rates a plan alone when it is the training's only active plan", () => {
    const combined = assessCombinedSpamRisk({ id: null, name: "New", schedule: threeWeekly, templates }, [], { now });
    expect(combined).toMatchObject({ plans: 1, overlapping: [] });
    expect(combined.risk).toEqual(combined.alone);
    expect(combined.risk).toMatchObject({ level: "low", mails: 3 });
  });

  it("counts 3 + 20 mails of two active plans as 23 for one learner: high, not the low of the plan alone", () => {
    const combined = assessCombinedSpamRisk(
      { id: null, name: "Gentle", schedule: threeWeekly, templates },
      [{ id: "p2", name: "Busy", schedule: twentyMails, templates }],
      { now },
    );
    expect(combined.alone).toMatchObject({ level: "low", mails: 3 });
    expect(combined.risk).toMatchObject({ level: "high", mails: 23 });
    expect(combined.plans).toBe(2);
    expect(combined.risk.reasons[0]!.en).toBe("2 active plans of this training write to the same learner; everything is counted together.");
    expect(combined.risk.reasons[0]!.de).toBe("2 aktive Pläne dieser Schulung schreiben derselben Person; gezählt wird alles zusammen.");
    // January and February-March do not intersect: no overlap warning.
    expect(combined.overlapping).toEqual([]);
  });

  it("reports active plans whose send periods intersect", () => {
    const combined = assessCombinedSpamRisk(
      { id: "p1", name: "Gentle", schedule: threeWeekly, templates },
      [
        { id: "p2", name: "Busy", schedule: twentyMails, templates },
        { id: "p3", name: "Follow-up", schedule: overlapping, templates },
      ],
      { now },
    );
    expect(combined.overlapping).toEqual([{ id: "p3", name: "Follow-up", from: "2027-01-11", to: "2027-01-25" }]);
    expect(combined.risk.mails).toBe(26);
  });

  it("counts the texts of all plans: the same default texts in two plans are still 3 variants", () => {
    const one = { de: [templates.de[0]!], en: [] };
    const combined = assessCombinedSpamRisk(
      { id: null, name: "A", schedule: threeWeekly, templates: one },
      [{ id: "p2", name: "B", schedule: overlapping, templates: one }],
      { now },
    );
    expect(combined.risk).toMatchObject({ variants: 1, mails: 6, sameTextMax: 6, level: "high" });
  });
});
