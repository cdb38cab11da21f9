import crypto from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../db";
import { isLocale, type Locale } from "../i18n/locale";
import { sendThroughRelay } from "../mail/relay";
import type { ProbeOptions } from "../mail/transport";
import type { SenderEnvironment } from "../sender/service";

/**
 * Alerts: something a tenant's admins and the consultants must act on, in the app and
 * by mail through the platform relay (DESIGN.md "Review and monitoring"). Issue 11
 * raises one when a tenant's sending pauses; issue 12 adds the scheduled re-checks
 * (a domain check or SMTP connection that turned from green) with their own `kind` and
 * dedupe key, and reads / unread counts per user (alertReads).
 *
 * Raising is part of the transaction that found the problem (database work only); the
 * mails go out later, outside any transaction, from the worker's tick
 * (mailPendingAlerts). `dedupeKey` is unique: raising the same alert twice is a no-op,
 * so a condition names itself, e.g. `sending_paused:<tenant>:<pause id>`.
 */

export type AlertSeverity = "error" | "warning" | "info";
export type AlertMessage = Record<Locale, { title: string; text: string }>;

export interface RaiseAlertInput {
  tenantId: string | null;
  kind: string;
  severity: AlertSeverity;
  message: AlertMessage;
  /** Technical detail (the server's reply, password-redacted): shown behind a disclosure, sent in the mail. */
  detail: string | null;
  /** An app path where it is fixed, e.g. /t/acme/deliveries. */
  link: string | null;
  dedupeKey: string;
  now: Date;
}

/** Inserts the alert unless one with its dedupe key exists. Inside the caller's transaction. */
export async function raiseAlert(tx: Db, p: RaiseAlertInput): Promise<{ alertId: string; created: boolean }> {
  const a = tx.t.alerts;
  const id = crypto.randomUUID();
  const inserted = await tx.orm
    .insert(a)
    .values({
      id,
      tenantId: p.tenantId,
      kind: p.kind,
      severity: p.severity,
      message: p.message,
      detail: p.detail,
      link: p.link,
      dedupeKey: p.dedupeKey,
      createdAt: p.now,
    })
    .onConflictDoNothing()
    .returning({ id: a.id });
  if (inserted.length === 1) return { alertId: id, created: true };
  const [existing] = await tx.orm.select({ id: a.id }).from(a).where(eq(a.dedupeKey, p.dedupeKey));
  return { alertId: existing!.id, created: false };
}

/** Marks open alerts resolved: the one with this key, or every one whose key starts with the prefix. Returns how many. */
export async function resolveAlerts(
  tx: Db,
  p: ({ dedupeKey: string; dedupeKeyPrefix?: never } | { dedupeKeyPrefix: string; dedupeKey?: never }) & { now: Date },
): Promise<number> {
  const a = tx.t.alerts;
  // substr() rather than LIKE: no wildcard in a key (an "_" in a kind) can match more than itself.
  const match =
    p.dedupeKey !== undefined
      ? eq(a.dedupeKey, p.dedupeKey)
      : sql`substr(${a.dedupeKey}, 1, ${p.dedupeKeyPrefix.length}) = ${p.dedupeKeyPrefix}`;
  const resolved = await tx.orm
    .update(a)
    .set({ resolvedAt: p.now })
    .where(and(match, isNull(a.resolvedAt)))
    .returning({ id: a.id });
  return resolved.length;
}

export interface AlertRow {
  id: string;
  tenantId: string | null;
  kind: string;
  severity: AlertSeverity;
  message: AlertMessage;
  detail: string | null;
  link: string | null;
  mailedAt: Date | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

/** The tenant's alerts, open ones first, newest first. */
export async function listAlerts(db: Db, p: { tenantId: string; limit?: number }): Promise<AlertRow[]> {
  const a = db.t.alerts;
  const rows = await db.orm
    .select()
    .from(a)
    .where(eq(a.tenantId, p.tenantId))
    .orderBy(sql`case when ${a.resolvedAt} is null then 0 else 1 end`, desc(a.createdAt), desc(a.id))
    .limit(p.limit ?? 50);
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenantId,
    kind: r.kind,
    severity: r.severity,
    message: r.message as AlertMessage,
    detail: r.detail,
    link: r.link,
    mailedAt: r.mailedAt,
    createdAt: r.createdAt,
    resolvedAt: r.resolvedAt,
  }));
}

// ── Mail ─────────────────────────────────────────────────────────────────────────

/** What mailing alerts needs of the worker's DeliveryEnvironment (lib/delivery/sender.ts). */
export interface AlertMailEnvironment {
  sender: SenderEnvironment;
  publicUrl: string;
  probe?: ProbeOptions;
}

