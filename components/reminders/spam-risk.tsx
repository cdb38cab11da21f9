"use client";

import { useLocale, useTranslations } from "next-intl";
import { createContext, useContext } from "react";
import type { Locale } from "@/lib/i18n/locale";
import type { RiskView } from "@/lib/reminders/preview";
import type { SpamRiskLevel } from "@/lib/reminders/spam-risk";
import { formatIsoDate } from "./dates";
import { RISK_STYLE as STYLE } from "./spam-risk-badge";


/** A change the meter proposes, which the plan editor can make for the admin. */
export type RemedyKind = "addVariant" | "repeatWeekly" | "escalateAfter3" | "maxFive";

/**
 * The plan-save rule's view of the whole training (every active plan of it sends to the
 * same learner): the level and figures of the meter are then the combined ones. Shape of
 * `RiskView.combined` from lib/reminders/preview.ts; optional here so the meter also
 * shows a risk without it.
 */
export interface TrainingRiskView {
  combined?: {
    /** Active plans counted, this one included (1 = this plan alone). */
    plans: number;
    aloneLevel: SpamRiskLevel;
    aloneSummary: string;
    /** Other active plans whose send periods intersect this one's (ISO days). */
    overlapping: { id: string; name: string; from: string; to: string }[];
  };
}

export type MeterRisk = RiskView & TrainingRiskView;

/** The editor's side of the remedy buttons: the values the remedies depend on and how to apply one. */
export interface RemedyControl {
  repeatEveryDays: number | null;
  escalateAfterSends: number | null;
  apply: (kind: RemedyKind) => void;
}

/** Set by the plan editor; read-only views have none, and then the remedies are plain text. */
export const RemedyContext = createContext<RemedyControl | null>(null);

/**
 * Which remedy each of `risk.remedies` is, in order. Mirrors the conditions of
 * assessSpamRisk (lib/reminders/spam-risk.ts), whose remedies are words only; null when
 * the two disagree (e.g. the preview lags the fields), so no button applies the wrong thing.
 */
export function remedyKinds(
  risk: Pick<RiskView, "level" | "mails" | "variants" | "remedies">,
  plan: { repeatEveryDays: number | null; escalateAfterSends: number | null },
): RemedyKind[] | null {
  const kinds: RemedyKind[] = [];
  if (risk.level !== "low") {
    if (risk.variants < 3 && Math.ceil(risk.mails / Math.max(1, risk.variants)) > 1) kinds.push("addVariant");
    if (plan.repeatEveryDays !== null && plan.repeatEveryDays < 7 && risk.mails > 2) kinds.push("repeatWeekly");
    if (risk.mails > 3 && (plan.escalateAfterSends === null || plan.escalateAfterSends > 3)) kinds.push("escalateAfter3");
    if (risk.mails > 5) kinds.push("maxFive");
  }
  return kinds.length === risk.remedies.length ? kinds : null;
}

/** The level as a small labelled badge (lists and the meter's head). */

/** What lowers the risk, each with a button that makes the change when an editor is around. */
function Remedies({ risk, testId = "spam-remedies" }: { risk: RiskView; testId?: string }) {
  const t = useTranslations("reminders.risk");
  const control = useContext(RemedyContext);
  if (risk.remedies.length === 0) return null;
  const kinds = control ? remedyKinds(risk, control) : null;
  return (
    <>
      <h4 className="mt-3 text-sm font-semibold">{t("remedies")}</h4>
      <ul className="mt-1 space-y-2 text-sm" data-testid={testId}>
        {risk.remedies.map((r, i) => {
          const kind = kinds?.[i];
          return (
            <li key={r} className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
              <span className="min-w-0 flex-1 basis-48">{r}</span>
              {kind && control ? (
                <button type="button" className="btn-secondary px-2 py-1 text-xs" onClick={() => control.apply(kind)}>
                  {t(`apply.${kind}`)}
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** The training-wide figure and the overlap warning, when the preview carries them. */
function TrainingRisk({ risk, testIds = "meter" }: { risk: MeterRisk; testIds?: "meter" | "inline" }) {
  const t = useTranslations("reminders.risk");
  const locale = useLocale() as Locale;
  const combined = risk.combined;
  if (!combined) return null;
  const overlaps = combined.overlapping;
  return (
    <>
      {combined.plans > 1 ? (
        <p className="mt-2 text-sm font-medium" data-testid={testIds === "meter" ? "spam-combined" : "risk-inline-combined"}>
          {t("combined", { plans: combined.plans, mails: risk.mails, alone: combined.aloneSummary })}
        </p>
      ) : null}
      {overlaps.length > 0 ? (
        <div className="mt-2 rounded border border-amber-700 bg-white/70 p-2 text-sm text-amber-950" data-testid={testIds === "meter" ? "plan-overlap" : "risk-inline-overlap"} role="note">
          <p>{t("overlap", { count: overlaps.length })}</p>
          <ul className="mt-1 list-disc pl-5">
            {overlaps.map((o) => (
              <li key={o.id || o.name}>
                {t("overlapPlan", { name: o.name, from: formatIsoDate(o.from, locale), to: formatIsoDate(o.to, locale) })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}

function Bar({ level }: { level: SpamRiskLevel }) {
  const steps: SpamRiskLevel[] = ["low", "medium", "high"];
  const fill = level === "high" ? "bg-red-700" : level === "medium" ? "bg-amber-600" : "bg-emerald-700";
  return (
    <div className="mt-2 flex gap-1" aria-hidden="true">
      {steps.map((s, i) => (
        <span key={s} className={`h-2 flex-1 rounded ${i <= steps.indexOf(level) ? fill : "bg-white/70 ring-1 ring-slate-300"}`} />
      ))}
    </div>
  );
}

/** Low / medium / high with the reason and what would lower it. */
export function SpamRiskMeter({ risk }: { risk: MeterRisk }) {
  const t = useTranslations("reminders.risk");
  return (
    <section aria-labelledby="risk-heading" className={`rounded-md border p-4 ${STYLE[risk.level]}`} data-testid="spam-meter" data-level={risk.level}>
      <h3 id="risk-heading" className="text-base font-semibold">
        {t("title")}: {t(`levels.${risk.level}`)}
      </h3>
      <Bar level={risk.level} />
      <p className="mt-2 text-sm">{risk.summary}</p>
      <TrainingRisk risk={risk} />
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
      <Remedies risk={risk} />
    </section>
  );
}

/**
 * The meter's head and remedies inside the form, for screens too narrow for the preview
 * beside it: there the preview comes after "Speichern", and the risk belongs next to the
 * schedule that causes it.
 */
export function SpamRiskInline({ risk, className = "" }: { risk: MeterRisk; className?: string }) {
  const t = useTranslations("reminders.risk");
  return (
    <section
      aria-labelledby="risk-inline-heading"
      className={`rounded-md border p-4 ${STYLE[risk.level]} ${className}`}
      data-testid="risk-inline"
      data-level={risk.level}
    >
      <h2 id="risk-inline-heading" className="text-base font-semibold">
        {t("inlineTitle")}: {t(`levels.${risk.level}`)}
      </h2>
      <Bar level={risk.level} />
      <p className="mt-2 text-sm">{risk.summary}</p>
      <TrainingRisk risk={risk} testIds="inline" />
      <Remedies risk={risk} testId="risk-inline-remedies" />
      <p className="mt-2 text-xs">{t("inlineMore")}</p>
    </section>
  );
}
