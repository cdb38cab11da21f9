import { localized, type Localized } from "../i18n/locale";

/**
 * The review board's health score: 100 minus the points of every rule that applies to
 * the tenant (never below 0). The rules are data, so the page states exactly the rule
 * that computed the number beside it.
 */

/** What the score is computed from: a part of a board row. */
export interface HealthFacts {
  canSend: boolean;
  paused: boolean;
  openAlerts: number;
  plans: { highRisk: number };
  mail7d: { sent: number; failed: number; bounced: number };
  /** Worst finding of the latest finished domain check (customer_domain only). */
  domainWorst: "ok" | "pending" | "warning" | "temporary" | "error" | null;
  /** Age of the check or test the mode depends on (ms; null: none or not applicable). */
  checkAgeMs: number | null;
  review: { status: "not_reviewed" | "reviewed" | "changed" };
}

export type HealthRuleId =
  | "cannot_send"
  | "paused"
  | "open_alerts"
  | "high_risk_plan"
  | "failures"
  | "bounces"
  | "domain_warning"
  | "stale_check"
  | "review";

export interface HealthRule {
  id: HealthRuleId;
  points: number;
  text: Localized;
  applies: (f: HealthFacts) => boolean;
}

const DAY = 86_400_000;
/** Failed mails above this share of the 7-day mails (sent + failed) cost points. */
export const FAILURE_SHARE = 0.05;
/** Bounced (recipient refused) above this share. */
export const BOUNCE_SHARE = 0.02;
/** A domain check or SMTP test older than this is stale (the worker re-checks daily). */
export const STALE_AFTER_MS = 7 * DAY;

const share = (part: number, f: HealthFacts) => {
  const total = f.mail7d.sent + f.mail7d.failed;
  return total > 0 ? part / total : 0;
};

export const HEALTH_RULES: readonly HealthRule[] = [
  {
    id: "cannot_send",
    points: 45,
    text: localized("Der Absender kann nicht senden (nicht eingerichtet oder nicht bereit)", "The sender cannot send (not configured or not ready)"),
    applies: (f) => !f.canSend,
  },
  {
    id: "paused",
    points: 45,
    text: localized("Der Versand ist angehalten", "Sending is paused"),
    applies: (f) => f.paused,
  },
  {
    id: "high_risk_plan",
    points: 20,
    text: localized("Ein aktiver Erinnerungsplan hat ein hohes Spam-Risiko", "An active reminder plan has a high spam risk"),
    applies: (f) => f.plans.highRisk > 0,
  },
  {
    id: "open_alerts",
    points: 10,
    text: localized("Es gibt offene Hinweise", "There are open alerts"),
    applies: (f) => f.openAlerts > 0,
  },
  {
    id: "failures",
    points: 10,
    text: localized("Mehr als 5 % der Mails der letzten 7 Tage sind fehlgeschlagen", "More than 5 % of the last 7 days' mails failed"),
    applies: (f) => share(f.mail7d.failed, f) > FAILURE_SHARE,
  },
  {
    id: "bounces",
    points: 5,
    text: localized("Mehr als 2 % der Mails der letzten 7 Tage kamen als unzustellbar zurück", "More than 2 % of the last 7 days' mails bounced"),
    applies: (f) => share(f.mail7d.bounced, f) > BOUNCE_SHARE,
  },
  {
    id: "domain_warning",
    points: 5,
    text: localized("Die letzte Domain-Prüfung hat Warnungen", "The latest domain check has warnings"),
    applies: (f) => f.domainWorst === "warning" || f.domainWorst === "temporary",
  },
  {
    id: "stale_check",
    points: 5,
    text: localized("Domain-Prüfung oder SMTP-Test ist älter als 7 Tage", "The domain check or SMTP test is older than 7 days"),
    applies: (f) => f.checkAgeMs !== null && f.checkAgeMs > STALE_AFTER_MS,
  },
  {
    id: "review",
    points: 5,
    text: localized("Nicht durchgesehen oder seit der Durchsicht geändert", "Not reviewed, or changed since the review"),
    applies: (f) => f.review.status !== "reviewed",
  },
];

export type HealthBand = "good" | "watch" | "act";
/** The lowest score of each band: 85–100 good, 60–84 watch, below 60 act. */
export const HEALTH_BANDS = { good: 85, watch: 60 } as const;

export interface HealthScore {
  score: number;
  band: HealthBand;
  deductions: { id: HealthRuleId; points: number }[];
}

export function healthScore(row: HealthFacts): HealthScore {
  const deductions = HEALTH_RULES.filter((r) => r.applies(row)).map((r) => ({ id: r.id, points: r.points }));
  const score = Math.max(0, 100 - deductions.reduce((sum, d) => sum + d.points, 0));
  const band: HealthBand = score >= HEALTH_BANDS.good ? "good" : score >= HEALTH_BANDS.watch ? "watch" : "act";
  return { score, band, deductions };
}
