import { and, eq, inArray, isNull, max } from "drizzle-orm";
import { writeAudit } from "../audit/log";
import type { EncryptionKeys } from "../crypto/secret-box";
import type { Db } from "../db";
import { raiseAlert, type AlertMessage } from "../delivery/alerts";
import type { DomainCheckRow } from "../domain-check/queries";
import { runScheduledDomainCheck, type DomainCheckEnvironment } from "../domain-check/service";
import type { StepReport } from "../domain-check/types";
import { interpolate, LOCALES, type Locale } from "../i18n/locale";
import { addressDomain } from "../mail/address";
import type { ProbeOptions } from "../mail/transport";
import { runScheduledSmtpCheck, type LastTest, type RecordedTest, type SenderEnvironment } from "../sender/service";
import { recheckAlertKind, recheckAlertPrefix, resolveRecheckAlerts, type RecheckKind } from "./recheck-alerts";

export { recheckAlertPrefix, type RecheckKind } from "./recheck-alerts";

/**
 * The worker's scheduled re-checks (DESIGN.md "Review and monitoring"): each
 * customer-domain sender's domain check and each custom SMTP connection, daily.
 *
 * There is ONE definition of "ready" (lib/sender/service loadSenderOverview): a
 * re-check only records its result where readiness reads it — the newest domain check
 * of the From domain, the sender settings' lastTest — so a red re-check stops that
 * mode's sending and a green one (or a manual check / test that comes out green)
 * lets it go again. On top, the change from green to not green raises ONE alert per
 * incident (dedupe key `recheck_domain:<tenant>:<first red check>` /
 * `recheck_smtp:<tenant>:<instant of the failed test>`), mailed once by the worker's
 * mailPendingAlerts; green again resolves it. A tenant with an open re-check alert is
 * re-checked hourly until green.
 */

export const RECHECK_EVERY_MS = 24 * 60 * 60 * 1000;
/** A tenant with an open re-check alert is re-checked this often until green. */
export const RECHECK_FAILING_EVERY_MS = 60 * 60 * 1000;

export interface RecheckEnvironment {
  domainCheck: DomainCheckEnvironment;
  sender: SenderEnvironment;
  keys: EncryptionKeys;
  /** Tests: TLS options and timeouts of the SMTP probe. */
  probe?: ProbeOptions;
}

export interface DueRecheck {
  kind: RecheckKind;
  tenantId: string;
  slug: string;
  tenantName: string;
  /** The From domain (kind "domain"). */
  domain: string | null;
  /** When it was last checked or tested. */
  lastAt: Date;
  /** An open re-check alert: checked hourly. */
  failing: boolean;
}

/**
 * What is due now, oldest first, at most `limit`: customer_domain senders whose From
 * domain's newest finished check (any source) is older than the interval, custom_smtp
 * senders with complete settings whose lastTest is older. Never checked or never tested:
 * nothing to re-check (the first check is the admin's, the sender page asks for it). Three queries,
 * whatever the number of tenants.
 */
