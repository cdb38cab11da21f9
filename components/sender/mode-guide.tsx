import { getTranslations } from "next-intl/server";
import { modeAvailable } from "@/lib/sender/sending-block";

const MODES = ["platform", "customer_domain", "custom_smtp"] as const;

/** The three sender modes side by side: what each needs, its advantages and drawbacks. */
export async function ModeGuide({
  active,
  relayConfigured,
  operator,
}: {
  active: (typeof MODES)[number] | null;
  relayConfigured: boolean;
  /** A consultant runs the platform: told what to configure, not whom to ask. */
  operator: boolean;
}) {
  const t = await getTranslations("sender");
  return (
    <ul className="grid gap-4 lg:grid-cols-3" aria-label={t("guideTitle")}>
      {MODES.map((m) => (
        <li key={m} className={`card space-y-3 ${active === m ? "border-brand-700 ring-2 ring-brand-700" : ""}`} data-testid={`mode-card-${m}`}>
          <div className="flex items-start justify-between gap-2">
            <h3 className="text-base font-semibold">{t(`modes.${m}.title`)}</h3>
            {active === m ? (
              <span className="rounded-full bg-brand-700 px-2 py-0.5 text-xs font-medium text-white">{t("activeBadge")}</span>
            ) : null}
          </div>
          {modeAvailable(m, relayConfigured) ? (
            <p className="text-sm font-medium text-emerald-800" data-testid="mode-availability">
              {t("availability.available")}
            </p>
          ) : (
            <p className="rounded border border-amber-300 bg-amber-50 px-2 py-1 text-sm font-medium text-amber-950" data-testid="mode-availability">
              {t(operator ? "availability.needsRelayOperator" : "availability.needsRelay")}
            </p>
          )}
          <p className="text-sm text-slate-700">{t(`modes.${m}.what`)}</p>
          <div>
            <h4 className="text-sm font-medium">{t("needs")}</h4>
            <p className="text-sm text-slate-700">{t(`modes.${m}.needs`)}</p>
          </div>
          <div>
            <h4 className="text-sm font-medium">{t("pros")}</h4>
            <p className="text-sm text-slate-700">{t(`modes.${m}.pros`)}</p>
          </div>
          <div>
            <h4 className="text-sm font-medium">{t("cons")}</h4>
            <p className="text-sm text-slate-700">{t(`modes.${m}.cons`)}</p>
          </div>
        </li>
      ))}
    </ul>
  );
}
