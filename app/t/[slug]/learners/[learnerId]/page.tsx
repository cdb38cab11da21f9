import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { StatusBadge, type BadgeTone } from "@/components/domain/status-badge";
import { DeliveryTable } from "@/components/deliveries/delivery-table";
import { LearnerActionForm } from "@/components/learners/islands";
import { formatDay, formatInstant } from "@/components/learners/format";
import { ScrollTable } from "@/components/scroll-table";
import { can } from "@/lib/auth/policy";
import { deliveryAttemptsFor, getOpenPauseView, learnerUnsubscribes, listDeliveryRows } from "@/lib/delivery/queries";
import type { Locale } from "@/lib/i18n/locale";
import { getLearnerDetail } from "@/lib/learners/queries";
import { requireTenantPage } from "@/app/_server/guard";
import { sectionRoles } from "../../sections";
import { completeAssignmentAction, setLearnerActiveAction, withdrawAssignmentAction } from "../actions";

const ASSIGNMENT_TONE: Record<"open" | "overdue" | "completed" | "withdrawn", BadgeTone> = {
  open: "pending",
  overdue: "warning",
  completed: "ok",
  withdrawn: "waiting",
};

export async function generateMetadata() {
  const t = await getTranslations("learners");
  return { title: t("detail.title") };
}

