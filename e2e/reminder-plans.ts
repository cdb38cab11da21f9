import { expect, type Page } from "@playwright/test";
import type { Db } from "../lib/db/client";
import { createPlan } from "../lib/reminders/queries";
import { defaultTemplates } from "../lib/reminders/templates";

type Schedule = Parameters<typeof createPlan>[1]["schedule"];

/** An active low-risk plan with the default templates and this schedule (Europe/Berlin). */
export function createActivePlan(db: Db, p: { tenantId: string; trainingId: string; name: string }, schedule: Partial<Schedule>) {
  return createPlan(db, {
    tenantId: p.tenantId,
    trainingId: p.trainingId,
    name: p.name,
    active: true,
    schedule: {
      timezone: "Europe/Berlin",
      anchor: "due",
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
      ...schedule,
    },
    templates: defaultTemplates,
    spamRisk: "low",
    highRiskConfirmedAt: null,
    highRiskConfirmedBy: null,
  });
}

/** A low-risk active plan: three reminders, every 3 days from a week before the due date, weekdays only. */
export function createDuePlan(db: Db, p: { tenantId: string; trainingId: string; name: string; endDate: string }) {
  return createActivePlan(db, p, { anchor: "due", offsetDays: 7, repeatEveryDays: 3, endDate: p.endDate, maxSends: 3, weekdaysOnly: true });
}

/** In the plan editor: every day for 60 days from next week, one German variant, the meter's worst case. */
export async function fillDailyPlan(page: Page) {
  const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("Name des Plans").fill("Täglich");
  await page.getByLabel("An einem festen Datum").check();
  await page.getByLabel("Startdatum").fill(isoDay(7));
  await page.getByLabel("Wiederholen alle … Tage").fill("1");
  await page.getByLabel("Enddatum (Pflicht)").fill(isoDay(66));
  await page.getByLabel("Höchstens … Erinnerungen (optional)").fill("");
  await page.getByLabel("Nur werktags (Samstag und Sonntag rücken auf Montag)").uncheck();
  await page.getByRole("button", { name: "Variante 3 entfernen (Deutsch)" }).click();
  await page.getByRole("button", { name: "Variante 2 entfernen (Deutsch)" }).click();
  await expect(page.getByTestId("preview-summary")).toContainText("60 Erinnerungen in 59 Tagen, 1 Variante");
}
