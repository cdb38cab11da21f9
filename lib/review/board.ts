import { asc, inArray } from "drizzle-orm";
import type { Db } from "../db";
import { openAlertCountsByTenant } from "../alerts/queries";
import { mailCountsByTenant, type MailCounts } from "../delivery/queries";
import { pausedTenantIds } from "../delivery/pause";
import { newestChecksPerDomain } from "../domain-check/queries";
import { worstStatus, type FindingStatus, type StepReport } from "../domain-check/types";
import type { Localized } from "../i18n/locale";
import { planCountsByTenant } from "../reminders/queries";
import { sendingVerdict, type SendingVerdict } from "../sender/sending-block";
import type { SenderMode } from "../sender/sender-schema";
import { loadSenderStates } from "../sender/service";
import { healthScore, type HealthScore } from "./health";
import { reviewStates, type ReviewState } from "./reviews";

/**
 * The consultants' review board (/review): one row per tenant with everything a
 * consultant checks, read with one statement per column family — sender settings,
 * domain checks, proofs, plans, mails, pauses, alerts, reviews — so the number of
 * statements does not depend on the number of tenants. Filtering, sorting and paging
 * happen on these rows (lib/review/board-params.ts applyBoard).
 */

export const MAIL_WINDOW_DAYS = 7;
const DAY = 86_400_000;

export type SpamRisk = "low" | "medium" | "high";
export type SmtpTestState = "ok" | "failed" | "untested" | "not_applicable";

export interface BoardRow {
  tenant: { id: string; slug: string; name: string };
  sender: {
    mode: SenderMode | null;
    status: "ready" | "not_ready" | "not_configured";
    /** Why not, worded for a consultant (sendingVerdict with viewer "consultant"). */
    verdict: SendingVerdict;
  };
  /** The From domain's latest finished check; null unless the mode is customer_domain. */
  domain: {
    domain: string;
    verdict: "green" | "not_ready" | "temporary" | null;
    checkedAt: Date | null;
    ageMs: number | null;
    /** A check of the domain is running right now. */
    running: boolean;
    /** The check was started by the worker (an automatic re-check). */
    automatic: boolean;
    worst: { code: string; title: Localized; status: FindingStatus } | null;
  } | null;
  smtp: { state: SmtpTestState; at: Date | null; ageMs: number | null; automatic: boolean; failure: string | null };
  limits: { ratePerMinute: number; dailyQuota: number } | null;
  plans: { active: number; highRisk: number; highestRisk: SpamRisk | null };
  mail7d: MailCounts;
  paused: boolean;
  openAlerts: number;
  review: ReviewState;
  health: HealthScore;
}

/** The worst finding of a check: its status, and the first finding with it. */
export function worstFinding(steps: StepReport[]): { code: string; title: Localized; status: FindingStatus } | null {
  const findings = steps.flatMap((s) => s.findings ?? []);
  if (findings.length === 0) return null;
  const status = worstStatus(findings.map((f) => f.status));
  const f = findings.find((x) => x.status === status)!;
  return { code: f.code, title: f.title, status };
}

/**
 * Every tenant's row, or (with `tenantIds`) only those tenants' rows — the same statements,
 * each narrowed to them (the review page of one tenant shows its row).
 */
export async function loadReviewBoard(db: Db, params: { relayConfigured: boolean; now: Date; tenantIds?: string[] }): Promise<BoardRow[]> {
  const { now, tenantIds } = params;
  if (tenantIds?.length === 0) return [];
  const only = tenantIds ? { tenantIds } : {};
  const tn = db.t.tenants;
  const [tenants, senders, checks, plans, mails, paused, alerts, reviews] = await Promise.all([
    db.orm
      .select({ id: tn.id, slug: tn.slug, name: tn.name })
      .from(tn)
      .where(tenantIds ? inArray(tn.id, tenantIds) : undefined)
      .orderBy(asc(tn.name), asc(tn.slug)),
    loadSenderStates(db, { relayConfigured: params.relayConfigured, now, ...only }),
    newestChecksPerDomain(db, { done: true, withFindings: true, ...only }),
    planCountsByTenant(db, only),
    mailCountsByTenant(db, { since: new Date(now.getTime() - MAIL_WINDOW_DAYS * DAY), ...only }),
    pausedTenantIds(db),
    openAlertCountsByTenant(db, only),
    reviewStates(db, only),
  ]);
  const checkOf = new Map(checks.map((c) => [`${c.tenantId} ${c.domain}`, c]));
  const pausedSet = new Set(paused);

  return tenants.map((tenant) => {
    const overview = senders.get(tenant.id);
    const state = overview?.state ?? { status: "not_configured" as const };
    const settings = overview?.settings ?? null;
    const mode = state.status === "not_configured" ? null : state.mode;

    let domain: BoardRow["domain"] = null;
    if (mode === "customer_domain" && overview?.domain) {
      const done = checkOf.get(`${tenant.id} ${overview.domain}`);
      domain = {
        domain: overview.domain,
        verdict: done?.verdict ?? null,
        checkedAt: done?.finishedAt ?? null,
        ageMs: done?.finishedAt ? now.getTime() - done.finishedAt.getTime() : null,
        running: overview.domainCheck?.status === "running",
        automatic: !!done && done.startedBy === null,
        worst: done ? worstFinding(done.findings) : null,
      };
    }

    const last = settings?.lastTest ?? null;
    const smtp: BoardRow["smtp"] =
      mode !== "custom_smtp"
        ? { state: "not_applicable", at: null, ageMs: null, automatic: false, failure: null }
        : last
          ? {
              state: last.ok ? "ok" : "failed",
              at: new Date(last.at),
              ageMs: now.getTime() - new Date(last.at).getTime(),
              automatic: last.via === "worker",
              failure: last.failure ?? null,
            }
          : { state: "untested", at: null, ageMs: null, automatic: false, failure: null };

    const p = plans.get(tenant.id) ?? { active: 0, highRisk: 0, mediumRisk: 0 };
    const row: Omit<BoardRow, "health"> = {
      tenant,
      sender: { mode, status: state.status, verdict: sendingVerdict(state, "consultant") },
      domain,
      smtp,
      limits: settings ? { ratePerMinute: settings.ratePerMinute, dailyQuota: settings.dailyQuota } : null,
      plans: {
        active: p.active,
        highRisk: p.highRisk,
        highestRisk: p.active === 0 ? null : p.highRisk > 0 ? "high" : p.mediumRisk > 0 ? "medium" : "low",
      },
      mail7d: mails.get(tenant.id) ?? { sent: 0, failed: 0, bounced: 0 },
      paused: pausedSet.has(tenant.id),
      openAlerts: alerts.get(tenant.id) ?? 0,
      review: reviews.get(tenant.id) ?? { status: "not_reviewed" },
    };
    const health = healthScore({
      canSend: state.status === "ready",
      paused: row.paused,
      openAlerts: row.openAlerts,
      plans: row.plans,
      mail7d: row.mail7d,
      domainWorst: domain?.worst?.status ?? null,
      checkAgeMs: domain ? domain.ageMs : smtp.ageMs,
      review: row.review,
    });
    return { ...row, health };
  });
}
