import { useTranslations } from "next-intl";
import type { SpamRiskLevel } from "@/lib/reminders/spam-risk";

// Not a client module: the reminders list renders the badge on the server, so its words
// need no client messages; inside the plan editor it is rendered as part of the island.
export const RISK_STYLE: Record<SpamRiskLevel, string> = {
  low: "border-emerald-700 bg-emerald-50 text-emerald-900",
  medium: "border-amber-700 bg-amber-50 text-amber-950",
  high: "border-red-700 bg-red-50 text-red-900",
};

export function SpamRiskBadge({ level }: { level: SpamRiskLevel }) {
  const t = useTranslations("reminders.risk");
  return (
    <span
      className={`inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-semibold ${RISK_STYLE[level]}`}
      data-testid="spam-risk-level"
      data-level={level}
    >
      {t("badge", { level: t(`levels.${level}`) })}
    </span>
  );
}
