import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { ScrollTable } from "@/components/scroll-table";
import { TrainingForm } from "@/components/reminders/training-form";
import { SpamRiskBadge } from "@/components/reminders/spam-risk-badge";
import { SendingBlocked } from "@/components/sender/sending-blocked";
import { hasRole } from "@/lib/auth/access";
import { config } from "@/lib/config/platform-profile";
import type { Locale } from "@/lib/i18n/locale";
import { countActiveLearners } from "@/lib/learners/queries";
import { describeSchedule } from "@/lib/reminders/preview";
import { countActivePlans, listPlans, listTrainings } from "@/lib/reminders/queries";
import { assessSpamRisk } from "@/lib/reminders/spam-risk";
import { distinctVariantCount } from "@/lib/reminders/templates";
import { loadSendingVerdict } from "@/lib/sender/sending-block";
import { requireTenantPage } from "@/app/_server/guard";
import { sectionRoles } from "../sections";
import { saveTrainingAction } from "./actions";
import { REMINDER_EDITORS } from "./roles";
import { ClientMessages } from "@/app/_i18n/client-messages";

const PAGE_SIZE = 20;

export default async function RemindersPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ page?: string }>;
}) {
  const { slug } = await params;
  const { db, actor, tenant } = await requireTenantPage(slug, sectionRoles("reminders"));
  const t = await getTranslations("reminders");
  const ts = await getTranslations("sending");
  const locale = (await getLocale()) as Locale;
  const canEdit = hasRole(actor, REMINDER_EDITORS);
  const page = Math.max(1, Number.parseInt((await searchParams).page ?? "1", 10) || 1);
  const trainings = await listTrainings(db, { tenantId: tenant.id, page, pageSize: PAGE_SIZE });
  const plans = await listPlans(db, { tenantId: tenant.id, trainingIds: trainings.rows.map((r) => r.id) });
  const [activePlans, activeLearners] = await Promise.all([
    countActivePlans(db, { tenantId: tenant.id }),
    countActiveLearners(db, { tenantId: tenant.id }),
  ]);
  const pages = Math.max(1, Math.ceil(trainings.total / PAGE_SIZE));
  const now = new Date();
  const base = `/t/${tenant.slug}/reminders`;
  const sending = await loadSendingVerdict(db, { tenantId: tenant.id, relayConfigured: !!config().SMTP_RELAY_URL, viewer: actor.role, now });

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="mt-1 text-slate-700">{t("intro")}</p>
        <p className="mt-2 text-sm text-slate-700">{t("timezone", { timezone: tenant.timezone })}</p>
        {canEdit ? null : (
          <p className="mt-2 rounded-md border border-slate-300 bg-slate-100 px-3 py-2 text-sm text-slate-800" data-testid="read-only-note">
            {t("readOnly")}
          </p>
        )}
      </div>

      <SendingBlocked sending={sending} tenantSlug={tenant.slug} canFix={hasRole(actor, sectionRoles("sender"))} />

      <section className="card" aria-labelledby="volume-heading">
        <h2 id="volume-heading" className="text-lg font-semibold">
          {t("volume.title")}
        </h2>
        <p className="mt-1 text-sm text-slate-700" data-testid="volume-statement">
          {t("volume.statement", { plans: activePlans, learners: activeLearners })}
        </p>
      </section>

      <section aria-labelledby="trainings-heading" className="space-y-4">
        <h2 id="trainings-heading" className="text-lg font-semibold">
          {t("trainings.title")}
        </h2>
        {trainings.total === 0 ? <p className="card text-slate-700">{canEdit ? t("trainings.emptyEdit") : t("trainings.empty")}</p> : null}
        <ul className="space-y-4">
          {trainings.rows.map((training) => {
            const own = plans.filter((p) => p.trainingId === training.id);
            return (
              <li key={training.id} className="card space-y-3" data-testid={`training-${training.name}`}>
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div>
                    <h3 className="text-base font-semibold">{training.name}</h3>
                    <p className="text-sm text-slate-700">
                      {training.externalId ? `${t("trainings.externalId")}: ${training.externalId}` : t("trainings.noExternalId")}
                      {" · "}
                      {training.linkUrl ? (
                        <a className="link" href={training.linkUrl} rel="noopener noreferrer" target="_blank">
                          {t("trainings.link")}
                        </a>
                      ) : (
                        t("trainings.noLink")
                      )}
                    </p>
                  </div>
                  {canEdit ? (
                    <div className="flex flex-wrap gap-2">
                      <Link className="btn-secondary" href={`${base}/trainings/${training.id}`}>
                        {t("trainings.edit", { name: training.name })}
                      </Link>
                      <Link className="btn-primary" href={`${base}/plans/new?training=${training.id}`}>
                        {t("trainings.newPlan", { name: training.name })}
                      </Link>
                    </div>
                  ) : null}
                </div>
                {own.length === 0 ? (
                  <p className="text-sm text-slate-700">{t("plans.none")}</p>
                ) : (
                  <ScrollTable label={t("plans.caption", { name: training.name })}>
                    <table className="w-full text-left text-sm">
                      <caption className="sr-only">{t("plans.caption", { name: training.name })}</caption>
                      <thead>
                        <tr className="border-b border-slate-200 text-slate-700">
                          <th scope="col" className="py-2 pr-3 font-medium">{t("plans.name")}</th>
                          <th scope="col" className="py-2 pr-3 font-medium">{t("plans.status")}</th>
                          <th scope="col" className="py-2 pr-3 font-medium">{t("plans.risk")}</th>
                          <th scope="col" className="py-2 font-medium">{t("plans.schedule")}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {own.map((plan) => {
                          const risk = assessSpamRisk(plan.schedule, distinctVariantCount(plan.templates), { now });
                          return (
                            <tr key={plan.id} className="border-b border-slate-100 align-top last:border-b-0" data-testid={`plan-row-${plan.name}`}>
                              <td className="py-2 pr-3">
                                <Link className="link" href={`${base}/plans/${plan.id}`}>
                                  {plan.name}
                                </Link>
                              </td>
                              <td className="py-2 pr-3">
                                {plan.active ? (sending.verdict.canSend ? t("plans.active") : <strong className="font-medium text-amber-900">{ts("planBlocked")}</strong>) : t("plans.inactive")}
                              </td>
                              <td className="py-2 pr-3">
                                <SpamRiskBadge level={risk.level} />
                              </td>
                              <td className="py-2">
                                <span className="block">{describeSchedule(plan.schedule, locale)}</span>
                                <span className="block text-slate-600">{risk.summary[locale]}</span>
                              </td>
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  </ScrollTable>
                )}
              </li>
            );
          })}
        </ul>
        {pages > 1 ? (
          <nav aria-label={t("trainings.pages")} className="flex items-center gap-3 text-sm">
            {page > 1 ? (
              <Link className="link" href={`${base}?page=${page - 1}`}>
                {t("trainings.previous")}
              </Link>
            ) : null}
            <span>{t("trainings.pageOf", { page, pages })}</span>
            {page < pages ? (
              <Link className="link" href={`${base}?page=${page + 1}`}>
                {t("trainings.next")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>

      {canEdit ? (
        <section className="card space-y-4" aria-labelledby="new-training-heading">
          <h2 id="new-training-heading" className="text-lg font-semibold">
            {t("training.newTitle")}
          </h2>
          <ClientMessages namespaces={["reminders.training"]}>
            <TrainingForm action={saveTrainingAction} tenantSlug={tenant.slug} />
          </ClientMessages>
        </section>
      ) : null}
    </div>
  );
}
