import Link from "next/link";
import type { ReactNode } from "react";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { ScrollTable } from "@/components/scroll-table";
import type { Locale } from "@/lib/i18n/locale";
import type { BoardRow } from "@/lib/review/board";
import { sortDir, sortHref, type BoardParams, type BoardSort } from "@/lib/review/board-params";
import { HealthBadge, HealthDeductions } from "./health";

const COLUMNS: { key: BoardSort; label: string }[] = [
  { key: "name", label: "tenant" },
  { key: "health", label: "health" },
  { key: "sending", label: "sending" },
  { key: "domain", label: "domain" },
  { key: "smtp", label: "smtp" },
  { key: "limits", label: "limits" },
  { key: "plans", label: "plans" },
  { key: "sent", label: "sent" },
  { key: "failed", label: "failed" },
  { key: "bounced", label: "bounced" },
  { key: "paused", label: "paused" },
  { key: "alerts", label: "alerts" },
  { key: "review", label: "review" },
];

/** A cell whose content links to where its subject is fixed. */
function Cell({ col, href, children }: { col: string; href: string; children: ReactNode }) {
  return (
    <td className="py-2 pr-4 align-top" data-testid={`review-cell-${col}`}>
      <Link className="link" href={href}>
        {children}
      </Link>
    </td>
  );
}

