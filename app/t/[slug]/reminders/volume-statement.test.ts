import { describe, expect, it } from "vitest";
import { translator } from "@/app/_i18n/translator";

// The reminders page's "Mails per day" line names the active plans and the tenant's active learners.
describe("the reminders page's volume line", () => {
  const de = translator("de", "reminders");
  const en = translator("en", "reminders");

  it("before any learner: the chart comes once learners and assignments exist", () => {
    expect(de("volume.statement", { plans: 0, learners: 0 })).toBe(
      "Es gibt noch keinen aktiven Plan. Das Diagramm der Mails pro Tag für die aktuellen Zuweisungen erscheint hier, sobald es Lernende und ihre Zuweisungen gibt.",
    );
    expect(en("volume.statement", { plans: 1, learners: 0 })).toBe(
      "There is 1 active plan. The chart of mails per day for the current assignments appears here once learners and their assignments exist.",
    );
  });

  it("with learners: says how many are active, singular and plural", () => {
    expect(de("volume.statement", { plans: 2, learners: 1 })).toBe(
      "Es gibt 2 aktive Pläne. 1 lernende Person ist aktiv; das Diagramm der Mails pro Tag für ihre Zuweisungen folgt hier.",
    );
    expect(de("volume.statement", { plans: 1, learners: 1240 })).toBe(
      "Es gibt 1 aktiven Plan. 1.240 Lernende sind aktiv; das Diagramm der Mails pro Tag für ihre Zuweisungen folgt hier.",
    );
    expect(en("volume.statement", { plans: 3, learners: 1 })).toBe(
      "There are 3 active plans. 1 learner is active; the chart of mails per day for their assignments will follow here.",
    );
    expect(en("volume.statement", { plans: 0, learners: 1240 })).toBe(
      "There is no active plan yet. 1,240 learners are active; the chart of mails per day for their assignments will follow here.",
    );
  });
});