/** At most this many alerts per call (a tick); the rest go on the next. */
const MAIL_BATCH = 20;

/** Who gets a tenant's alert: its admins and every consultant (active accounts), each in their language. */
async function alertRecipients(db: Db, tenantId: string | null): Promise<{ email: string; locale: Locale }[]> {
  const u = db.t.users;
  const m = db.t.memberships;
  const t = db.t.tenants;
  const consultants = await db.orm
    .select({ email: u.email, locale: u.locale })
    .from(u)
    .where(and(eq(u.role, "consultant"), isNull(u.disabledAt)));
  let tenantLocale: Locale = "de";
  let admins: { email: string; locale: Locale | null }[] = [];
  if (tenantId) {
    const [tenant] = await db.orm.select({ locale: t.locale }).from(t).where(eq(t.id, tenantId));
    if (tenant && isLocale(tenant.locale)) tenantLocale = tenant.locale;
    admins = await db.orm
      .select({ email: u.email, locale: u.locale })
      .from(u)
      .innerJoin(m, eq(m.userId, u.id))
      .where(and(eq(m.tenantId, tenantId), eq(u.role, "admin"), isNull(u.disabledAt)));
  }
  const byEmail = new Map<string, Locale>();
  for (const r of [...admins, ...consultants]) byEmail.set(r.email.toLowerCase(), r.locale ?? tenantLocale);
  return [...byEmail].map(([email, locale]) => ({ email, locale }));
}

export function alertMailText(
  alert: { message: AlertMessage; detail: string | null; link: string | null },
  locale: Locale,
  publicUrl: string,
): { subject: string; text: string } {
  const m = alert.message[locale] ?? alert.message.de;
  const lines = [m.text, ""];
  if (alert.link) {
    lines.push(locale === "de" ? "Hier beheben:" : "Fix it here:", `${publicUrl.replace(/\/+$/, "")}${alert.link}`, "");
  }
  if (alert.detail) lines.push(locale === "de" ? "Technische Details:" : "Technical details:", alert.detail, "");
  lines.push(
    locale === "de"
      ? "Diese Nachricht hat Postillion automatisch verschickt, weil Sie für diese Organisation zuständig sind."
      : "Postillion sent this message automatically because you look after this organisation.",
  );
  return { subject: `Postillion: ${m.title}`, text: lines.join("\n") };
}

/**
 * Mails each open alert that has not been mailed to the tenant's admins and all
 * consultants, each in their language, through the platform relay. Returns how many
 * alerts were mailed.
 *
 * An alert is claimed by one conditional UPDATE (mailedAt from null to now) before any
 * mail goes: of two workers exactly one sends it. The sending happens after that
 * statement, outside any transaction. When no recipient could be reached (relay down)
 * the claim is given back so a later tick tries again; when some were reached it stays
 * (a repeat would mail those twice).
 */
export async function mailPendingAlerts(db: Db, p: { env: AlertMailEnvironment; now: Date; log?: (line: string) => void }): Promise<number> {
  const relayUrl = p.env.sender.relayUrl;
  const from = p.env.sender.profile.noreplyAddresses[0];
  if (!relayUrl || !from) return 0;
  const a = db.t.alerts;
  const pending = await db.orm
    .select({ id: a.id, tenantId: a.tenantId, message: a.message, detail: a.detail, link: a.link })
    .from(a)
    .where(and(isNull(a.mailedAt), isNull(a.resolvedAt)))
    .orderBy(a.createdAt)
    .limit(MAIL_BATCH);

  let mailed = 0;
  for (const alert of pending) {
    const claimed = await db.orm
      .update(a)
      .set({ mailedAt: p.now })
      .where(and(eq(a.id, alert.id), isNull(a.mailedAt)))
      .returning({ id: a.id });
    if (claimed.length !== 1) continue;

    const recipients = await alertRecipients(db, alert.tenantId);
    let reached = 0;
    for (const r of recipients) {
      const mail = alertMailText({ ...alert, message: alert.message as AlertMessage }, r.locale, p.env.publicUrl);
      const sent = await sendThroughRelay(relayUrl, { address: from, name: "Postillion" }, { to: r.email, ...mail }, p.env.probe);
      if (sent.ok) reached++;
      else p.log?.(`alert ${alert.id}: mail to a recipient failed: ${sent.detail}`);
    }
    if (recipients.length > 0 && reached === 0) {
      await db.orm
        .update(a)
        .set({ mailedAt: null })
        .where(and(eq(a.id, alert.id), eq(a.mailedAt, p.now)));
      continue;
    }
    mailed++;
  }
  return mailed;
}
