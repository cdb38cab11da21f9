import { describe, expect, it } from "vitest";
import { noteText, noteTexts, plural } from "./notes-text";
import type { PlanSchedule } from "./plan-schema";
import { computeSchedule, type NoteCode } from "./schedule";

/** Unvalidated on purpose: the engine must word plans the form would refuse too. */
const plan = (input: Partial<PlanSchedule>): PlanSchedule => ({
  timezone: "Europe/Berlin",
  anchor: "fixed",
  offsetDays: 0,
  startDate: null,
  sendTime: "09:00",
  repeatEveryDays: null,
  endDate: null,
  maxSends: null,
  weekdaysOnly: false,
  escalateAfterSends: null,
  digestWeekday: null,
  digestTime: null,
  ...input,
});
const none = { assignedAt: null, dueAt: null, completedAt: null };
const textOf = (code: NoteCode, p: Partial<PlanSchedule>) => {
  const note = computeSchedule(plan(p), none).notes.find((n) => n.code === code);
  if (!note) throw new Error(`no ${code} note`);
  return noteTexts(note);
};

describe("schedule notes: codes from the engine, words from the text layer", () => {
  it("the engine returns codes with parameters only", () => {
    const r = computeSchedule(plan({ startDate: "2026-06-06", repeatEveryDays: 7, endDate: "2026-08-25", weekdaysOnly: true }), none);
    expect(r.notes).toEqual([{ code: "weekendMoved", params: { count: 12 } }]);
  });

  it("agrees verb and noun with the count: 12 Termine fielen … wurden (issue 9 item 9)", () => {
    // Every Saturday for 12 weeks, weekdays only: each date moves to Monday.
    expect(textOf("weekendMoved", { startDate: "2026-06-06", repeatEveryDays: 7, endDate: "2026-08-25", weekdaysOnly: true })).toEqual({
      de: "12 Termine fielen auf ein Wochenende und wurden auf den folgenden Montag verschoben.",
      en: "12 dates fell on a weekend and moved to the following Monday.",
    });
    expect(textOf("weekendMoved", { startDate: "2026-06-06", repeatEveryDays: null, weekdaysOnly: true })).toEqual({
      de: "1 Termin fiel auf ein Wochenende und wurde auf den folgenden Montag verschoben.",
      en: "1 date fell on a weekend and moved to the following Monday.",
    });
  });

  it("one unused date 'entfällt', several 'entfallen'; one reminder 'geht', several 'gehen'", () => {
    expect(textOf("cappedByMaxSends", { startDate: "2026-06-01", repeatEveryDays: 7, endDate: "2026-06-15", maxSends: 2 })).toEqual({
      de: "Begrenzt auf 2 Erinnerungen: 1 weiterer Termin bis zum Enddatum entfällt.",
      en: "Limited to 2 reminders: 1 further date until the end date is not used.",
    });
    expect(textOf("cappedByMaxSends", { startDate: "2026-06-01", repeatEveryDays: 7, endDate: "2026-06-29", maxSends: 1 }).de).toBe(
      "Begrenzt auf 1 Erinnerung: 4 weitere Termine bis zum Enddatum entfallen.",
    );
    const single = textOf("escalationNotReached", {
      startDate: "2026-06-01",
      repeatEveryDays: null,
      escalateAfterSends: 3,
      digestWeekday: 1,
      digestTime: "09:00",
    });
    expect(single).toEqual({
      de: "Die Eskalation nach 3 Erinnerungen wird nicht erreicht: Es geht nur 1 Erinnerung raus.",
      en: "Escalation after 3 reminders is not reached: only 1 reminder goes out.",
    });
  });

  it("writes dates the German way in German and ISO in English", () => {
    expect(textOf("endsBeforeStart", { startDate: "2026-07-01", repeatEveryDays: 7, endDate: "2026-06-30" })).toEqual({
      de: "Der Plan endet (30.06.2026), bevor er beginnt (01.07.2026): keine Erinnerungen.",
      en: "The plan ends (2026-06-30) before it starts (2026-07-01): no reminders.",
    });
  });

  it("plural() follows each language's rules", () => {
    expect(plural("de", 1, { one: "# Termin", other: "# Termine" })).toBe("1 Termin");
    expect(plural("de", 0, { one: "# Termin", other: "# Termine" })).toBe("0 Termine");
    expect(plural("en", 1.5, { one: "# day", other: "# days" })).toBe("1.5 days");
    expect(noteText({ code: "weekendMerged", params: { count: 2 } }, "de")).toMatch(/^2 Termine fielen/);
  });
});