/** The board's page of rows: sortable column headers (links with aria-sort), one row per tenant. */
export async function BoardTable({ rows, params, now }: { rows: BoardRow[]; params: BoardParams; now: Date }) {
  const t = await getTranslations("review.board");
  const locale = (await getLocale()) as Locale;
  const format = await getFormatter();
  const dir = sortDir(params);
  const ago = (at: Date) => <time dateTime={at.toISOString()}>{format.relativeTime(at, now)}</time>;
  const na = (
    <>
      <span aria-hidden="true">{t("notApplicable")}</span>
      <span className="sr-only">{t("notApplicableLabel")}</span>
    </>
  );

  return (
    <ScrollTable label={t("tableLabel")}>
      <table className="w-full text-left text-sm" data-testid="review-table" aria-label={t("tableLabel")}>
        <thead className="border-b border-slate-200 text-slate-700">
          <tr>
            {COLUMNS.map(({ key, label }) => {
              const active = params.sort === key;
              return (
                <th
                  key={key}
                  scope="col"
                  className="whitespace-nowrap py-2 pr-4 font-medium"
                  aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}
                  data-testid={`review-sort-${key}`}
                >
                  <Link className="hover:underline" href={sortHref(params, key)}>
                    {t(`columns.${label}`)}
                    {active ? (
                      <>
                        <span aria-hidden="true">{dir === "asc" ? " ▲" : " ▼"}</span>
                        <span className="sr-only">, {t(dir === "asc" ? "sortAsc" : "sortDesc")}</span>
                      </>
                    ) : null}
                  </Link>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const base = `/t/${row.tenant.slug}`;
            const { verdict } = row.sender;
            const sendingFix = verdict.canSend ? "sender" : (verdict.reasons.find((r) => r.fix !== "platform_config")?.fix ?? "sender");
            return (
              <tr key={row.tenant.id} className="border-b border-slate-100" data-testid="review-row" data-slug={row.tenant.slug} data-health={row.health.score}>
                <th scope="row" className="py-2 pr-4 text-left align-top font-medium" data-testid="review-cell-tenant">
                  <Link className="link" href={base}>
                    {row.tenant.name}
                  </Link>
                  <span className="block font-mono text-xs font-normal text-slate-700">{row.tenant.slug}</span>
                </th>
                <td className="py-2 pr-4 align-top" data-testid="review-cell-health">
                  <a className="link whitespace-nowrap" href="#health-rules">
                    <HealthBadge health={row.health} label={t("score", { score: row.health.score, band: t(`band.${row.health.band}`) })} />
                  </a>
                  {row.health.deductions.length > 0 ? (
                    <details className="mt-1 text-xs text-slate-800">
                      <summary className="cursor-pointer">{t("deductions")}</summary>
                      <HealthDeductions health={row.health} locale={locale} points={(points) => t("healthPoints", { points })} className="mt-1 space-y-0.5" />
                    </details>
                  ) : null}
                </td>
                <Cell col="sending" href={`${base}/${sendingFix}`}>
                  {row.sender.status === "ready" ? (
                    <span className="font-medium text-green-800">{t("ready")}</span>
                  ) : (
                    <span className="font-medium text-red-800">{t(row.sender.status === "not_configured" ? "notConfigured" : "notReady")}</span>
                  )}
                  {row.sender.mode ? <span className="block text-xs text-slate-700">{t(`options.mode.${row.sender.mode}`)}</span> : null}
                  {!verdict.canSend && row.sender.status !== "not_configured" ? (
                    <span className="block text-xs text-slate-800">{verdict.reasons.map((r) => t(`reasons.${r.reason}`)).join(", ")}</span>
                  ) : null}
                </Cell>
                {row.domain ? (
                  <Cell col="domain" href={`${base}/domain`}>
                    <span className="block">{row.domain.domain}</span>
                    <span className="block text-xs">
                      {row.domain.verdict ? t(`verdict.${row.domain.verdict}`) : t("notChecked")}
                      {row.domain.checkedAt ? <> · {ago(row.domain.checkedAt)}</> : null}
                      {row.domain.automatic ? <> · {t("automatic")}</> : null}
                      {row.domain.running ? <> · {t("running")}</> : null}
                    </span>
                    {row.domain.worst && row.domain.worst.status !== "ok" ? (
                      <span className="block text-xs text-slate-800" data-finding={row.domain.worst.code}>
                        {row.domain.worst.title[locale]}
                      </span>
                    ) : null}
                  </Cell>
                ) : (
                  <td className="py-2 pr-4 align-top text-slate-700" data-testid="review-cell-domain">{na}</td>
                )}
                {row.smtp.state === "not_applicable" ? (
                  <td className="py-2 pr-4 align-top text-slate-700" data-testid="review-cell-smtp">{na}</td>
                ) : (
                  <Cell col="smtp" href={`${base}/sender`}>
                    {t(`smtpState.${row.smtp.state}`)}
                    {row.smtp.at ? <> · {ago(row.smtp.at)}</> : null}
                    {row.smtp.automatic ? <span className="block text-xs">{t("automatic")}</span> : null}
                    {row.smtp.failure ? <span className="block font-mono text-xs text-slate-800">{row.smtp.failure}</span> : null}
                  </Cell>
                )}
                {row.limits ? (
                  <Cell col="limits" href={`${base}/sender`}>
                    <span className="whitespace-nowrap">{t("limits", { rate: format.number(row.limits.ratePerMinute), quota: format.number(row.limits.dailyQuota) })}</span>
                  </Cell>
                ) : (
                  <td className="py-2 pr-4 align-top text-slate-700" data-testid="review-cell-limits">{na}</td>
                )}
                <Cell col="plans" href={`${base}/reminders`}>
                  {t("plansActive", { count: row.plans.active })}
                  {row.plans.highestRisk ? (
                    <span className={`block text-xs ${row.plans.highestRisk === "high" ? "font-semibold text-red-800" : "text-slate-800"}`}>{t(`risk.${row.plans.highestRisk}`)}</span>
                  ) : null}
                </Cell>
                <Cell col="sent" href={`${base}/deliveries?status=sent`}>
                  {format.number(row.mail7d.sent)}
                </Cell>
                <Cell col="failed" href={`${base}/deliveries?status=failed`}>
                  {format.number(row.mail7d.failed)}
                </Cell>
                <Cell col="bounced" href={`${base}/deliveries?status=failed&failure=recipient`}>
                  {format.number(row.mail7d.bounced)}
                </Cell>
                <Cell col="paused" href={`${base}/deliveries`}>
                  {row.paused ? <span className="font-semibold text-red-800">{t("pausedYes")}</span> : t("pausedNo")}
                </Cell>
                <Cell col="alerts" href={`/alerts?tenant=${row.tenant.slug}`}>
                  {t("alertsOpen", { count: row.openAlerts })}
                </Cell>
                <Cell col="review" href={`/review/${row.tenant.slug}`}>
                  {row.review.status === "not_reviewed"
                    ? t("reviewState.not_reviewed")
                    : row.review.status === "changed"
                      ? t("reviewState.changed", { count: row.review.changesSince })
                      : t("reviewState.reviewed", {
                          name: row.review.reviewerName || t("someone"),
                          date: format.dateTime(row.review.reviewedAt, { dateStyle: "medium" }),
                        })}
                </Cell>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollTable>
  );
}
