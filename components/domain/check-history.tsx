import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { HistoryEntry } from "@/lib/domain-check/queries";
import { ScrollTable } from "../scroll-table";
import { formatWhen } from "./format";
import { StatusBadge, type BadgeTone } from "./status-badge";
import { Pager } from "@/components/pager";

/** Earlier checks, newest first, paged with plain links (works without JavaScript). */
export async function CheckHistory({
  tenantSlug,
  domain,
  rows,
  total,
  page,
  pageSize,
  locale,
  timeZone,
  now,
  rechecked = false,
}: {
  tenantSlug: string;
  domain: string | null;
  rows: HistoryEntry[];
  total: number;
  page: number;
  pageSize: number;
  locale: string;
  timeZone: string;
  now: Date;
  /** The sender's own domain: the worker re-checks it daily (says so). */
  rechecked?: boolean;
}) {
  const t = await getTranslations("domain");
  const tm = await getTranslations("monitor");
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const href = (p: number) => `/t/${tenantSlug}/domain?${new URLSearchParams({ ...(domain ? { domain } : {}), page: String(p) }).toString()}`;
  const badge = (r: HistoryEntry): { tone: BadgeTone; label: string } => {
    // A "running" row whose process went away (restart) is shown as interrupted, like the page's result.
    const stale = r.status === "running" && now.getTime() - r.startedAt.getTime() > 2 * 60 * 1000;
    if (r.status === "failed" || stale) return { tone: "waiting", label: t("historyInterrupted") };
    if (r.status === "running") return { tone: "running", label: t("stepRunning") };
    if (r.verdict === "green") return { tone: "ok", label: t("historyGreen") };
    if (r.verdict === "temporary") return { tone: "temporary", label: t("status.temporary") };
    return { tone: "error", label: t("historyNotReady") };
  };
  return (
    <section className="card space-y-4" aria-labelledby="history-heading" data-testid="check-history">
      <h2 id="history-heading" className="text-lg font-semibold">
        {domain ? t("historyTitleDomain", { domain }) : t("historyTitle")}
      </h2>
      {rechecked ? <p className="max-w-3xl text-sm text-slate-700">{tm("domainRecheckNote")}</p> : null}
      {rows.length === 0 ? (
        <p className="text-slate-700">{t("historyEmpty")}</p>
      ) : (
        <ScrollTable label={domain ? t("historyTitleDomain", { domain }) : t("historyTitle")}>
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-700">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">{t("historyWhen")}</th>
              <th scope="col" className="py-2 pr-4 font-medium">{t("historyDomain")}</th>
              <th scope="col" className="py-2 font-medium">{t("historyResult")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const b = badge(r);
              return (
                <tr key={r.id} className="border-b border-slate-100" data-testid="history-row">
                  <td className="py-2 pr-4">
                    <Link className="link" href={`/t/${tenantSlug}/domain?${new URLSearchParams({ domain: r.domain, check: r.id }).toString()}`}>
                      {formatWhen((r.finishedAt ?? r.startedAt).toISOString(), locale, timeZone)}
                    </Link>
                  </td>
                  <td className="py-2 pr-4 font-mono text-xs">{r.domain}</td>
                  <td className="py-2">
                    <StatusBadge tone={b.tone} label={b.label} />
                    {r.startedBy === null ? (
                      <span className="ml-2 text-xs text-slate-700" title={tm("automaticCheckTitle")} data-testid="automatic-check">
                        {tm("automaticCheck")}
                      </span>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        </ScrollTable>
      )}
      <Pager page={page} pages={pages} href={href} label={t("historyPaging")} />
    </section>
  );
}
