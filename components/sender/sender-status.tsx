import { getFormatter, getTranslations } from "next-intl/server";
import type { SendingVerdict } from "@/lib/sender/sending-block";
import type { SenderOverview } from "@/lib/sender/service";

/** Which mode is active and whether it can send: not configured / not ready and why / ready. */
export async function SenderStatus({ overview, verdict }: { overview: SenderOverview; verdict: SendingVerdict }) {
  const t = await getTranslations("sender");
  const format = await getFormatter();
  const { state, settings } = overview;
  const tone =
    state.status === "ready"
      ? "border-emerald-300 bg-emerald-50 text-emerald-950"
      : state.status === "not_ready"
        ? "border-amber-300 bg-amber-50 text-amber-950"
        : "border-slate-300 bg-white text-slate-900";
  return (
    <section className={`rounded-lg border p-4 ${tone}`} aria-labelledby="sender-status-heading" data-testid="sender-status">
      <h2 id="sender-status-heading" className="text-lg font-semibold">
        {state.status === "not_configured"
          ? t("status.notConfigured")
          : t(state.status === "ready" ? "status.ready" : "status.notReady", { mode: t(`modes.${state.mode}.title`) })}
      </h2>
      {state.status === "not_configured" ? <p className="mt-1 text-sm">{t("status.notConfiguredText")}</p> : null}
      {state.status === "not_ready" ? (
        <>
          <p className="mt-1 text-sm">{t("status.notReadyIntro")}</p>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-sm">
            {(verdict.canSend ? [] : verdict.reasons).map(({ reason: r }) => (
              <li key={r}>
                {t(`reasons.${r}`, {
                  domain: overview.domain ?? "",
                  address: overview.proof?.address ?? "",
                  verdict: t(`verdicts.${overview.domainCheck?.status === "failed" ? "failed" : (overview.domainCheck?.verdict ?? "running")}`),
                })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {state.status === "ready" ? (
        <p className="mt-1 text-sm">
          {t(`status.readyText.${state.mode}`)}
          {state.notes.includes("no_reply_to") ? ` ${t("status.noReplyToNote")}` : null}
        </p>
      ) : null}
      {settings ? (
        <p className="mt-2 text-xs">
          {t("status.updated", { when: format.dateTime(new Date(settings.updatedAt), { dateStyle: "medium", timeStyle: "short" }) })}
        </p>
      ) : null}
    </section>
  );
}
