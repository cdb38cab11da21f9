import { useTranslations } from "next-intl";
import type { RiskView } from "@/lib/reminders/preview";
import type { SpamRiskLevel } from "@/lib/reminders/spam-risk";

const STYLE: Record<SpamRiskLevel, string> = {
  low: "border-emerald-700 bg-emerald-50 text-emerald-900",
  medium: "border-amber-700 bg-amber-50 text-amber-950",
  high: "border-red-700 bg-red-50 text-red-900",
};

/** The level as a small labelled badge (lists and the meter's head). */
export function SpamRiskBadge({ level }: { level: SpamRiskLevel }) {
  const t = useTranslations("reminders.risk");
  return (
    <span
      className={`inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-semibold ${STYLE[level]}`}
      data-testid="spam-risk-level"
      data-level={level}
    >
      {t("badge", { level: t(`levels.${level}`) })}
    </span>
  );
}

/** Low / medium / high with the reason and what would lower it. */
export function SpamRiskMeter({ risk }: { risk: RiskView }) {
  const t = useTranslations("reminders.risk");
  const steps: SpamRiskLevel[] = ["low", "medium", "high"];
  return (
    <section aria-labelledby="risk-heading" className={`rounded-md border p-4 ${STYLE[risk.level]}`} data-testid="spam-meter" data-level={risk.level}>
      <h3 id="risk-heading" className="text-base font-semibold">
        {t("title")}: {t(`levels.${risk.level}`)}
      </h3>
      <div className="mt-2 flex gap-1" aria-hidden="true">
        {steps.map((s, i) => (
          <span
            key={s}
            className={`h-2 flex-1 rounded ${i <= steps.indexOf(risk.level) ? (risk.level === "high" ? "bg-red-700" : risk.level === "medium" ? "bg-amber-600" : "bg-emerald-700") : "bg-white/70 ring-1 ring-slate-300"}`}
          />
        ))}
      </div>
      <p className="mt-2 text-sm">{risk.summary}</p>
      {risk.reasons.length > 0 ? (
        <>
          <h4 className="mt-3 text-sm font-semibold">{t("why")}</h4>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-sm">
            {risk.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </>
      ) : null}
      {risk.remedies.length > 0 ? (
        <>
          <h4 className="mt-3 text-sm font-semibold">{t("remedies")}</h4>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-sm" data-testid="spam-remedies">
            {risk.remedies.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
