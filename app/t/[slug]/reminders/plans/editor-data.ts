import { DateTime } from "luxon";
import type { Locale } from "@/lib/i18n/locale";
import type { PlanSchedule, TemplateSet } from "@/lib/reminders/plan-schema";
import { buildPlanPreview, type SampleLearner } from "@/lib/reminders/preview";
import { defaultTemplates } from "@/lib/reminders/templates";

export const DEFAULT_SAMPLE: SampleLearner = { assignedDate: null, dueInDays: 14, locale: null };

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
  const templates: TemplateSet = { de: defaultTemplates.de.map((v) => ({ ...v })), en: defaultTemplates.en.map((v) => ({ ...v })) };
  return { name: "", trainingId, active: true, schedule, templates };
}

export function initialPreview(params: {
  schedule: PlanSchedule;
  templates: TemplateSet;
  tenant: { name: string; locale: Locale };
  training: { name: string; linkUrl: string | null } | undefined;
  locale: Locale;
}) {
  return buildPlanPreview({
    schedule: params.schedule,
    templates: params.templates,
    sample: DEFAULT_SAMPLE,
    context: {
      tenantName: params.tenant.name,
      tenantLocale: params.tenant.locale,
      trainingName: params.training?.name ?? null,
      trainingLink: params.training?.linkUrl ?? null,
    },
    locale: params.locale,
    now: new Date(),
  });
}