export default async function LearnerPage({ params }: { params: Promise<{ slug: string; learnerId: string }> }) {
  const { slug, learnerId } = await params;
  const { db, actor, tenant } = await requireTenantPage(slug, sectionRoles("learners"));
  if (!/^[0-9a-f-]{36}$/i.test(learnerId)) notFound();
  const now = new Date();
  // Scoped to the tenant of the URL: another tenant's learner id is "not found".
  const learner = await getLearnerDetail(db, { tenantId: tenant.id, id: learnerId, now, deliveryLimit: 0 });
  if (!learner) notFound();
  const [deliveries, unsubscribes, pause] = await Promise.all([
    listDeliveryRows(db, { tenantId: tenant.id, filter: { learnerId: learner.id }, limit: 100 }),
    learnerUnsubscribes(db, { tenantId: tenant.id, learnerId: learner.id }),
    getOpenPauseView(db, { tenantId: tenant.id }),
  ]);
  const attempts = await deliveryAttemptsFor(db, { tenantId: tenant.id, deliveryIds: deliveries.items.map((d) => d.id) });

  const t = await getTranslations("learners");
  const tc = await getTranslations("common");
  const td = await getTranslations("deliveries");
  const canSeeDeliveries = can(actor, "deliveries.view");
  const locale = (await getLocale()) as Locale;
  const zone = tenant.timezone;
  const day = (at: Date | null) => (at ? formatDay(at, locale, zone) : "–");
  const canEdit = can(actor, "learners.edit");
  const name = `${learner.firstName} ${learner.lastName}`;
  const base = `/t/${tenant.slug}/learners`;
  const fields = { tenantSlug: tenant.slug, learnerId: learner.id };
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link className="link" href={base}>
            {t("detail.back")}
          </Link>
        </p>
        <h1 className="mt-2 flex flex-wrap items-center gap-3 text-2xl font-semibold">
          {name}
          {learner.active ? null : <StatusBadge tone="waiting" label={t("inactive")} />}
        </h1>
        <p className="mt-1 text-sm text-slate-700">{t("detail.timezone", { timezone: zone })}</p>
      </div>

      <section className="card space-y-4" aria-labelledby="learner-data-heading">
        <h2 id="learner-data-heading" className="text-lg font-semibold">
          {t("detail.data")}
        </h2>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium text-slate-700">{t("col.email")}</dt>
          <dd className="break-all">{learner.email}</dd>
          <dt className="font-medium text-slate-700">{t("detail.externalId")}</dt>
          <dd className="break-all font-mono text-xs">{learner.externalId}</dd>
          <dt className="font-medium text-slate-700">{t("detail.locale")}</dt>
          <dd>{learner.locale === "de" ? tc("german") : learner.locale === "en" ? tc("english") : t("detail.tenantLocale")}</dd>
          <dt className="font-medium text-slate-700">{t("col.responsible")}</dt>
          <dd>
            {learner.responsibleName || learner.responsibleEmail
              ? [learner.responsibleName, learner.responsibleEmail].filter(Boolean).join(" · ")
              : t("none")}
          </dd>
          <dt className="font-medium text-slate-700">{t("col.active")}</dt>
          <dd data-testid="learner-active">{learner.active ? t("active") : t("inactive")}</dd>
          <dt className="font-medium text-slate-700">{t("detail.updated")}</dt>
          <dd>{formatInstant(learner.updatedAt, locale, zone)}</dd>
        </dl>
        {canEdit ? (
          <div className="border-t border-slate-200 pt-4">
            <LearnerActionForm
              action={setLearnerActiveAction}
              fields={{ ...fields, active: learner.active ? "false" : "true" }}
              label={learner.active ? t("action.deactivate") : t("action.reactivate")}
              confirm={
                learner.active
                  ? { question: t("action.deactivateQuestion", { name }), yes: t("action.deactivateYes"), cancel: t("action.cancel") }
                  : undefined
              }
              testId="learner-active-form"
            />
          </div>
        ) : null}
      </section>

      <section className="card space-y-4" aria-labelledby="assignments-heading">
        <h2 id="assignments-heading" className="text-lg font-semibold">
          {t("detail.assignments")}
        </h2>
        {learner.assignments.length === 0 ? (
          <p className="text-slate-700">{t("detail.noAssignments")}</p>
        ) : (
          <ScrollTable label={t("detail.assignments")}>
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t("detail.assignmentsCaption", { name })}</caption>
              <thead className="border-b border-slate-200 text-slate-700">
                <tr>
                  <th scope="col" className="py-2 pr-3 font-medium">{t("col.training")}</th>
                  <th scope="col" className="py-2 pr-3 font-medium">{t("col.assigned")}</th>
                  <th scope="col" className="py-2 pr-3 font-medium">{t("col.due")}</th>
                  <th scope="col" className="py-2 pr-3 font-medium">{t("col.status")}</th>
                  {canEdit ? (
                    <th scope="col" className="py-2 font-medium">
                      <span className="sr-only">{t("col.actions")}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {learner.assignments.map((a) => {
                  const pending = a.status === "open" || a.status === "overdue";
                  return (
                    <tr key={a.id} className="border-b border-slate-100 align-top last:border-b-0" data-testid="assignment-row">
                      <th scope="row" className="py-2 pr-3 font-normal">
                        {a.trainingName}
                      </th>
                      <td className="py-2 pr-3 whitespace-nowrap">{day(a.assignedAt)}</td>
                      <td className="py-2 pr-3 whitespace-nowrap">{day(a.dueAt)}</td>
                      <td className="py-2 pr-3 whitespace-nowrap">
                        <StatusBadge tone={ASSIGNMENT_TONE[a.status]} label={t(`status.${a.status}`)} />
                        {a.withdrawnAt ? (
                          <span className="mt-1 block text-slate-700">{t("detail.withdrawnOn", { date: day(a.withdrawnAt) })}</span>
                        ) : a.completedAt ? (
                          <span className="mt-1 block text-slate-700">{t("detail.completedOn", { date: day(a.completedAt) })}</span>
                        ) : null}
                      </td>
                      {canEdit ? (
                        <td className="w-56 space-y-2 py-2">
                          <LearnerActionForm
                            action={completeAssignmentAction}
                            fields={{ ...fields, assignmentId: a.id }}
                            available={pending}
                            label={t("action.complete")}
                            accessibleLabel={t("action.completeFor", { training: a.trainingName })}
                            testId="complete-form"
                          />
                          <LearnerActionForm
                            action={withdrawAssignmentAction}
                            fields={{ ...fields, assignmentId: a.id }}
                            available={pending}
                            label={t("action.withdraw")}
                            accessibleLabel={t("action.withdrawFor", { training: a.trainingName })}
                            confirm={{
                              question: t("action.withdrawQuestion", { training: a.trainingName, name }),
                              yes: t("action.withdrawYes"),
                              cancel: t("action.cancel"),
                            }}
                            testId="withdraw-form"
                          />
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollTable>
        )}
      </section>

      <section className="card space-y-4" aria-labelledby="reminders-heading">
        <div>
          <h2 id="reminders-heading" className="text-lg font-semibold">
            {t("delivery.title")}
          </h2>
          <p className="mt-1 text-sm text-slate-700">{t("delivery.intro")}</p>
        </div>
        {unsubscribes.length > 0 ? (
          <div className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="learner-unsubscribes">
            <h3 className="font-semibold">{td("learner.unsubscribesTitle")}</h3>
            <ul className="mt-1 list-disc space-y-1 pl-5">
              {unsubscribes.map((u) => (
                <li key={u.planId}>{td("learner.unsubscribed", { plan: u.planName, date: day(u.createdAt), via: td(`learner.${u.via}`) })}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {deliveries.items.length === 0 ? (
          <p className="text-slate-700" data-testid="reminders-empty">
            {t("delivery.empty")}
          </p>
        ) : (
          <DeliveryTable
            rows={deliveries.items}
            attempts={attempts}
            tenantSlug={tenant.slug}
            timezone={zone}
            locale={locale}
            caption={t("delivery.caption", { name })}
            showRecipient={false}
            paused={!!pause}
          />
        )}
        {canSeeDeliveries ? (
          <p className="text-sm">
            <Link className="link" href={`/t/${tenant.slug}/deliveries?learner=${learner.id}`}>
              {td("learner.allMails")}
            </Link>
          </p>
        ) : null}
      </section>
    </div>
  );
}
