import type { Locale } from "@/lib/i18n/locale";
import { DEFAULT_SAMPLE } from "@/lib/reminders/defaults";
import type { PlanSchedule, TemplateSet } from "@/lib/reminders/plan-schema";
import { buildPlanPreview } from "@/lib/reminders/preview";

export { DEFAULT_SAMPLE, newPlanDefaults } from "@/lib/reminders/defaults";

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
