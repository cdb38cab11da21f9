import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AppHeader } from "@/components/app-header";
import { headerAlerts } from "@/app/_server/header-alerts";
import { CreateTenantForm } from "@/components/create-tenant-form";
import { config } from "@/lib/config/platform-profile";
import { tenantStatuses } from "@/lib/review/tenant-overview";
import { listTenants } from "@/lib/tenants/queries";
import { requireActor } from "../_server/guard";
import { createTenantAction } from "./actions";
import { ClientMessages } from "@/app/_i18n/client-messages";
import { setLocaleAction } from "@/app/_server/locale-action";
import { Pager } from "@/components/pager";

export const metadata: Metadata = { title: "Tenants / Mandanten" };

export default async function TenantsPage({ searchParams }: { searchParams: Promise<{ q?: string; page?: string }> }) {
  const { db, actor } = await requireActor();
  if (actor.role !== "consultant") notFound();
  const t = await getTranslations("tenants");
  const tc = await getTranslations("common");
  const { q, page } = await searchParams;
  const result = await listTenants(db, { query: q?.trim() || undefined, page: Number(page) || 1 });
  const statuses = await tenantStatuses(db, {
    tenantIds: result.rows.map((r) => r.id),
    relayConfigured: Boolean(config().SMTP_RELAY_URL),
    now: new Date(),
  });
  const attention = [...statuses.values()].filter((s) => s.needsAttention).length;
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const pageHref = (p: number) => `/tenants?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;

  return (
    <>
      <AppHeader actor={actor} unreadAlerts={await headerAlerts(actor)} setLocale={setLocaleAction} />
      <main id="main" className="mx-auto max-w-6xl space-y-8 px-6 py-8">
        <div>
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          <p className="mt-1 text-slate-700">{t("intro")}</p>
        </div>
        <section className="card space-y-4" aria-labelledby="tenant-list-heading">
          <div className="flex flex-wrap items-end justify-between gap-4">
            <h2 id="tenant-list-heading" className="text-lg font-semibold">
              {t("count", { count: result.total })}
            </h2>
            <form role="search" className="flex items-end gap-2" action="/tenants">
              <div>
                <label htmlFor="tenant-search" className="block text-sm font-medium">
                  {t("search")}
                </label>
                <input id="tenant-search" name="q" defaultValue={q} className="input mt-1" type="search" />
              </div>
              <button className="btn-secondary" type="submit">
                {t("searchButton")}
              </button>
            </form>
          </div>
          {result.rows.length > 0 ? <p className="text-sm text-slate-700">{t("attentionCount", { count: attention })}</p> : null}
          {result.rows.length === 0 ? (
            <p className="text-slate-700">{q ? t("noMatch") : t("empty")}</p>
          ) : (
            <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 text-slate-700">
                <tr>
                  <th scope="col" className="py-2 pr-4 font-medium">{t("name")}</th>
                  <th scope="col" className="py-2 pr-4 font-medium">{t("slug")}</th>
                  <th scope="col" className="py-2 pr-4 font-medium">{t("sending")}</th>
                  <th scope="col" className="py-2 pr-4 font-medium">{t("plans")}</th>
                  <th scope="col" className="py-2 pr-4 font-medium">{t("timezone")}</th>
                  <th scope="col" className="py-2 font-medium">{t("locale")}</th>
                </tr>
              </thead>
              <tbody>
                {result.rows.map((tenant) => {
                  const status = statuses.get(tenant.id);
                  const sender = status?.sender;
                  return (
                  <tr key={tenant.id} className="border-b border-slate-100" data-testid={`tenant-row-${tenant.slug}`}>
                    <td className="py-2 pr-4">
                      <Link className="link" href={`/t/${tenant.slug}`}>
                        {tenant.name}
                      </Link>
                      {status?.needsAttention ? (
                        <span className="ml-2 inline-block whitespace-nowrap rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">{t("attention")}</span>
                      ) : null}
                    </td>
                    <td className="py-2 pr-4 font-mono text-xs">{tenant.slug}</td>
                    <td className="py-2 pr-4">
                      {!sender || sender.status === "not_configured" ? (
                        <Link className="link" href={`/t/${tenant.slug}/sender`}>{t("senderNotConfigured")}</Link>
                      ) : (
                        <Link className="link" href={`/t/${tenant.slug}/sender`}>
                          {t(sender.status === "ready" ? "senderReady" : "senderNotReady")} · {t(`modes.${sender.mode}`)}
                        </Link>
                      )}
                    </td>
                    <td className="py-2 pr-4">
                      {t("plansActive", { count: status?.activePlans ?? 0 })}
                      {status && status.highRiskPlans > 0 ? (
                        <span className="block text-red-800">{t("plansHighRisk", { count: status.highRiskPlans })}</span>
                      ) : null}
                    </td>
                    <td className="py-2 pr-4">{tenant.timezone}</td>
                    <td className="py-2">{tenant.locale === "de" ? tc("german") : tc("english")}</td>
                  </tr>
                  );
                })}
              </tbody>
            </table>
            </div>
          )}
          <Pager page={result.page} pages={pages} href={pageHref} label={t("pages")} />
        </section>
        <section className="card space-y-4" aria-labelledby="create-tenant-heading">
          <h2 id="create-tenant-heading" className="text-lg font-semibold">
            {t("createTitle")}
          </h2>
          <ClientMessages namespaces={["tenants", "common"]}>
            <CreateTenantForm action={createTenantAction} />
          </ClientMessages>
        </section>
      </main>
    </>
  );
}
