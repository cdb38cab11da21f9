import { DateTime } from "luxon";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { DeliveryChart } from "@/components/deliveries/delivery-chart";
import { DeliveryTable, DELIVERY_TONE } from "@/components/deliveries/delivery-table";
import { DeliveryActionForm, PauseBanner, SuppressionForm } from "@/components/deliveries/islands";
import { StatusBadge } from "@/components/domain/status-badge";
import { formatDay, formatInstant } from "@/components/learners/format";
import { ScrollTable } from "@/components/scroll-table";
import { SendingBlocked } from "@/components/sender/sending-blocked";
import { can } from "@/lib/auth/policy";
import { config } from "@/lib/config/platform-profile";
import { DELIVERY_STATUSES } from "@/lib/deliveries/schema";
import { failureAdvice } from "@/lib/delivery/failures";
import { FAILURE_CLASSES } from "@/lib/delivery/types";
import { listSuppressions } from "@/lib/delivery/suppressions";
import { deliveryListHref, deliveryListState, type SearchParams } from "@/lib/delivery/list-params";
import {
  decodeRowCursor,
  deliveriesPerDay,
  deliveryAttemptsFor,
  deliveryCounts,
  deliveryQueueView,
  listDeliveryRows,
  planChoices,
} from "@/lib/delivery/queries";
import type { Locale } from "@/lib/i18n/locale";
import { getLearner } from "@/lib/learners/queries";
import { loadSendingVerdict } from "@/lib/sender/sending-block";
import { senderEnvironment } from "@/lib/sender/service";
import { ClientMessages } from "@/app/_i18n/client-messages";
import { requireTenantPage } from "@/app/_server/guard";
import { hasRole } from "@/lib/auth/access";
import { sectionRoles } from "../sections";
import { addSuppressionAction, removeSuppressionAction, resumeSendingAction } from "./actions";
import { FilterSelect } from "@/components/filter-select";

const PAGE_SIZE = 50;
const SUPPRESSION_PAGE = 50;

export async function generateMetadata() {
  const t = await getTranslations("deliveries");
  return { title: t("title") };
}