export async function dueRechecks(db: Db, p: { now: Date; limit?: number }): Promise<DueRecheck[]> {
  const s = db.t.senderSettings;
  const t = db.t.tenants;
  const d = db.t.domainChecks;
  const a = db.t.alerts;
  const [senders, checks, open] = await Promise.all([
    db.orm
      .select({
        tenantId: s.tenantId,
        slug: t.slug,
        tenantName: t.name,
        mode: s.mode,
        fromAddress: s.fromAddress,
        smtpHost: s.smtpHost,
        smtpPort: s.smtpPort,
        smtpSecurity: s.smtpSecurity,
        lastTest: s.lastTest,
      })
      .from(s)
      .innerJoin(t, eq(t.id, s.tenantId))
      .where(inArray(s.mode, ["customer_domain", "custom_smtp"])),
    db.orm
      .select({ tenantId: d.tenantId, domain: d.domain, lastAt: max(d.finishedAt) })
      .from(d)
      .innerJoin(s, eq(s.tenantId, d.tenantId))
      .where(and(eq(s.mode, "customer_domain"), eq(d.status, "done")))
      .groupBy(d.tenantId, d.domain),
    db.orm
      .selectDistinct({ tenantId: a.tenantId, kind: a.kind })
      .from(a)
      .where(and(isNull(a.resolvedAt), inArray(a.kind, [recheckAlertKind("domain"), recheckAlertKind("smtp")]))),
  ]);
  const lastCheck = new Map(checks.map((c) => [`${c.tenantId}:${c.domain}`, c.lastAt]));
  const failing = new Set(open.map((o) => `${o.kind}:${o.tenantId}`));
  const now = p.now.getTime();
  const isDue = (kind: RecheckKind, tenantId: string, lastAt: Date) => {
    const alerting = failing.has(`${recheckAlertKind(kind)}:${tenantId}`);
    return { due: now - lastAt.getTime() >= (alerting ? RECHECK_FAILING_EVERY_MS : RECHECK_EVERY_MS), alerting };
  };
  const due: DueRecheck[] = [];
  for (const r of senders) {
    const base = { tenantId: r.tenantId, slug: r.slug, tenantName: r.tenantName };
    if (r.mode === "customer_domain") {
      const domain = r.fromAddress ? addressDomain(r.fromAddress) : null;
      const lastAt = domain ? lastCheck.get(`${r.tenantId}:${domain}`) : undefined;
      // Never checked: nothing to re-check (the sender page asks for the first check).
      if (!domain || !lastAt) continue;
      const { due: isOld, alerting } = isDue("domain", r.tenantId, lastAt);
      if (isOld) due.push({ ...base, kind: "domain", domain, lastAt, failing: alerting });
    } else if (r.smtpHost && r.smtpPort && r.smtpSecurity && r.fromAddress) {
      const at = (r.lastTest as LastTest | null)?.at;
      const lastAt = at ? new Date(at) : null;
      // Never tested: an untested server is not made ready behind the admin's back.
      if (!lastAt || Number.isNaN(lastAt.getTime())) continue;
      const { due: isOld, alerting } = isDue("smtp", r.tenantId, lastAt);
      if (isOld) due.push({ ...base, kind: "smtp", domain: null, lastAt, failing: alerting });
    }
  }
  due.sort((x, y) => x.lastAt.getTime() - y.lastAt.getTime());
  return due.slice(0, p.limit ?? 50);
}

export interface RecheckCounts {
  /** Domain checks run. */
  domain: number;
  /** SMTP connection checks run. */
  smtp: number;
  /** Alerts raised (green → not green). */
  failed: number;
  /** Alerts resolved by a re-check (green again). */
  recovered: number;
}

/**
 * Runs the due re-checks, `concurrency` at a time (default 4), at most `limit` (default
 * 50) per call. One worker at a time calls this (the worker's "rechecks" job lease).
 * A tenant whose check throws is logged and left for the next pass.
 */
