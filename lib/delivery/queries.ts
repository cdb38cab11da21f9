import { and, asc, count, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db } from "../db";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../deliveries/schema";
import { loadSenderOverview, type NotReadyReason, type SenderEnvironment } from "../sender/service";
import { queueEta, sentToday as quotaUsedToday } from "./limits";
import { PENDING_STATUSES, type FailureClass } from "./types";

/**
 * Read models of the deliveries page and the learner page (issue 11). Every statement
 * carries the tenant predicate; an id of another tenant reads like a missing one.
 * Nothing here writes: the state changes are the use cases in outbox / pause /
 * suppressions.
 */

/** Rows that will still be tried: the pending ones, plus a row a worker holds right now. */
const STILL_TO_GO = [...PENDING_STATUSES, "sending"] as const satisfies readonly DeliveryStatus[];

/** Dates go to the driver as Postgres timestamps or SQLite epoch milliseconds. */
function instant(db: Db, at: Date): Date | number {
  return db.dialect === "postgres" ? at : at.getTime();
}

// ── Counts per status ─────────────────────────────────────────────────────────────

export type DeliveryCounts = Record<DeliveryStatus, number>;

export async function deliveryCounts(db: Db, params: { tenantId: string }): Promise<DeliveryCounts> {
  const d = db.t.deliveries;
  const rows = await db.orm.select({ status: d.status, n: count() }).from(d).where(eq(d.tenantId, params.tenantId)).groupBy(d.status);
  const out = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as DeliveryCounts;
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

// ── Mails of every tenant (the review board) ──────────────────────────────────────

export interface MailCounts {
  sent: number;
  failed: number;
  /** Failed because the recipient's server refused the address (failureClass "recipient"). */
  bounced: number;
}

/**
 * Sent, failed and bounced mails since `since`, per tenant, in one grouped statement:
 * sent by sentAt, failed by the last attempt (as deliveriesPerDay counts them).
 */
export async function mailCountsByTenant(db: Db, params: { since: Date; tenantIds?: string[] }): Promise<Map<string, MailCounts>> {
  if (params.tenantIds?.length === 0) return new Map();
  const d = db.t.deliveries;
  const since = instant(db, params.since);
  const failedAt = sql`coalesce(${d.lastAttemptAt}, ${d.updatedAt})`;
  const isSent = sql`${d.status} = 'sent' and ${d.sentAt} >= ${since}`;
  const isFailed = sql`${d.status} = 'failed' and ${failedAt} >= ${since}`;
  const rows = await db.orm
    .select({
      tenantId: d.tenantId,
      sent: sql<string | number>`sum(case when ${isSent} then 1 else 0 end)`,
      failed: sql<string | number>`sum(case when ${isFailed} then 1 else 0 end)`,
      bounced: sql<string | number>`sum(case when ${isFailed} and ${d.failureClass} = 'recipient' then 1 else 0 end)`,
    })
    .from(d)
    // Both kinds of row were last updated at or after the instant that counts them.
    .where(and(inArray(d.status, ["sent", "failed"]), gte(d.updatedAt, params.since), params.tenantIds ? inArray(d.tenantId, params.tenantIds) : undefined))
    .groupBy(d.tenantId);
  return new Map(rows.map((r) => [r.tenantId, { sent: Number(r.sent ?? 0), failed: Number(r.failed ?? 0), bounced: Number(r.bounced ?? 0) }]));
}

// ── Mails per local day ───────────────────────────────────────────────────────────

export interface DayCounts {
  /** The tenant's local calendar day, YYYY-MM-DD. */
  day: string;
  sent: number;
  failed: number;
  /** Still to go (planned, retrying, deferred, sending) on that day. */
  planned: number;
}

/** The bucket of each instant: which of the day boundaries it falls before (0 … days-1). */
function dayBucket(db: Db, column: SQL, starts: Date[]): SQL {
  const cases = starts.slice(1).map((s, i) => sql`when ${column} < ${instant(db, s)} then ${i}`);
  return sql`case ${sql.join(cases, sql` `)} else ${starts.length - 2} end`;
}

/**
 * Sent, failed and planned mails per local day of the tenant: `days` days from the local
 * day of `from`. Sent counts by sentAt, failed by the last attempt, planned by the next
 * attempt (or the due time). Three grouped statements, whatever the number of rows.
 */
export async function deliveriesPerDay(
  db: Db,
  params: { tenantId: string; from: Date; days: number; timezone: string },
): Promise<DayCounts[]> {
  const d = db.t.deliveries;
  const first = DateTime.fromJSDate(params.from, { zone: params.timezone }).startOf("day");
  const starts: Date[] = [];
  const out: DayCounts[] = [];
  for (let i = 0; i <= params.days; i++) {
    const day = first.plus({ days: i });
    starts.push(day.toJSDate());
    if (i < params.days) out.push({ day: day.toISODate()!, sent: 0, failed: 0, planned: 0 });
  }
  const start = instant(db, starts[0]!);
  const end = instant(db, starts.at(-1)!);
  const series = async (column: SQL, statuses: readonly DeliveryStatus[]) => {
    const bucket = dayBucket(db, column, starts);
    const rows = await db.orm
      .select({ bucket: sql<number>`${bucket}`, n: count() })
      .from(d)
      .where(and(eq(d.tenantId, params.tenantId), inArray(d.status, [...statuses]), sql`${column} >= ${start}`, sql`${column} < ${end}`))
      // By position: Postgres sees the bucket's bound parameters as a new expression.
      .groupBy(sql`1`);
    return rows.map((r) => ({ bucket: Number(r.bucket), n: Number(r.n) }));
  };
  const [sent, failed, planned] = await Promise.all([
    series(sql`${d.sentAt}`, ["sent"]),
    series(sql`coalesce(${d.lastAttemptAt}, ${d.updatedAt})`, ["failed"]),
    series(sql`coalesce(${d.nextAttemptAt}, ${d.dueAt})`, STILL_TO_GO),
  ]);
  for (const r of sent) out[r.bucket]!.sent += r.n;
  for (const r of failed) out[r.bucket]!.failed += r.n;
  for (const r of planned) out[r.bucket]!.planned += r.n;
  return out;
}

// ── The list ──────────────────────────────────────────────────────────────────────

export interface DeliveryFilter {
  status?: DeliveryStatus;
  planId?: string;
  learnerId?: string;
  /** Due at or after (an instant: the page turns the tenant's local date into it). */
  from?: Date;
  /** Due before. */
  to?: Date;
  /** Part of the recipient's address, or of the learner's name. */
  q?: string;
  /** The kind of the last failure ("recipient": the address was refused, a bounce). */
  failureClass?: FailureClass;
}

export interface DeliveryRowView {
  id: string;
  kind: "reminder" | "digest";
  status: DeliveryStatus;
  cancelReason: string | null;
  recipient: string;
  learnerId: string | null;
  learnerName: string | null;
  planId: string | null;
  planName: string | null;
  trainingName: string | null;
  occurrence: number | null;
  dueAt: Date;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  attempts: number;
  failureClass: FailureClass | null;
  lastErrorKind: string | null;
  lastReply: string | null;
  subject: string | null;
  messageId: string | null;
}

/** Keyset position of the list (newest due first): base64url of `[dueAt ms, id]`. */
export function encodeRowCursor(row: { dueAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.dueAt.getTime(), row.id]), "utf8").toString("base64url");
}

