import { describe, expect, it } from "vitest";
import type { PlanSchedule } from "./plan-schema";
import { buildPlanPreview, describeSchedule, sampleAssignment } from "./preview";
import { defaultTemplates } from "./templates";

const NOW = new Date("2026-05-04T08:00:00Z"); // Monday, 10:00 in Berlin
const weekly: PlanSchedule = {
  timezone: "Europe/Berlin",
  anchor: "assigned",
  offsetDays: 1,
  startDate: null,
  sendTime: "08:30",
  repeatEveryDays: 7,
  endDate: "2026-12-31",
  maxSends: 5,
  weekdaysOnly: true,
  escalateAfterSends: 3,
  digestWeekday: 1,
  digestTime: "09:00",
};
const context = { tenantName: "Acme <GmbH>", tenantLocale: "de" as const, trainingName: "Brandschutz", trainingLink: "https://lms.example/bs" };

describe("plan preview", () => {
  it("lists reminders with their variant, the escalation point and the digests in local time", () => {
    const p = buildPlanPreview({ schedule: weekly, templates: defaultTemplates, sample: { assignedDate: null, dueInDays: 14, locale: null }, context, locale: "en", now: NOW });
    const kinds = p.events.map((e) => e.kind);
    expect(kinds.slice(0, 4)).toEqual(["reminder", "reminder", "reminder", "escalation"]);
    expect(kinds.slice(4).every((k) => k === "digest")).toBe(true);
    expect(p.events[0]).toMatchObject({ number: 1, variant: 1, time: expect.stringMatching(/^08:30 /) });
    expect(p.events[2]).toMatchObject({ number: 3, variant: 3 });
    expect(p.summary).toMatch(/^This learner receives 3 reminders in 14 days, 3 variants; then appears in \d+ weekly overviews/);
    expect(p.risk.level).toBe("low");
  });

  it("renders every variant per language, the learner's language first in use, and escapes values in HTML", () => {
    const p = buildPlanPreview({ schedule: weekly, templates: defaultTemplates, sample: { assignedDate: null, dueInDays: 14, locale: "en" }, context, locale: "de", now: NOW });
    expect(p.mails).toHaveLength(6);
    const en1 = p.mails.find((m) => m.locale === "en" && m.variant === 1)!;
    expect(en1.usedBy).toEqual([1]);
    expect("html" in en1 && en1.html).toContain("Acme &lt;GmbH&gt;");
    expect(p.mails.find((m) => m.locale === "de")!.usedBy).toEqual([]);
  });

  it("names template problems per variant instead of rendering them", () => {
    const templates = { de: [{ subject: "Hallo {{lernerVorname}}", body: "Text" }], en: [] };
    const p = buildPlanPreview({ schedule: weekly, templates, sample: { assignedDate: null, dueInDays: 14, locale: null }, context, locale: "de", now: NOW });
    expect(p.mails[0]).toMatchObject({ errors: ["Den Platzhalter {{lernerVorname}} gibt es nicht. Meinten Sie {{learnerFirstName}}?"] });
  });

  it("explains why the due anchor sends nothing without a due date", () => {
    const p = buildPlanPreview({
      schedule: { ...weekly, anchor: "due", escalateAfterSends: null },
      templates: defaultTemplates,
      sample: { assignedDate: null, dueInDays: null, locale: null },
      context,
      locale: "de",
      now: NOW,
    });
    expect(p.events).toEqual([]);
    expect(p.summary).toBe("Diese Person erhält keine Erinnerung.");
    expect(p.notes.join(" ")).toContain("Fälligkeitsdatum");
  });

  it("places the sample learner in the tenant's zone", () => {
    const a = sampleAssignment("Europe/Berlin", NOW, { assignedDate: "2026-06-01", dueInDays: 10, locale: null });
    expect(a.assignedAt.toISOString()).toBe("2026-06-01T08:00:00.000Z");
    expect(a.dueAt?.toISOString()).toBe("2026-06-11T10:00:00.000Z");
  });

  it("describes a schedule in one line", () => {
    expect(describeSchedule(weekly, "en")).toBe(
      "1 day after the assignment at 08:30, every 7 days until 2026-12-31, at most 5, weekdays only, escalate after 3",
    );
    expect(describeSchedule({ ...weekly, anchor: "fixed", startDate: "2026-09-01", repeatEveryDays: null, maxSends: null, weekdaysOnly: false, escalateAfterSends: null }, "de")).toBe(
      "ab 01.09.2026 um 08:30, einmalig",
    );
  });
});

describe("plan preview: the training's other active plans", () => {
  const daily: PlanSchedule = { ...weekly, anchor: "fixed", startDate: "2026-05-11", repeatEveryDays: 1, endDate: "2026-06-30", maxSends: 20, escalateAfterSends: null, digestWeekday: null, digestTime: null };
  const sample = { assignedDate: null, dueInDays: 14, locale: null };
  const other = { id: "11111111-1111-4111-8111-111111111111", name: "Daily", schedule: daily, templates: defaultTemplates };

  it("counts them into the meter and names the overlapping ones", () => {
    const p = buildPlanPreview({ schedule: weekly, templates: defaultTemplates, sample, context, locale: "en", now: NOW, otherActivePlans: [other], plan: { id: null, name: "Weekly", active: true } });
    expect(p.risk).toMatchObject({ level: "high", mails: 23 });
    expect(p.risk.combined).toMatchObject({ plans: 2, aloneLevel: "low", overlapping: [{ id: other.id, name: "Daily", from: "2026-05-11" }] });
    expect(p.risk.reasons[0]).toBe("2 active plans of this training write to the same learner; everything is counted together.");
  });

  it("an inactive plan is rated alone", () => {
    const p = buildPlanPreview({ schedule: weekly, templates: defaultTemplates, sample, context, locale: "de", now: NOW, otherActivePlans: [other], plan: { id: null, name: "Weekly", active: false } });
    expect(p.risk).toMatchObject({ level: "low", combined: { plans: 1, overlapping: [] } });
  });
});