export async function runDueRechecks(
  db: Db,
  p: { env: RecheckEnvironment; now: Date; limit?: number; concurrency?: number; log?: (line: string) => void; /** true: take no further tenant (the worker stops). */ stop?: () => boolean },
): Promise<RecheckCounts> {
  const counts: RecheckCounts = { domain: 0, smtp: 0, failed: 0, recovered: 0 };
  const queue = await dueRechecks(db, { now: p.now, limit: p.limit ?? 50 });
  const run = async () => {
    for (let next = queue.shift(); next && !p.stop?.(); next = queue.shift()) {
      const item = next;
      try {
        const outcome = item.kind === "domain" ? await recheckDomain(db, item, p) : await recheckSmtp(db, item, p);
        if (outcome === null) continue;
        counts[item.kind]++;
        if (outcome === "failed") counts.failed++;
        if (outcome === "recovered") counts.recovered++;
      } catch (error) {
        p.log?.(`recheck ${item.kind} of tenant ${item.tenantId} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(p.concurrency ?? 4, queue.length) }, run));
  return counts;
}

type Outcome = "failed" | "recovered" | "unchanged";

async function recheckDomain(db: Db, item: DueRecheck, p: { env: RecheckEnvironment; now: Date }): Promise<Outcome> {
  const domain = item.domain!;
  let outcome: Outcome = "unchanged";
  await runScheduledDomainCheck(db, {
    tenantId: item.tenantId,
    domain,
    env: p.env.domainCheck,
    now: p.now,
    onFinished: async (tx, { row, previous }) => {
      const at = row.finishedAt ?? p.now;
      if (row.verdict === "green") {
        const resolved = await resolveRecheckAlerts(tx, { kind: "domain", tenantId: item.tenantId, now: at });
        if (resolved > 0) {
          outcome = "recovered";
          await workerAudit(tx, { tenantId: item.tenantId, action: "domain.recheck.recovered", target: ["domain", domain], details: { checkId: row.id, resolved }, at });
        }
        return;
      }
      // Only the change from green raises; still red says nothing new (one alert per incident).
      if (previous?.verdict !== "green" || !(await stillSendsFrom(tx, { tenantId: item.tenantId, mode: "customer_domain", domain }))) return;
      const raised = await raiseAlert(tx, {
        tenantId: item.tenantId,
        kind: recheckAlertKind("domain"),
        severity: "error",
        message: domainAlertMessage({ tenantName: item.tenantName, domain, row }),
        detail: domainAlertDetail(row),
        link: `/t/${item.slug}/domain`,
        dedupeKey: `${recheckAlertPrefix("domain", item.tenantId)}${row.id}`,
        now: at,
      });
      if (!raised.created) return;
      outcome = "failed";
      await workerAudit(tx, {
        tenantId: item.tenantId,
        action: "domain.recheck.failed",
        target: ["domain", domain],
        details: { checkId: row.id, verdict: row.verdict, previousCheckId: previous.id, alertId: raised.alertId },
        at,
      });
    },
  });
  return outcome;
}

async function recheckSmtp(db: Db, item: DueRecheck, p: { env: RecheckEnvironment; now: Date }): Promise<Outcome | null> {
  let outcome: Outcome = "unchanged";
  const onRecorded = async (tx: Db, r: RecordedTest) => {
    if (r.result.ok) {
      if (r.resolved > 0) {
        outcome = "recovered";
        await workerAudit(tx, {
          tenantId: item.tenantId,
          action: "sender.recheck.recovered",
          target: ["sender_settings", item.tenantId],
          details: { ms: r.result.ms, resolved: r.resolved },
          at: p.now,
        });
      }
      return;
    }
    if (!r.previous?.ok) return;
    const raised = await raiseAlert(tx, {
      tenantId: item.tenantId,
      kind: recheckAlertKind("smtp"),
      severity: "error",
      message: smtpAlertMessage({ tenantName: item.tenantName, target: r.target, reason: r.result.message }),
      detail: r.result.detail || null,
      link: `/t/${item.slug}/sender`,
      dedupeKey: `${recheckAlertPrefix("smtp", item.tenantId)}${r.lastTest.at}`,
      now: p.now,
    });
    if (!raised.created) return;
    outcome = "failed";
    await workerAudit(tx, {
      tenantId: item.tenantId,
      action: "sender.recheck.failed",
      target: ["sender_settings", item.tenantId],
      details: { failure: r.result.kind, ms: r.result.ms, host: r.target.host, port: r.target.port, alertId: raised.alertId },
      at: p.now,
    });
  };
  const ran = await runScheduledSmtpCheck(db, { tenantId: item.tenantId, env: p.env.sender, keys: p.env.keys, now: p.now, probe: p.env.probe, onRecorded });
  // Settings gone or changed meanwhile: nothing was recorded, the new settings are tested afresh.
  return ran?.recorded ? outcome : null;
}

/** The monitor's audit entry: no person acted, the worker did (actor kind "system" in the trail). */
function workerAudit(
  tx: Db,
  p: { tenantId: string; action: string; target: [type: string, id: string]; details: Record<string, unknown>; at: Date },
): Promise<void> {
  return writeAudit(
    tx,
    { tenantId: p.tenantId, actorUserId: null, action: p.action, targetType: p.target[0], targetId: p.target[1], details: { via: "worker", ...p.details } },
    p.at,
  );
}

/** The check ran for a while: is the tenant still sending from that domain (a save in between ended the incident)? */
async function stillSendsFrom(tx: Db, p: { tenantId: string; mode: "customer_domain"; domain: string }): Promise<boolean> {
  const s = tx.t.senderSettings;
  const [row] = await tx.orm.select({ mode: s.mode, fromAddress: s.fromAddress }).from(s).where(eq(s.tenantId, p.tenantId));
  return row?.mode === p.mode && !!row.fromAddress && addressDomain(row.fromAddress) === p.domain;
}

// ── The alerts' words ─────────────────────────────────────────────────────────────

function perLocale(build: (locale: Locale) => { title: string; text: string }): AlertMessage {
  return Object.fromEntries(LOCALES.map((l) => [l, build(l)])) as AlertMessage;
}

function problemsOf(row: DomainCheckRow) {
  const findings = ((row.findings as StepReport[] | null) ?? []).flatMap((s) => s.findings);
  const errors = findings.filter((f) => f.status === "error");
  return errors.length > 0 ? errors : findings.filter((f) => f.status === "temporary");
}

export function domainAlertMessage(p: { tenantName: string; domain: string; row: DomainCheckRow }): AlertMessage {
  const first = problemsOf(p.row)[0];
  return perLocale((l) => {
    const de = l === "de";
    const problem =
      p.row.verdict === "temporary"
        ? de
          ? "Die DNS-Server der Domain haben zweimal nicht verlässlich geantwortet, daher lässt sich nicht bestätigen, dass die Einstellungen noch stimmen."
          : "The domain's DNS servers twice did not answer reliably, so the settings cannot be confirmed as still correct."
        : first
          ? `${de ? "Gefunden" : "Found"}: ${first.title[l]}`
          : de
            ? "Die Einstellungen der Domain passen nicht mehr."
            : "The domain's settings no longer fit.";
    const vars = { tenant: p.tenantName, domain: p.domain };
    return {
      title: interpolate(de ? "{tenant}: Domain {domain} nicht mehr bereit, Versand gestoppt" : "{tenant}: domain {domain} no longer ready, sending stopped", vars),
      text: [
        interpolate(
          de
            ? "Die tägliche automatische Prüfung der Domain {domain} ist nicht mehr grün (bei der letzten Prüfung war sie es noch)."
            : "The daily automatic check of the domain {domain} is no longer green (it was at the previous check).",
          vars,
        ),
        problem,
        interpolate(
          de
            ? "Der Versand von Erinnerungen mit Absender @{domain} ist gestoppt, bis die Domain-Prüfung wieder grün ist. Die Erinnerungen warten und gehen danach raus."
            : "Reminders from @{domain} are not sent until the domain check is green again. They wait and go out afterwards.",
          vars,
        ),
        de
          ? "Auf der Seite der Domain-Prüfung steht, was sich geändert hat und was zu tun ist."
          : "The domain check page shows what changed and what to do.",
      ].join(" "),
    };
  });
}

/** The technical finding: each problem with its code and records (English, for the DNS person). */
export function domainAlertDetail(row: DomainCheckRow): string {
  const lines = [`Verdict: ${row.verdict} (check ${row.id})`];
  for (const f of problemsOf(row)) {
    lines.push(`[${f.status}] ${f.code}: ${f.title.en}`, ...(f.raw ?? []).map((r) => `  ${r}`));
  }
  const spf = (row.raw as { spf?: { records?: string[] } } | null)?.spf?.records;
  if (spf) lines.push(spf.length > 0 ? `SPF records: ${spf.join(" | ")}` : "SPF records: (none)");
  return lines.join("\n");
}

export function smtpAlertMessage(p: { tenantName: string; target: { host: string; port: number }; reason: Record<Locale, string> }): AlertMessage {
  return perLocale((l) => {
    const de = l === "de";
    const vars = { tenant: p.tenantName, server: `${p.target.host}:${p.target.port}` };
    return {
      title: interpolate(de ? "{tenant}: eigener SMTP-Server nicht erreichbar, Versand gestoppt" : "{tenant}: own SMTP server failing, sending stopped", vars),
      text: [
        interpolate(
          de
            ? "Die tägliche automatische Verbindungsprüfung des SMTP-Servers {server} ist fehlgeschlagen (bei der letzten Prüfung klappte sie noch)."
            : "The daily automatic connection check of the SMTP server {server} failed (it worked at the previous check).",
          vars,
        ),
        p.reason[l],
        de
          ? "Der Versand über diesen Server ist gestoppt, bis ein Verbindungstest wieder klappt. Die Erinnerungen warten und gehen danach raus."
          : "Sending through this server has stopped until a connection test succeeds again. The reminders wait and go out afterwards.",
      ].join(" "),
    };
  });
}