export function decodeRowCursor(value: string): { dueAt: Date; id: string } | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(value)) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [ms, id] = parsed as unknown[];
    if (typeof ms !== "number" || !Number.isSafeInteger(ms) || typeof id !== "string" || id.length > 100) return null;
    return { dueAt: new Date(ms), id };
  } catch {
    return null;
  }
}

/** LIKE pattern for "contains", with the wildcards of the text escaped. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The tenant's outbox rows, newest due first, keyset-paged by (dueAt, id), with the
 * learner's, plan's and training's names.
 */
export async function listDeliveryRows(
  db: Db,
  params: { tenantId: string; filter: DeliveryFilter; cursor?: string | null; limit: number },
): Promise<{ items: DeliveryRowView[]; nextCursor: string | null }> {
  const d = db.t.deliveries;
  const l = db.t.learners;
  const p = db.t.reminderPlans;
  const a = db.t.assignments;
  const tr = db.t.trainings;
  const { filter, tenantId } = params;
  const where: (SQL | undefined)[] = [eq(d.tenantId, tenantId)];
  if (filter.status) where.push(eq(d.status, filter.status));
  if (filter.planId) where.push(eq(d.planId, filter.planId));
  if (filter.failureClass) where.push(eq(d.failureClass, filter.failureClass));
  if (filter.learnerId) {
    // Rows name the learner, or only the learner's assignment (as lib/learners/stop-reminders.ts reads them).
    const ofLearner = db.orm.select({ id: a.id }).from(a).where(and(eq(a.tenantId, tenantId), eq(a.learnerId, filter.learnerId)));
    where.push(or(eq(d.learnerId, filter.learnerId), inArray(d.assignmentId, ofLearner)));
  }
  if (filter.from) where.push(gte(d.dueAt, filter.from));
  if (filter.to) where.push(lt(d.dueAt, filter.to));
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    where.push(
      or(
        sql`lower(${d.recipient}) like ${pattern} escape '\\'`,
        sql`lower(${l.firstName} || ' ' || ${l.lastName}) like ${pattern} escape '\\'`,
      ),
    );
  }
  const after = params.cursor ? decodeRowCursor(params.cursor) : null;
  if (after) where.push(or(lt(d.dueAt, after.dueAt), and(eq(d.dueAt, after.dueAt), lt(d.id, after.id))));
  const rows = await db.orm
    .select({
      id: d.id,
      kind: d.kind,
      status: d.status,
      cancelReason: d.cancelReason,
      recipient: d.recipient,
      learnerId: d.learnerId,
      firstName: l.firstName,
      lastName: l.lastName,
      planId: d.planId,
      planName: p.name,
      trainingName: tr.name,
      occurrence: d.occurrence,
      dueAt: d.dueAt,
      nextAttemptAt: d.nextAttemptAt,
      sentAt: d.sentAt,
      attempts: d.attempts,
      failureClass: d.failureClass,
      lastErrorKind: d.lastErrorKind,
      lastReply: d.lastReply,
      subject: d.subject,
      messageId: d.messageId,
    })
    .from(d)
    .leftJoin(l, and(eq(l.id, d.learnerId), eq(l.tenantId, tenantId)))
    .leftJoin(p, and(eq(p.id, d.planId), eq(p.tenantId, tenantId)))
    .leftJoin(a, and(eq(a.id, d.assignmentId), eq(a.tenantId, tenantId)))
    .leftJoin(tr, and(eq(tr.id, a.trainingId), eq(tr.tenantId, tenantId)))
    .where(and(...where))
    .orderBy(desc(d.dueAt), desc(d.id))
    .limit(params.limit + 1);
  const items = rows.slice(0, params.limit).map(({ firstName, lastName, ...r }) => ({
    ...r,
    learnerName: firstName !== null && lastName !== null ? `${firstName} ${lastName}` : null,
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > params.limit && last ? encodeRowCursor(last) : null };
}

// ── Attempts ──────────────────────────────────────────────────────────────────────

export interface AttemptView {
  attempt: number;
  startedAt: Date;
  finishedAt: Date;
  outcome: "sent" | "temporary" | "recipient" | "sender" | "message" | "expired" | "interrupted" | "released";
  errorKind: string | null;
  smtpCode: number | null;
  reply: string | null;
  ms: number | null;
}

/** The attempts of several rows in one statement (a page of the list), oldest first per row. */
export async function deliveryAttemptsFor(db: Db, params: { tenantId: string; deliveryIds: string[] }): Promise<Map<string, AttemptView[]>> {
  const out = new Map<string, AttemptView[]>();
  if (params.deliveryIds.length === 0) return out;
  const at = db.t.deliveryAttempts;
  const rows = await db.orm
    .select({
      deliveryId: at.deliveryId,
      attempt: at.attempt,
      startedAt: at.startedAt,
      finishedAt: at.finishedAt,
      outcome: at.outcome,
      errorKind: at.errorKind,
      smtpCode: at.smtpCode,
      reply: at.reply,
      ms: at.ms,
    })
    .from(at)
    .where(and(eq(at.tenantId, params.tenantId), inArray(at.deliveryId, params.deliveryIds)))
    .orderBy(asc(at.deliveryId), asc(at.attempt));
  for (const { deliveryId, ...r } of rows) {
    const list = out.get(deliveryId) ?? [];
    list.push(r);
    out.set(deliveryId, list);
  }
  return out;
}

export async function deliveryAttemptsOf(db: Db, params: { tenantId: string; deliveryId: string }): Promise<AttemptView[]> {
  return (await deliveryAttemptsFor(db, { tenantId: params.tenantId, deliveryIds: [params.deliveryId] })).get(params.deliveryId) ?? [];
}

// ── The queue: what is due, and why it waits ──────────────────────────────────────

export interface OpenPauseView {
  id: string;
  errorKind: string;
  reply: string | null;
  deliveryId: string | null;
  pausedAt: Date;
}

export type QueueWait =
  | { reason: "paused" }
  | { reason: "not_configured" }
  | { reason: "not_ready"; reasons: NotReadyReason[] }
  | { reason: "quota"; until: Date }
  | { reason: "rate" }
  | null;

export interface QueueView {
  /** Pending rows whose time has come (or that a worker holds right now). */
  dueNow: number;
  /** Pending rows in the future. */
  later: number;
  /** The next planned instant after now. */
  nextAt: Date | null;
  sentToday: number;
  ratePerMinute: number;
  dailyQuota: number;
  /** Why what is due does not simply go out now (null: it goes). */
  wait: QueueWait;
  /** When the last of the due mails will have gone under the limits (null: nothing due, or it cannot go). */
  eta: { finishAt: Date; days: number } | null;
  pause: OpenPauseView | null;
}

export async function getOpenPauseView(db: Db, params: { tenantId: string }): Promise<OpenPauseView | null> {
  const s = db.t.sendingPauses;
  const [row] = await db.orm
    .select({ id: s.id, errorKind: s.errorKind, reply: s.reply, deliveryId: s.deliveryId, pausedAt: s.pausedAt })
    .from(s)
    .where(and(eq(s.tenantId, params.tenantId), isNull(s.resumedAt)))
    .limit(1);
  return row ?? null;
}

/**
 * What is due for the tenant, how long it will take under its limits, and whatever
 * holds it back (a paused sender, a sender that is not ready, the daily quota). `env`
 * is the worker's DeliveryEnvironment (only its sender part is read).
 */
export async function deliveryQueueView(
  db: Db,
  params: { tenantId: string; now: Date; env: { sender: SenderEnvironment } },
): Promise<QueueView> {
  const d = db.t.deliveries;
  const tn = db.t.tenants;
  const ss = db.t.senderSettings;
  const { tenantId, now } = params;
  const [tenant] = await db.orm.select({ timezone: tn.timezone }).from(tn).where(eq(tn.id, tenantId)).limit(1);
  const timezone = tenant?.timezone ?? "UTC";
  const dayStart = DateTime.fromJSDate(now, { zone: timezone }).startOf("day");
  const nextAttempt = sql`coalesce(${d.nextAttemptAt}, ${d.dueAt})`;
  const [[due], [later], usedToday, [settings], overview, pause] = await Promise.all([
    db.orm
      .select({ n: count() })
      .from(d)
      .where(and(eq(d.tenantId, tenantId), or(eq(d.status, "sending"), and(inArray(d.status, [...PENDING_STATUSES]), sql`${nextAttempt} <= ${instant(db, now)}`)))),
    db.orm
      .select({ n: count(), next: sql<unknown>`min(${nextAttempt})`, deferred: sql<number>`sum(case when ${d.status} = 'deferred' then 1 else 0 end)` })
      .from(d)
      .where(and(eq(d.tenantId, tenantId), inArray(d.status, [...PENDING_STATUSES]), sql`${nextAttempt} > ${instant(db, now)}`)),
    quotaUsedToday(db, { tenantId, timezone, now }),
    db.orm.select({ ratePerMinute: ss.ratePerMinute, dailyQuota: ss.dailyQuota }).from(ss).where(eq(ss.tenantId, tenantId)).limit(1),
    loadSenderOverview(db, { tenantId, relayConfigured: !!params.env.sender.relayUrl, now }),
    getOpenPauseView(db, { tenantId }),
  ]);
  const dueNow = Number(due?.n ?? 0);
  const sentToday = usedToday;
  const ratePerMinute = settings?.ratePerMinute ?? params.env.sender.defaults.ratePerMinute;
  const dailyQuota = settings?.dailyQuota ?? params.env.sender.defaults.dailyQuota;
  const rawNext = later?.next;
  const nextAt = rawNext === null || rawNext === undefined ? null : new Date(rawNext as string | number | Date);

  let wait: QueueWait = null;
  if (pause) wait = { reason: "paused" };
  else if (overview.state.status === "not_configured") wait = { reason: "not_configured" };
  else if (overview.state.status === "not_ready") wait = { reason: "not_ready", reasons: overview.state.reasons };
  // Rows over the quota are deferred to the next local midnight by the worker: they wait for it too.
  else if ((dueNow > 0 || Number(later?.deferred ?? 0) > 0) && sentToday >= dailyQuota) wait = { reason: "quota", until: dayStart.plus({ days: 1 }).toJSDate() };
  else if (dueNow > ratePerMinute) wait = { reason: "rate" };

  const canGo = wait === null || wait.reason === "quota" || wait.reason === "rate";
  const eta = dueNow > 0 && canGo ? queueEta({ due: dueNow, ratePerMinute, dailyQuota, usedToday: sentToday, timezone, now }) : null;
  return { dueNow, later: Number(later?.n ?? 0), nextAt, sentToday, ratePerMinute, dailyQuota, wait, eta, pause };
}

// ── Unsubscribes and plans ────────────────────────────────────────────────────────

export interface UnsubscribeView {
  planId: string;
  planName: string;
  via: "one_click" | "page";
  createdAt: Date;
}

/** The plans a learner unsubscribed from. */
export async function learnerUnsubscribes(db: Db, params: { tenantId: string; learnerId: string }): Promise<UnsubscribeView[]> {
  const u = db.t.unsubscribes;
  const p = db.t.reminderPlans;
  return db.orm
    .select({ planId: u.planId, planName: p.name, via: u.via, createdAt: u.createdAt })
    .from(u)
    .innerJoin(p, and(eq(p.id, u.planId), eq(p.tenantId, params.tenantId)))
    .where(and(eq(u.tenantId, params.tenantId), eq(u.learnerId, params.learnerId)))
    .orderBy(desc(u.createdAt));
}

/** The tenant's plans (id, name) for the list's filter. */
export async function planChoices(db: Db, params: { tenantId: string }): Promise<{ id: string; name: string }[]> {
  const p = db.t.reminderPlans;
  return db.orm.select({ id: p.id, name: p.name }).from(p).where(eq(p.tenantId, params.tenantId)).orderBy(asc(p.name), asc(p.id));
}
