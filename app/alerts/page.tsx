import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { AppHeader } from "@/components/app-header";
import { headerAlerts } from "@/app/_server/header-alerts";
import { setLocaleAction } from "@/app/_server/locale-action";
import { alertTenantFor, listUserAlerts, unreadAlertCount } from "@/lib/alerts/queries";
import { alertPageSchema, alertTenantParamSchema } from "@/lib/alerts/schema";
import { can } from "@/lib/auth/policy";
import type { Locale } from "@/lib/i18n/locale";
import { requireActor } from "../_server/guard";
import { markAlertReadAction, markAllAlertsReadAction } from "./actions";

export const metadata: Metadata = { title: "Alerts / Hinweise" };

const SEVERITY_STYLE = {
  error: "bg-red-100 text-red-900",
  warning: "bg-amber-100 text-amber-900",
  info: "bg-slate-100 text-slate-900",
} as const;

/** Only app paths are links: an alert's `link` is written by the server, this keeps it so. */
const appPath = (link: string | null) => (link && link.startsWith("/") && !link.startsWith("//") ? link : null);

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db, actor } = await requireActor();
  if (!can(actor, "alerts.view")) notFound();
  const search = await searchParams;
  const page = alertPageSchema.parse(search.page);
  // Narrowed to one organisation (the review board links here so); one the viewer may not see is 404.
  const tenantSlug = alertTenantParamSchema.parse(search.tenant);
  const tenant = tenantSlug ? await alertTenantFor(db, actor, tenantSlug) : null;
  if (tenantSlug && !tenant) notFound();
  const t = await getTranslations("alerts");
  const locale = (await getLocale()) as Locale;
  const format = await getFormatter();
  const [{ items, hasMore }, unread, unreadOfTenant] = await Promise.all([
    listUserAlerts(db, actor, { page, tenant: tenant?.slug }),
    headerAlerts(actor),
    tenant ? unreadAlertCount(db, actor, tenant.slug) : null,
  ]);
  const pageHref = (n: number) => {
    const params = new URLSearchParams();
    if (tenant) params.set("tenant", tenant.slug);
    if (n > 1) params.set("page", String(n));
    const query = params.toString();
    return query ? `/alerts?${query}` : "/alerts";
  };
  const unreadShown = (unreadOfTenant ?? unread) > 0;
  /** A sentence with its instant ("Raised on 1 Dec 2026, 10:00"), machine-readable too. */
  const when = (key: "raised" | "resolved", d: Date) => (
    <time dateTime={d.toISOString()}>{t(key, { date: format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }) })}</time>
  );
  return (
    <>
      <AppHeader actor={actor} unreadAlerts={unread} setLocale={setLocaleAction} />
      <main id="main" className="mx-auto max-w-6xl space-y-6 px-6 py-8">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h1 className="text-2xl font-semibold">{tenant ? t("titleFor", { name: tenant.name }) : t("title")}</h1>
            <p className="mt-1 text-slate-700">{t("intro")}</p>
            {tenant ? (
              <p className="mt-1" data-testid="alerts-tenant-filter">
                <Link href="/alerts" className="text-brand-800 underline underline-offset-4">
                  {t("showAll")}
                </Link>
              </p>
            ) : null}
          </div>
          {unreadShown ? (
            <form action={markAllAlertsReadAction}>
              {tenant ? <input type="hidden" name="tenant" value={tenant.slug} /> : null}
              <button type="submit" className="btn-secondary">
                {tenant ? t("markAllReadFor", { name: tenant.name }) : t("markAllRead")}
              </button>
            </form>
          ) : null}
        </div>
        {items.length === 0 ? (
          <p className="card text-slate-700">{tenant ? t("emptyFor", { name: tenant.name }) : t("empty")}</p>
        ) : (
          <ul className="space-y-4" aria-label={t("title")}>
            {items.map((alert) => {
              const m = alert.message[locale] ?? alert.message.de;
              const link = appPath(alert.link);
              return (
                <li key={alert.id} className="card space-y-2" data-testid="alert" data-alert-id={alert.id}>
                  <div className="flex flex-wrap items-center gap-2 text-sm">
                    <span className={`rounded px-2 py-0.5 font-semibold ${SEVERITY_STYLE[alert.severity]}`}>{t(`severity.${alert.severity}`)}</span>
                    <span className="font-semibold" data-testid="alert-state">
                      {alert.resolvedAt ? when("resolved", alert.resolvedAt) : t("open")}
                    </span>
                    <span className="text-slate-700">{alert.tenant ? t("tenant", { name: alert.tenant.name }) : t("platform")}</span>
                    <span className="text-slate-700">{when("raised", alert.createdAt)}</span>
                    <span className={alert.readAt ? "text-slate-700" : "font-semibold text-brand-800"} data-testid="alert-read">{alert.readAt ? t("read") : t("unread")}</span>
                  </div>
                  <h2 className="text-lg font-semibold">{m.title}</h2>
                  <p className="text-slate-800">{m.text}</p>
                  {alert.detail ? (
                    <details>
                      <summary className="cursor-pointer text-sm text-slate-800">{t("detail")}</summary>
                      <pre className="mt-2 whitespace-pre-wrap break-words rounded bg-slate-100 p-3 text-sm">{alert.detail}</pre>
                    </details>
                  ) : null}
                  <div className="flex flex-wrap items-center gap-4">
                    {link ? (
                      <Link href={link} className="font-semibold text-brand-800 underline underline-offset-4">
                        {t("fix")}
                      </Link>
                    ) : null}
                    {alert.readAt ? null : (
                      <form action={markAlertReadAction}>
                        <input type="hidden" name="alertId" value={alert.id} />
                        <button type="submit" className="btn-secondary py-1 text-xs" aria-label={t("markReadFor", { title: m.title })}>
                          {t("markRead")}
                        </button>
                      </form>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        {page > 1 || hasMore ? (
          <nav aria-label={t("pages")} className="flex gap-4">
            {page > 1 ? (
              <Link href={pageHref(page - 1)} className="text-brand-800 underline underline-offset-4">
                {t("newer")}
              </Link>
            ) : null}
            {hasMore ? (
              <Link href={pageHref(page + 1)} className="text-brand-800 underline underline-offset-4">
                {t("older")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </main>
    </>
  );
}
