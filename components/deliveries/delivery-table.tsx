import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { StatusBadge, type BadgeTone } from "@/components/domain/status-badge";
import { formatInstant } from "@/components/learners/format";
import { ScrollTable } from "@/components/scroll-table";
import type { DeliveryStatus } from "@/lib/deliveries/schema";
import { failureAdvice } from "@/lib/delivery/failures";
import type { AttemptView, DeliveryRowView } from "@/lib/delivery/queries";
import { CANCEL_REASONS, type CancelReason } from "@/lib/delivery/types";
import type { Locale } from "@/lib/i18n/locale";

export const DELIVERY_TONE: Record<DeliveryStatus, BadgeTone> = {
  planned: "pending",
  sending: "running",
  retrying: "temporary",
  deferred: "temporary",
  sent: "ok",
  failed: "error",
  cancelled: "waiting",
};

const isCancelReason = (r: string): r is CancelReason => (CANCEL_REASONS as readonly string[]).includes(r);

/**
 * Outbox rows as a table: when, to whom, which mail, its state in plain words (a
 * failure's advice included), and behind "Details" the subject, the Message-ID and every
 * attempt with the server's reply. Used by the deliveries page and the learner page.
 */
export async function DeliveryTable({
  rows,
  attempts,
  tenantSlug,
  timezone,
  locale,
  caption,
  showRecipient = true,
  paused = false,
}: {
  rows: DeliveryRowView[];
  attempts: Map<string, AttemptView[]>;
  tenantSlug: string;
  timezone: string;
  locale: Locale;
  caption: string;
  showRecipient?: boolean;
  /** The tenant's sending is paused: pending rows wait for the resume, not for a time. */
  paused?: boolean;
}) {
  const t = await getTranslations("deliveries");
  const when = (at: Date) => formatInstant(at, locale, timezone);
  return (
    <ScrollTable label={caption}>
      <table className="w-full text-left text-sm" data-testid="delivery-table">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 text-slate-700">
          <tr>
            <th scope="col" className="py-2 pr-3 font-medium">{t("list.due")}</th>
            {showRecipient ? <th scope="col" className="py-2 pr-3 font-medium">{t("list.recipient")}</th> : null}
            <th scope="col" className="py-2 pr-3 font-medium">{t("list.what")}</th>
            <th scope="col" className="py-2 pr-3 font-medium">{t("list.status")}</th>
            <th scope="col" className="py-2 font-medium">{t("list.details")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const advice = r.failureClass && r.status !== "sent" && r.status !== "cancelled" ? failureAdvice(r.lastErrorKind ?? "unknown", r.failureClass)[locale] : null;
            const pending = r.status === "planned" || r.status === "retrying" || r.status === "deferred";
            const tries = attempts.get(r.id) ?? [];
            return (
              <tr key={r.id} className="border-b border-slate-100 align-top last:border-b-0" data-testid="delivery-row" data-status={r.status} data-recipient={r.recipient}>
                <td className="py-2 pr-3 whitespace-nowrap">{when(r.dueAt)}</td>
                {showRecipient ? (
                  <td className="min-w-[11rem] py-2 pr-3">
                    {r.learnerId && r.learnerName ? (
                      <Link className="link" href={`/t/${tenantSlug}/learners/${r.learnerId}`}>
                        {r.learnerName}
                      </Link>
                    ) : null}
                    <span className="block break-words text-slate-700">{r.recipient}</span>
                  </td>
                ) : null}
                <td className="py-2 pr-3">
                  {r.kind === "digest" ? (
                    t("list.digest")
                  ) : (
                    <>
                      <span className="block">{r.planName ?? "–"}</span>
                      <span className="block text-slate-700">
                        {[r.trainingName, r.occurrence !== null ? t("list.reminder", { n: r.occurrence }) : null].filter(Boolean).join(" · ")}
                      </span>
                    </>
                  )}
                </td>
                <td className="min-w-[14rem] max-w-sm py-2 pr-3">
                  <StatusBadge tone={DELIVERY_TONE[r.status]} label={t(`status.${r.status}`)} />
                  {r.status === "sent" && r.sentAt ? <span className="mt-1 block text-slate-700">{t("list.sentAt", { when: when(r.sentAt) })}</span> : null}
                  {pending && paused ? (
                    <span className="mt-1 block text-slate-700">{t("list.waitsForResume")}</span>
                  ) : (r.status === "retrying" || r.status === "deferred") && r.nextAttemptAt ? (
                    <span className="mt-1 block text-slate-700">{t("list.nextTry", { when: when(r.nextAttemptAt) })}</span>
                  ) : null}
                  {r.status === "cancelled" && r.cancelReason ? (
                    <span className="mt-1 block text-slate-700">{isCancelReason(r.cancelReason) ? t(`reason.${r.cancelReason}`) : r.cancelReason}</span>
                  ) : null}
                  {advice && r.status === "failed" ? (
                    <span className="mt-1 block text-slate-900" data-testid="failure-advice">
                      {advice}
                    </span>
                  ) : null}
                </td>
                <td className="py-2">
                  <details className="text-sm">
                    <summary className="cursor-pointer text-slate-900" aria-label={t("list.detailsFor", { recipient: r.recipient, when: when(r.dueAt) })}>
                      {t("list.details")}
                    </summary>
                    <dl className="mt-2 w-64 max-w-full space-y-1">
                      {advice && r.status !== "failed" ? (
                        <>
                          <dt className="font-medium text-slate-700">{t("list.lastProblem")}</dt>
                          <dd data-testid="failure-advice">{advice}</dd>
                        </>
                      ) : null}
                      {r.subject ? (
                        <>
                          <dt className="font-medium text-slate-700">{t("list.subject")}</dt>
                          <dd className="break-words">{r.subject}</dd>
                        </>
                      ) : null}
                      {r.messageId ? (
                        <>
                          <dt className="font-medium text-slate-700">{t("list.messageId")}</dt>
                          <dd className="break-all font-mono text-xs">{r.messageId}</dd>
                        </>
                      ) : null}
                      <dt className="font-medium text-slate-700">{t("list.attempts")}</dt>
                      <dd>
                        {tries.length === 0 ? (
                          t("list.noAttempts")
                        ) : (
                          <ol className="space-y-1.5">
                            {tries.map((a) => (
                              <li key={a.attempt}>
                                {t("list.attempt", { n: a.attempt, when: when(a.finishedAt), outcome: t(`outcome.${a.outcome}`) })}
                                {a.reply ? (
                                  <span className="mt-0.5 block">
                                    <span className="sr-only">{t("list.reply")}: </span>
                                    <code className="block break-all rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{a.reply}</code>
                                  </span>
                                ) : null}
                              </li>
                            ))}
                          </ol>
                        )}
                      </dd>
                    </dl>
                  </details>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollTable>
  );
}
