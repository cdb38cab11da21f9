import type { Db } from "../lib/db/client";
import { createPlan } from "../lib/reminders/queries";
import { defaultTemplates } from "../lib/reminders/templates";

/** A low-risk active plan: three reminders, every 3 days from a week before the due date, weekdays only. */
export function createDuePlan(db: Db, p: { tenantId: string; trainingId: string; name: string; endDate: string }) {
  return createPlan(db, {
    tenantId: p.tenantId,
    trainingId: p.trainingId,
    name: p.name,
    active: true,
    schedule: {
      timezone: "Europe/Berlin",
      anchor: "due",
      offsetDays: 7,
      startDate: null,
      sendTime: "09:00",
      repeatEveryDays: 3,
      endDate: p.endDate,
      maxSends: 3,
      weekdaysOnly: true,
      escalateAfterSends: null,
      digestWeekday: null,
      digestTime: null,
    },
    templates: defaultTemplates,
    spamRisk: "low",
    highRiskConfirmedAt: null,
    highRiskConfirmedBy: null,
  });
}
