import { getTranslations } from "next-intl/server";
import type { Locale } from "@/lib/i18n/locale";
import type { CheckDiff } from "@/lib/domain-check/service";
import { formatWhen } from "./format";

/** "What changed since the last check": findings whose status changed, and records that appeared or went away. */
export async function CheckDiffView({ diff, domain, locale, timeZone }: { diff: CheckDiff; domain: string; locale: Locale; timeZone: string }) {
  const t = await getTranslations("domain");
  const status = (s: string | null) => (s ? t(`status.${s}`) : t("diffAbsent"));
  const verdict = (v: string | null) => (v === "green" ? t("historyGreen") : v === "temporary" ? t("status.temporary") : t("historyNotReady"));
  const nothing = !diff.verdictChanged && diff.findings.length === 0 && diff.records.length === 0;
  return (
    <section className="card space-y-3" aria-labelledby="diff-heading" data-testid="check-diff">
      <h2 id="diff-heading" className="text-lg font-semibold">
        {t("diffTitle")}
      </h2>
      <p className="text-sm font-medium text-slate-800" data-testid="diff-domain">
        {t("diffFor", { domain })}
      </p>
      <p className="text-sm text-slate-700">
        {t("diffBetween", {
          previous: diff.previous.finishedAt ? formatWhen(diff.previous.finishedAt, locale, timeZone) : "–",
          current: diff.current.finishedAt ? formatWhen(diff.current.finishedAt, locale, timeZone) : "–",
        })}
      </p>
      {nothing ? <p data-testid="diff-nothing">{t("diffNothing")}</p> : null}
      {diff.verdictChanged ? (
        <p className="font-medium">{t("diffVerdict", { from: verdict(diff.previous.verdict), to: verdict(diff.current.verdict) })}</p>
      ) : null}
      {diff.findings.length > 0 ? (
        <ul className="list-disc space-y-1 pl-5 text-sm">
          {diff.findings.map((f) => (
            <li key={f.key} data-code={f.code}>
              {/* Plain sentences: "Problem → nicht vorhanden" read as a double negative. */}
              {f.to === null
                ? t("diffGone", { title: f.title[locale], from: status(f.from) })
                : f.from === null
                  ? t("diffNew", { title: f.title[locale], to: status(f.to) })
                  : t("diffChanged", { title: f.title[locale], from: status(f.from), to: status(f.to) })}
            </li>
          ))}
        </ul>
      ) : null}
      {diff.records.length > 0 ? (
        <div className="space-y-2 text-sm">
          <h3 className="font-medium">{t("diffRecords")}</h3>
          {diff.records.map((r) => (
            <div key={r.what}>
              <p className="text-slate-800">{t(`records.${r.what}`)}</p>
              <pre className="overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2 font-mono text-xs text-slate-900">
                {[...r.removed.map((x) => `${t("diffRemoved")}: ${x}`), ...r.added.map((x) => `${t("diffAdded")}: ${x}`)].join("\n")}
              </pre>
            </div>
          ))}
        </div>
      ) : null}
    </section>
  );
}
