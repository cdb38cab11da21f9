import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { planToValues } from "@/components/reminders/plan-values";
import type { Locale } from "@/lib/i18n/locale";
import { getTraining, listTrainings } from "@/lib/reminders/queries";
import { defaultTemplates, TEMPLATE_VARIABLES } from "@/lib/reminders/templates";
import { config } from "@/lib/config/platform-profile";
import { loadSendingVerdict } from "@/lib/sender/sending-block";
import { requireTenantPage } from "@/app/_server/guard";
import { savePlanAction } from "../../actions";
import { REMINDER_EDITORS } from "../../roles";
import { DEFAULT_SAMPLE, initialPreview, newPlanDefaults } from "../editor-data";
import { ClientMessages } from "@/app/_i18n/client-messages";
import { PlanEditor } from "@/components/reminders/islands";

export default async function NewPlanPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ training?: string }>;
}) {
  const { slug } = await params;
  const { db, actor, tenant } = await requireTenantPage(slug, REMINDER_EDITORS);
  const t = await getTranslations("reminders");
  const locale = (await getLocale()) as Locale;
  const wanted = (await searchParams).training;
  const all = await listTrainings(db, { tenantId: tenant.id, pageSize: 500 });
  const training =
    (wanted && /^[0-9a-f-]{36}$/i.test(wanted) ? await getTraining(db, { tenantId: tenant.id, trainingId: wanted }) : undefined) ??
    all.rows[0];
  const back = `/t/${tenant.slug}/reminders`;
  if (!training) {
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold">{t("editor.newTitle")}</h1>
        <p className="card text-slate-700">
          {t("editor.needTraining")}{" "}
          <Link className="link" href={back}>
            {t("editor.back")}
          </Link>
        </p>
      </div>
    );
  }
  const plan = newPlanDefaults(tenant.timezone, training.id);
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link className="link" href={back}>
            {t("editor.back")}
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-semibold">{t("editor.newTitle")}</h1>
        <p className="mt-1 text-slate-700">{t("editor.intro")}</p>
      </div>
      <ClientMessages namespaces={["reminders.editor", "reminders.weekdays", "reminders.templates", "reminders.preview", "reminders.risk"]}>
        <PlanEditor
          tenantSlug={tenant.slug}
          planId={null}
          trainings={all.rows.map((r) => ({ id: r.id, name: r.name }))}
          timezone={tenant.timezone}
          initialValues={planToValues(plan)}
          initialPreview={initialPreview({ schedule: plan.schedule, templates: plan.templates, tenant, training, locale })}
          initialSample={DEFAULT_SAMPLE}
          variables={TEMPLATE_VARIABLES}
          starterTemplates={defaultTemplates}
          canSend={(await loadSendingVerdict(db, { tenantId: tenant.id, relayConfigured: !!config().SMTP_RELAY_URL, viewer: actor.role, now: new Date() })).verdict.canSend}
          action={savePlanAction}
        />
      </ClientMessages>
    </div>
  );
}
