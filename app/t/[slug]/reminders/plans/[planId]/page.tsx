import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { PlanDetails } from "@/components/reminders/plan-details";
import { SendingBlocked } from "@/components/sender/sending-blocked";
import { planToValues, valuesToInput } from "@/components/reminders/plan-values";
import { hasRole } from "@/lib/auth/access";
import { config } from "@/lib/config/platform-profile";
import { loadSendingVerdict } from "@/lib/sender/sending-block";
import type { Locale } from "@/lib/i18n/locale";
import { formatLocalDate } from "@/lib/reminders/preview";
import { getPlan, getTraining, listTrainings } from "@/lib/reminders/queries";
import { defaultTemplates, TEMPLATE_VARIABLES } from "@/lib/reminders/templates";
import { getUserById } from "@/lib/users/queries";
import { requireTenantPage } from "@/app/_server/guard";
import { sectionRoles } from "../../../sections";
import { savePlanAction } from "../../actions";
import { REMINDER_EDITORS } from "../../roles";
import { DEFAULT_SAMPLE, initialPreview } from "../editor-data";
import { ClientMessages } from "@/app/_i18n/client-messages";
import { PlanEditor, PlanPreviewPanel } from "@/components/reminders/islands";

export default async function PlanPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; planId: string }>;
  searchParams: Promise<{ saved?: string }>;
}) {
  const { slug, planId } = await params;
  const { db, actor, tenant } = await requireTenantPage(slug, sectionRoles("reminders"));
  if (!/^[0-9a-f-]{36}$/i.test(planId)) notFound();
  const plan = await getPlan(db, { tenantId: tenant.id, planId });
  if (!plan) notFound();
  const t = await getTranslations("reminders");
  const locale = (await getLocale()) as Locale;
  const training = await getTraining(db, { tenantId: tenant.id, trainingId: plan.trainingId });
  const canEdit = hasRole(actor, REMINDER_EDITORS);
  const preview = initialPreview({ schedule: plan.schedule, templates: plan.templates, tenant, training, locale });
  const confirmedBy = plan.highRiskConfirmedBy ? await getUserById(db, plan.highRiskConfirmedBy) : undefined;
  const saved = (await searchParams).saved === "1";
  const verdict = await loadSendingVerdict(db, { tenantId: tenant.id, relayConfigured: !!config().SMTP_RELAY_URL, viewer: actor.role, now: new Date() });
  const sending = plan.active ? verdict : null;

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link className="link" href={`/t/${tenant.slug}/reminders`}>
            {t("editor.back")}
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-semibold">{t("editor.planTitle", { name: plan.name })}</h1>
        <p className="mt-1 text-slate-700">{canEdit ? t("editor.intro") : t("readOnly")}</p>
        {plan.highRiskConfirmedAt ? (
          <p className="mt-2 text-sm text-red-900" data-testid="high-risk-confirmed">
            {t("editor.confirmedInfo", {
              date: formatLocalDate(plan.highRiskConfirmedAt, tenant.timezone, locale),
              name: confirmedBy?.name || confirmedBy?.email || "?",
            })}
          </p>
        ) : null}
        {saved ? (
          <p role="status" tabIndex={-1} data-focus-after-save className="mt-2 rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
            {t("plan.created", { name: plan.name })}
          </p>
        ) : null}
      </div>
      {sending ? (
        <SendingBlocked sending={sending} tenantSlug={tenant.slug} canFix={hasRole(actor, sectionRoles("sender"))} />
      ) : null}
      {canEdit ? (
        <ClientMessages namespaces={["reminders.editor", "reminders.weekdays", "reminders.templates", "reminders.preview", "reminders.risk"]}>
          <PlanEditor
            tenantSlug={tenant.slug}
            planId={plan.id}
            trainings={(await listTrainings(db, { tenantId: tenant.id, pageSize: 500 })).rows.map((r) => ({ id: r.id, name: r.name }))}
            timezone={tenant.timezone}
            initialValues={planToValues(plan)}
            initialPreview={preview}
            initialSample={DEFAULT_SAMPLE}
            variables={TEMPLATE_VARIABLES}
            starterTemplates={defaultTemplates}
            canSend={verdict.verdict.canSend}
            action={savePlanAction}
          />
        </ClientMessages>
      ) : (
        <div className="grid gap-6 xl:grid-cols-2">
          <PlanDetails plan={plan} trainingName={training?.name ?? ""} locale={locale} />
          <aside className="card space-y-5 self-start" aria-labelledby="preview-heading">
            <h2 id="preview-heading" className="text-lg font-semibold">
              {t("editor.preview")}
            </h2>
            <ClientMessages namespaces={["reminders.preview", "reminders.risk"]}>
              <PlanPreviewPanel
                tenantSlug={tenant.slug}
                input={{ ...valuesToInput(planToValues(plan)), trainingId: plan.trainingId }}
                initial={preview}
                initialSample={DEFAULT_SAMPLE}
              />
            </ClientMessages>
          </aside>
        </div>
      )}
    </div>
  );
}
