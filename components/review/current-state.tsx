import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { Locale } from "@/lib/i18n/locale";
import type { BoardRow } from "@/lib/review/board";
import { HealthBadge, HealthDeductions } from "./health";

/**
 * One tenant's row of the review board on its review page: the health score with every
 * rule that cost points, whether it can send (and why not, linking to the fix), and the
 * 7-day mails — what the consultant is about to mark reviewed.
 */
export async function CurrentState({ row }: { row: BoardRow }) {
  const t = await getTranslations("review.board");
  const tNow = await getTranslations("review.detail.now");
  const locale = (await getLocale()) as Locale;
  const base = `/t/${row.tenant.slug}`;
  const verdict = row.sender.verdict;
  const fix = verdict.canSend ? "sender" : (verdict.reasons.find((r) => r.fix !== "platform_config")?.fix ?? "sender");

  return (
    <section className="card space-y-3" aria-labelledby="review-now-heading" data-testid="review-now">
      <h2 id="review-now-heading" className="text-lg font-semibold">{tNow("title")}</h2>
      <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-slate-700">{t("columns.health")}</dt>
        <dd data-testid="review-now-health">
          <HealthBadge health={row.health} className="text-sm" label={t("score", { score: row.health.score, band: t(`band.${row.health.band}`) })} />
          {row.health.deductions.length > 0 ? (
            <HealthDeductions health={row.health} locale={locale} points={(points) => t("healthPoints", { points })} className="mt-2 space-y-0.5 text-sm text-slate-800" />
          ) : null}
        </dd>
        <dt className="font-medium text-slate-700">{t("columns.sending")}</dt>
        <dd data-testid="review-now-sending">
          <Link className="link" href={`${base}/${fix}`}>
            {row.sender.status === "ready" ? t("ready") : t(row.sender.status === "not_configured" ? "notConfigured" : "notReady")}
            {row.sender.mode ? ` · ${t(`options.mode.${row.sender.mode}`)}` : ""}
          </Link>
          {!verdict.canSend && row.sender.status !== "not_configured" ? (
            <span className="block text-sm text-slate-800">{verdict.reasons.map((r) => t(`reasons.${r.reason}`)).join(", ")}</span>
          ) : null}
        </dd>
        <dt className="font-medium text-slate-700">{tNow("mails")}</dt>
        <dd>
          <Link className="link" href={`${base}/deliveries`}>
            {tNow("mailCounts", { sent: row.mail7d.sent, failed: row.mail7d.failed, bounced: row.mail7d.bounced })}
          </Link>
          {row.paused ? <span className="ml-2 font-medium text-red-800">{t("columns.paused")}</span> : null}
        </dd>
      </dl>
    </section>
  );
}
