import { DateTime } from "luxon";
import type { PlanSchedule, TemplateSet } from "./plan-schema";
import type { SampleLearner } from "./preview";
import { defaultTemplates } from "./templates";

export const DEFAULT_SAMPLE: SampleLearner = { assignedDate: null, dueInDays: 14, locale: null };

/** A fresh copy of the default texts (callers may change theirs). */
export function defaultTemplateSet(): TemplateSet {
  return { de: defaultTemplates.de.map((v) => ({ ...v })), en: defaultTemplates.en.map((v) => ({ ...v })) };
}

/** A calm starting point: weekly, weekdays only, at most 5, ending in 12 weeks. */
export function newPlanDefaults(timezone: string, trainingId: string, now = new Date()) {
  const endDate = DateTime.fromJSDate(now, { zone: timezone }).plus({ weeks: 12 }).toISODate()!;
  const schedule: PlanSchedule = {
    timezone,
    anchor: "assigned",
    offsetDays: 1,
    startDate: null,
    sendTime: "08:30",
    repeatEveryDays: 7,
    endDate,
    maxSends: 5,
    weekdaysOnly: true,
    escalateAfterSends: null,
    digestWeekday: null,
    digestTime: null,
  };
  return { name: "", trainingId, active: true, schedule, templates: defaultTemplateSet() };
}