export default async function DeliveriesPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { slug } = await params;
  const { db, actor, tenant } = await requireTenantPage(slug, sectionRoles("deliveries"));
  const search = await searchParams;
  const t = await getTranslations("deliveries");
  const locale = (await getLocale()) as Locale;
  const format = await getFormatter();
  const zone = tenant.timezone;
  const now = new Date();
  // The chart: the 14 local days before today, today and 13 after (by calendar, across DST).
  const localToday = DateTime.fromJSDate(now, { zone }).startOf("day");
  const env = { sender: senderEnvironment(config()) };
  const canManage = can(actor, "deliveries.manage");
  const base = `/t/${tenant.slug}/deliveries`;
  const state = deliveryListState(search, zone);
  // The same [ms, id] shape as the list's cursor; a hand-edited one starts from the top.
  const suppressionCursor = typeof search.blocked === "string" && decodeRowCursor(search.blocked) ? search.blocked : null;

  const [counts, days, queue, list, plans, suppressions, sending, filterLearner] = await Promise.all([
    deliveryCounts(db, { tenantId: tenant.id }),
    deliveriesPerDay(db, { tenantId: tenant.id, from: localToday.minus({ days: 14 }).toJSDate(), days: 28, timezone: zone }),
    deliveryQueueView(db, { tenantId: tenant.id, now, env }),
    listDeliveryRows(db, { tenantId: tenant.id, filter: state.filter, cursor: state.cursor, limit: PAGE_SIZE }),
    planChoices(db, { tenantId: tenant.id }),
    listSuppressions(db, { tenantId: tenant.id, cursor: suppressionCursor, limit: SUPPRESSION_PAGE }),
    loadSendingVerdict(db, { tenantId: tenant.id, relayConfigured: !!env.sender.relayUrl, viewer: actor.role, now }),
    state.filter.learnerId ? getLearner(db, { tenantId: tenant.id, id: state.filter.learnerId }) : Promise.resolve(undefined),
  ]);
  const attempts = await deliveryAttemptsFor(db, { tenantId: tenant.id, deliveryIds: list.items.map((r) => r.id) });
  const when = (at: Date) => formatInstant(at, locale, zone);
  const today = localToday.toISODate()!;
  const filtered = Object.keys(state.filter).length > 0;
  const pause = queue.pause;
  const canFixSender = hasRole(actor, sectionRoles("sender"));

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="mt-1 text-slate-700">{t("intro")}</p>
      </div>

      <ClientMessages namespaces={["deliveries.pause"]}>
        <PauseBanner
          pause={pause ? { since: when(pause.pausedAt), advice: failureAdvice(pause.errorKind, "sender")[locale], reply: pause.reply } : null}
          action={resumeSendingAction}
          tenantSlug={tenant.slug}
          canManage={canManage}
          senderHref={canFixSender ? `/t/${tenant.slug}/sender` : null}
        />
      </ClientMessages>

      <SendingBlocked sending={sending} tenantSlug={tenant.slug} canFix={canFixSender} />

      <section className="card space-y-3" aria-labelledby="queue-heading" data-testid="queue">
        <h2 id="queue-heading" className="text-lg font-semibold">
          {t("queue.title")}
        </h2>
        <p>
          {t("queue.dueNow", { count: queue.dueNow })} {t("queue.later", { count: queue.later, when: queue.nextAt ? when(queue.nextAt) : "" })}
        </p>
        {queue.wait ? (
          <p className="text-sm text-slate-900" data-testid="queue-wait">
            {queue.wait.reason === "quota"
              ? t("queue.wait.quota", { quota: format.number(queue.dailyQuota), when: when(queue.wait.until) })
              : t(`queue.wait.${queue.wait.reason}`)}
          </p>
        ) : null}
        {queue.eta ? (
          <p className="text-sm text-slate-900" data-testid="queue-eta">
            {queue.eta.days > 0 ? t("queue.etaDays", { days: queue.eta.days, when: when(queue.eta.finishAt) }) : t("queue.eta", { when: when(queue.eta.finishAt) })}
          </p>
        ) : null}
        <p className="text-sm text-slate-700">
          {t("queue.limits", { rate: format.number(queue.ratePerMinute), quota: format.number(queue.dailyQuota), sent: format.number(queue.sentToday) })}{" "}
          {canFixSender ? (
            <Link className="link" href={`/t/${tenant.slug}/sender`}>
              {t("queue.changeLimits")}
            </Link>
          ) : null}
        </p>
      </section>

      <section className="card space-y-3" aria-labelledby="counts-heading">
        <h2 id="counts-heading" className="text-lg font-semibold">
          {t("counts.title")}
        </h2>
        <ul className="flex flex-wrap gap-3" data-testid="delivery-counts">
          {DELIVERY_STATUSES.map((s) => (
            <li key={s}>
              <Link
                href={deliveryListHref(base, { status: s }, null)}
                className="flex items-center gap-2 rounded-md border border-slate-200 px-3 py-2 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-700"
                aria-label={t("counts.show", { label: `${t(`status.${s}`)}: ${counts[s]}` })}
                data-testid={`count-${s}`}
              >
                <StatusBadge tone={DELIVERY_TONE[s]} label={t(`status.${s}`)} />
                <span className="text-lg font-semibold tabular-nums">{counts[s]}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section className="card space-y-3" aria-labelledby="chart-heading">
        <div>
          <h2 id="chart-heading" className="text-lg font-semibold">
            {t("chart.title")}
          </h2>
          <p className="mt-1 text-sm text-slate-700">{t("chart.intro")}</p>
        </div>
        <DeliveryChart days={days} today={today} locale={locale} />
      </section>

      <section className="card space-y-4" aria-labelledby="list-heading">
        <h2 id="list-heading" className="text-lg font-semibold">
          {t("list.title")}
        </h2>
        <form method="get" action={base} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label={t("filter.title")} data-testid="delivery-filter">
          {state.values.learner ? <input type="hidden" name="learner" value={state.values.learner} /> : null}
          <FilterSelect id="filter-status" name="status" label={t("filter.status")} anyLabel={t("filter.anyStatus")} value={state.values.status}
            options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
          <FilterSelect id="filter-failure" name="failure" label={t("filter.failure")} anyLabel={t("filter.anyFailure")} value={state.values.failure}
            options={FAILURE_CLASSES.map((c) => ({ value: c, label: t(`failureClass.${c}`) }))} />
          <FilterSelect id="filter-plan" name="plan" label={t("filter.plan")} anyLabel={t("filter.anyPlan")} value={state.values.plan}
            options={plans.map((p) => ({ value: p.id, label: p.name }))} />
          <div>
            <label htmlFor="filter-q" className="block text-sm font-medium">{t("filter.q")}</label>
            <input id="filter-q" name="q" type="search" className="input mt-1" defaultValue={state.values.q ?? ""} maxLength={200} aria-describedby="filter-q-hint" />
            <p id="filter-q-hint" className="mt-0.5 text-xs text-slate-600">{t("filter.qHint")}</p>
          </div>
          <div>
            <label htmlFor="filter-from" className="block text-sm font-medium">{t("filter.from")}</label>
            <input id="filter-from" name="from" type="date" className="input mt-1" defaultValue={state.values.from ?? ""} />
          </div>
          <div>
            <label htmlFor="filter-to" className="block text-sm font-medium">{t("filter.to")}</label>
            <input id="filter-to" name="to" type="date" className="input mt-1" defaultValue={state.values.to ?? ""} />
          </div>
          <div className="flex items-end gap-3">
            <button type="submit" className="btn-primary">{t("filter.apply")}</button>
            {filtered ? (
              <Link className="link text-sm" href={base}>
                {t("filter.reset")}
              </Link>
            ) : null}
          </div>
        </form>
        {state.ignored ? (
          <p className="text-sm text-amber-900" data-testid="filter-ignored">
            {t("filter.ignored")}
          </p>
        ) : null}
        {filterLearner ? (
          <p className="text-sm" data-testid="learner-filter">
            {t("filter.learner", { name: `${filterLearner.firstName} ${filterLearner.lastName}` })}{" "}
            <Link className="link" href={deliveryListHref(base, { ...state.values, learner: undefined }, null)}>
              {t("filter.allLearners")}
            </Link>
          </p>
        ) : null}
        {list.items.length === 0 ? (
          <p className="text-slate-700" data-testid="delivery-empty">
            {filtered ? t("list.emptyFiltered") : t("list.empty")}
          </p>
        ) : (
          <DeliveryTable rows={list.items} attempts={attempts} tenantSlug={tenant.slug} timezone={zone} locale={locale} caption={t("list.caption")} paused={!!pause} />
        )}
        {state.cursor || list.nextCursor ? (
          <nav className="flex flex-wrap gap-4 text-sm" aria-label={t("list.title")}>
            {state.cursor ? (
              <Link className="link" href={deliveryListHref(base, state.values, null)}>
                {t("list.newest")}
              </Link>
            ) : null}
            {list.nextCursor ? (
              <Link className="link" href={deliveryListHref(base, state.values, list.nextCursor)} rel="next">
                {t("list.older")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>

      <section className="card space-y-4" aria-labelledby="suppressions-heading" data-testid="suppressions">
        <div>
          <h2 id="suppressions-heading" className="text-lg font-semibold">
            {t("suppressions.title")}
          </h2>
          <p className="mt-1 text-sm text-slate-700">{t("suppressions.intro")}</p>
        </div>
        {suppressions.items.length === 0 ? (
          <p className="text-slate-700">{t("suppressions.empty")}</p>
        ) : (
          <ScrollTable label={t("suppressions.caption")}>
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t("suppressions.caption")}</caption>
              <thead className="border-b border-slate-200 text-slate-700">
                <tr>
                  <th scope="col" className="py-2 pr-3 font-medium">{t("suppressions.address")}</th>
                  <th scope="col" className="py-2 pr-3 font-medium">{t("suppressions.why")}</th>
                  <th scope="col" className="py-2 pr-3 font-medium">{t("suppressions.since")}</th>
                  {canManage ? (
                    <th scope="col" className="py-2 font-medium">
                      <span className="sr-only">{t("suppressions.remove")}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {suppressions.items.map((s) => (
                  <tr key={s.id} className="border-b border-slate-100 align-top last:border-b-0" data-testid="suppression-row" data-address={s.address}>
                    <th scope="row" className="break-all py-2 pr-3 font-normal">{s.address}</th>
                    <td className="py-2 pr-3">
                      {t(`suppressions.${s.reason}`)}
                      {s.detail ? <code className="mt-1 block break-all font-mono text-xs text-slate-700">{s.detail}</code> : null}
                    </td>
                    <td className="py-2 pr-3 whitespace-nowrap">{formatDay(s.createdAt, locale, zone)}</td>
                    {canManage ? (
                      <td className="w-56 py-2">
                        <DeliveryActionForm
                          action={removeSuppressionAction}
                          fields={{ tenantSlug: tenant.slug, suppressionId: s.id }}
                          label={t("suppressions.remove")}
                          accessibleLabel={t("suppressions.removeFor", { address: s.address })}
                          confirm={{ question: t("suppressions.removeQuestion", { address: s.address }), yes: t("suppressions.removeYes"), cancel: t("suppressions.cancel") }}
                        />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        )}
        {suppressions.nextCursor ? (
          <p className="text-sm">
            <Link className="link" href={`${base}?blocked=${encodeURIComponent(suppressions.nextCursor)}#suppressions-heading`}>
              {t("suppressions.more")}
            </Link>
          </p>
        ) : null}
        {canManage ? (
          <div className="border-t border-slate-200 pt-4">
            <h3 className="mb-2 font-semibold">{t("suppressions.addTitle")}</h3>
            <ClientMessages namespaces={["deliveries.suppressions"]}>
              <SuppressionForm action={addSuppressionAction} tenantSlug={tenant.slug} />
            </ClientMessages>
          </div>
        ) : null}
      </section>
    </div>
  );
}
