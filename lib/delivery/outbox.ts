import { randomUUID } from "node:crypto";
import { and, asc, count, eq, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db";
import { excluded, jsonUpsert, sameTenant } from "../db/sql";
import type { Tables } from "../db/client";
import { pauseTenantSending } from "./pause";
import { suppressAddress } from "./suppressions";
import { PENDING_STATUSES, type CancelReason, type DeliveryFailure } from "./types";

/**
 * The outbox's state changes as the worker makes them. A worker CLAIMS due rows with a
 * lease (status `sending`, `leaseOwner`, `leaseUntil`, `attempts + 1`); on Postgres
 * with `FOR UPDATE SKIP LOCKED`, so any number of workers share one queue without
 * waiting on each other, on SQLite inside one write transaction. Every OUTCOME write is
 * fenced by the attempt it claimed (`status = 'sending' AND attempts = n`): a worker whose
 * lease ran out and whose row another worker took over cannot overwrite the newer
 * attempt. A row whose lease ran out (its worker died) is claimable again, and its lost
 * attempt is recorded as "interrupted": at-least-once, a duplicate only when the death
 * fell between the server's 250 and the outcome's write, with the same Message-ID.
 */

export type DeliveryRow = Tables["deliveries"]["$inferSelect"];

const PENDING = [...PENDING_STATUSES];

/** Claimable: pending and due, or in flight with a lease that ran out. */
function claimable(db: Db, now: Date): SQL {
  const d = db.t.deliveries;
  return or(and(inArray(d.status, PENDING), lte(d.nextAttemptAt, now)), and(eq(d.status, "sending"), lt(d.leaseUntil, now)))!;
}

/** The fence of every outcome write: the row is still in the attempt this worker claimed. */
function fenced(db: Db, row: Pick<DeliveryRow, "id" | "attempts" | "tenantId">): SQL {
  const d = db.t.deliveries;
  return and(eq(d.id, row.id), sameTenant(db, d.tenantId, row.tenantId), eq(d.status, "sending"), eq(d.attempts, row.attempts))!;
}

/** Up to `limit` due rows of one tenant, oldest first, now leased to `workerId`. */
export async function claimDue(
  db: Db,
  p: { workerId: string; now: Date; leaseMs: number; limit: number; tenantId: string },
): Promise<DeliveryRow[]> {
  if (p.limit <= 0) return [];
  const d = db.t.deliveries;
  const until = new Date(p.now.getTime() + p.leaseMs);
  return db.transaction(async (tx) => {
    // Two narrow reads, each walking (tenant, status, …) over what is due only: rows whose
    // worker died first, then the pending ones oldest first. (One OR-ed read makes SQLite
    // walk every row of the tenant.)
    const columns = { id: d.id, status: d.status, attempts: d.attempts, leaseOwner: d.leaseOwner, lastAttemptAt: d.lastAttemptAt };
    type Picked = { id: string; status: DeliveryRow["status"]; attempts: number; leaseOwner: string | null; lastAttemptAt: Date | null }[];
    const lock = (q: { for: (s: "update", o: { skipLocked: true }) => PromiseLike<Picked> } & PromiseLike<Picked>): PromiseLike<Picked> =>
      tx.dialect === "postgres" ? q.for("update", { skipLocked: true }) : q;
    const stale = await lock(
      tx.orm
        .select(columns)
        .from(d)
        .where(and(eq(d.tenantId, p.tenantId), eq(d.status, "sending"), lt(d.leaseUntil, p.now)))
        .limit(p.limit),
    );
    const pending =
      stale.length < p.limit
        ? await lock(
            tx.orm
              .select(columns)
              .from(d)
              .where(and(eq(d.tenantId, p.tenantId), inArray(d.status, PENDING), lte(d.nextAttemptAt, p.now)))
              .orderBy(asc(d.nextAttemptAt))
              .limit(p.limit - stale.length),
          )
        : [];
    const picked = [...stale, ...pending];
    if (picked.length === 0) return [];
    const ids = picked.map((r) => r.id);
    const rows = await tx.orm
      .update(d)
      .set({
        status: "sending",
        leaseOwner: p.workerId,
        leaseUntil: until,
        attempts: sql`${d.attempts} + 1`,
        firstAttemptAt: sql`coalesce(${d.firstAttemptAt}, ${sql.param(p.now, d.firstAttemptAt)})`,
        lastAttemptAt: p.now,
        updatedAt: p.now,
      })
      .where(and(inArray(d.id, ids), sameTenant(tx, d.tenantId, p.tenantId)))
      .returning();
    // The attempts whose worker died holding them: visible as "interrupted".
    if (stale.length > 0) {
      await tx.orm
        .insert(tx.t.deliveryAttempts)
        .values(
          stale.map((r) => ({
            id: randomUUID(),
            tenantId: p.tenantId,
            deliveryId: r.id,
            attempt: r.attempts,
            workerId: r.leaseOwner,
            startedAt: r.lastAttemptAt ?? p.now,
            finishedAt: p.now,
            outcome: "interrupted" as const,
            reply: "The worker stopped before it recorded the outcome (its lease ran out).",
          })),
        )
        .onConflictDoNothing();
    }
    return rows;
  });
}

/** Per tenant, how many rows are claimable at `now` (reads the due rows only, through the status/next-attempt index). */
export async function dueByTenant(db: Db, p: { now: Date }): Promise<{ tenantId: string; due: number }[]> {
  const d = db.t.deliveries;
  const rows = await db.orm
    .select({ tenantId: d.tenantId, due: count() })
    .from(d)
    .where(claimable(db, p.now))
    .groupBy(d.tenantId);
  return rows.map((r) => ({ tenantId: r.tenantId, due: Number(r.due) }));
}

/** Keeps this worker's in-flight rows leased while their sending takes long (a slow server). */
export async function extendLeases(db: Db, p: { workerId: string; ids: string[]; until: Date }): Promise<void> {
  if (p.ids.length === 0) return;
  const d = db.t.deliveries;
  await db.orm
    .update(d)
    .set({ leaseUntil: p.until })
    .where(and(inArray(d.id, p.ids), eq(d.status, "sending"), eq(d.leaseOwner, p.workerId)));
}

// ── Outcomes ──────────────────────────────────────────────────────────────────────

export interface SentOutcome {
  row: DeliveryRow;
  startedAt: Date;
  messageId: string;
  reply: string;
  subject: string;
  locale: "de" | "en";
  variantIndex: number | null;
  ms: number;
}

/**
 * Records many sent mails in one transaction: one fenced UPDATE for the whole batch (the
 * rows travel as one JSON parameter) and one INSERT of their attempts. Returns the ids
 * whose fence held.
 */
export async function recordSentMany(db: Db, p: { workerId: string; now: Date; items: SentOutcome[] }): Promise<Set<string>> {
  if (p.items.length === 0) return new Set();
  return db.transaction(async (tx) => {
    const updated = await fencedSentUpdate(tx, p.now, p.items);
    const done = p.items.filter((i) => updated.has(i.row.id));
    if (done.length > 0) {
      const a = tx.t.deliveryAttempts;
      // One JSON parameter instead of 12 bound values a row: Drizzle's builder would cost
      // more than the database's write (see jsonUpsert). A row already there stays.
      await jsonUpsert(
        tx,
        a,
        done.map((i) => ({
          id: randomUUID(),
          tenantId: i.row.tenantId,
          deliveryId: i.row.id,
          attempt: i.row.attempts,
          workerId: p.workerId,
          startedAt: i.startedAt,
          finishedAt: p.now,
          outcome: "sent",
          errorKind: null,
          smtpCode: smtpCodeOf(i.reply),
          reply: i.reply,
          ms: Math.round(i.ms),
        })),
        { target: [a.deliveryId, a.attempt], set: { reply: excluded(a.reply) }, setWhere: sql`false`, returning: { id: a.id } },
      );
    }
    return updated;
  });
}

function smtpCodeOf(reply: string): number | null {
  const m = /^([2-5]\d\d)\b/.exec(reply);
  return m ? Number(m[1]) : null;
}

async function fencedSentUpdate(tx: Db, now: Date, items: SentOutcome[]): Promise<Set<string>> {
  const d = tx.t.deliveries;
  const at = d.sentAt.mapToDriverValue(now);
  const values = items.map((i) => [i.row.id, i.row.tenantId, i.row.attempts, i.messageId, i.reply, i.subject, i.locale, i.variantIndex]);
  const setSql = sql`status = 'sent', sent_at = ${at}, message_id = v.message_id, lease_owner = null, lease_until = null,
    last_reply = v.reply, subject = v.subject, locale = v.locale, variant_index = v.variant_index,
    failure_class = null, last_error_kind = null, updated_at = ${at}`;
  let result: unknown[];
  if (tx.dialect === "postgres") {
    const json = JSON.stringify(values.map(([id, tenant_id, attempts, message_id, reply, subject, locale, variant_index]) => ({ id, tenant_id, attempts, message_id, reply, subject, locale, variant_index })));
    result = (
      await tx.orm.execute(sql`update deliveries as d set ${setSql}
        from json_to_recordset(${json}::json) as v(id text, tenant_id text, attempts integer, message_id text, reply text, subject text, locale text, variant_index integer)
        where d.id = v.id and d.tenant_id = v.tenant_id and d.status = 'sending' and d.attempts = v.attempts
        returning d.id`)
    ).rows;
  } else {
    const json = JSON.stringify(values);
    result = await (tx.orm as unknown as { all: (q: SQL) => Promise<unknown[]> }).all(sql`update deliveries set ${setSql}
      from (select value ->> 0 as vid, value ->> 1 as tenant_id, value ->> 2 as attempts, value ->> 3 as message_id, value ->> 4 as reply,
                   value ->> 5 as subject, value ->> 6 as locale, value ->> 7 as variant_index from json_each(${json})) as v
      where deliveries.id = v.vid and +deliveries.tenant_id = v.tenant_id and +deliveries.status = 'sending' and +deliveries.attempts = v.attempts
      returning id`);
  }
  return new Set(result.map((r) => String(Array.isArray(r) ? r[0] : (r as { id: string }).id)));
}

/** One sent mail (recordSentMany for one row). */
export async function recordSent(db: Db, p: SentOutcome & { workerId: string; now: Date }): Promise<boolean> {
  const { workerId, now, ...item } = p;
  return (await recordSentMany(db, { workerId, now, items: [item] })).has(p.row.id);
}

/**
 * A failed attempt, by class: temporary → `retrying` at `retryAt` (or `failed`/expired
 * when the backoff gave up, `retryAt` null); recipient → `failed` and the address
 * suppressed for the tenant; sender → back to `retrying` due now (it waits while the
 * tenant's sending is paused) and the pause raised; message → `failed`. Fenced; the side
 * effects happen only when the fence held, in the same transaction.
 */
export async function recordFailure(
  db: Db,
  p: {
    row: DeliveryRow;
    workerId: string;
    startedAt: Date;
    now: Date;
    failure: DeliveryFailure;
    retryAt: Date | null;
    ms: number;
    messageId: string | null;
  },
): Promise<boolean> {
  const d = db.t.deliveries;
  const { row, failure, now } = p;
  const gaveUp = failure.class === "temporary" && p.retryAt === null;
  const failureClass = gaveUp ? "expired" : failure.class;
  const retry = failure.class === "temporary" ? p.retryAt : failure.class === "sender" ? now : null;
  return db.transaction(async (tx) => {
    const changed = await tx.orm
      .update(d)
      .set({
        status: retry ? "retrying" : "failed",
        nextAttemptAt: retry ?? row.nextAttemptAt,
        leaseOwner: null,
        leaseUntil: null,
        failureClass,
        lastErrorKind: failure.kind,
        lastReply: failure.reply,
        ...(p.messageId ? { messageId: p.messageId } : {}),
        updatedAt: now,
      })
      .where(fenced(tx, row))
      .returning({ id: d.id });
    if (changed.length === 0) return false;
    await tx.orm
      .insert(tx.t.deliveryAttempts)
      .values({
        id: randomUUID(),
        tenantId: row.tenantId,
        deliveryId: row.id,
        attempt: row.attempts,
        workerId: p.workerId,
        startedAt: p.startedAt,
        finishedAt: now,
        outcome: failureClass,
        errorKind: failure.kind,
        smtpCode: failure.smtpCode,
        reply: failure.reply,
        ms: Math.round(p.ms),
      })
      .onConflictDoNothing();
    if (failure.class === "recipient") {
      await suppressAddress(tx, {
        tenantId: row.tenantId,
        address: row.recipient,
        reason: "bounce",
        detail: failure.reply,
        deliveryId: row.id,
        actorUserId: null,
        now,
      });
    } else if (failure.class === "sender") {
      await pauseTenantSending(tx, { tenantId: row.tenantId, failure, deliveryId: row.id, now });
    }
    return true;
  });
}

/** A claimed row that must not go after all (completed meanwhile, learner inactive, empty digest …). Fenced; the attempt did not happen. */
export async function recordCancelled(db: Db, p: { row: DeliveryRow; reason: CancelReason; now: Date }): Promise<boolean> {
  return (await recordCancelledMany(db, { items: [{ row: p.row, reason: p.reason }], now: p.now })).has(p.row.id);
}

export async function recordCancelledMany(
  db: Db,
  p: { items: { row: DeliveryRow; reason: CancelReason }[]; now: Date },
): Promise<Set<string>> {
  if (p.items.length === 0) return new Set();
  const d = db.t.deliveries;
  return db.transaction(async (tx) => {
    const done = new Set<string>();
    for (const { row, reason } of p.items) {
      const changed = await tx.orm
        .update(d)
        .set({
          status: "cancelled",
          cancelReason: reason,
          leaseOwner: null,
          leaseUntil: null,
          attempts: sql`${d.attempts} - 1`,
          updatedAt: p.now,
        })
        .where(fenced(tx, row))
        .returning({ id: d.id });
      if (changed.length > 0) done.add(row.id);
    }
    return done;
  });
}

/**
 * Gives claimed rows back untried (a stopping worker, a batch the limits cut short): to
 * their pending status, the attempt taken back. `nextAttemptAt` stays (they are due) unless
 * given. Only rows still held by `workerId` in the claimed attempt.
 */
export async function releaseRows(
  db: Db,
  p: { workerId: string; rows: DeliveryRow[]; now: Date; nextAttemptAt?: Date; status?: "deferred" },
): Promise<number> {
  if (p.rows.length === 0) return 0;
  const d = db.t.deliveries;
  return db.transaction(async (tx) => {
    let released = 0;
    for (const row of p.rows) {
      const changed = await tx.orm
        .update(d)
        .set({
          status: p.status ?? pendingStatusOf(row),
          leaseOwner: null,
          leaseUntil: null,
          attempts: sql`${d.attempts} - 1`,
          ...(p.nextAttemptAt ? { nextAttemptAt: p.nextAttemptAt } : {}),
          updatedAt: p.now,
        })
        .where(and(fenced(tx, row), eq(d.leaseOwner, p.workerId)))
        .returning({ id: d.id });
      released += changed.length;
    }
    return released;
  });
}

/** The pending status a row returns to: planned before its first try, retrying after a failed one. */
function pendingStatusOf(row: Pick<DeliveryRow, "attempts" | "failureClass">): "planned" | "retrying" {
  return row.attempts <= 1 && !row.failureClass ? "planned" : "retrying";
}

/** SIGTERM: every row `workerId` still holds goes back to its pending status, the attempt taken back. */
export async function releaseClaims(db: Db, p: { workerId: string; now: Date }): Promise<number> {
  const d = db.t.deliveries;
  const rows = await db.orm
    .update(d)
    .set({
      status: sql`case when ${d.attempts} <= 1 and ${d.failureClass} is null then 'planned' else 'retrying' end`,
      leaseOwner: null,
      leaseUntil: null,
      attempts: sql`${d.attempts} - 1`,
      updatedAt: p.now,
    })
    .where(and(eq(d.status, "sending"), eq(d.leaseOwner, p.workerId)))
    .returning({ id: d.id });
  return rows.length;
}

/**
 * Over the daily quota: the tenant's remaining due rows wait for the next local midnight,
 * visibly (`deferred`, `nextAttemptAt` = that midnight). Returns how many.
 */
export async function deferDue(db: Db, p: { tenantId: string; now: Date; until: Date }): Promise<number> {
  const d = db.t.deliveries;
  const rows = await db.orm
    .update(d)
    .set({ status: "deferred", nextAttemptAt: p.until, updatedAt: p.now })
    .where(and(eq(d.tenantId, p.tenantId), inArray(d.status, PENDING), lte(d.nextAttemptAt, p.now)))
    .returning({ id: d.id });
  return rows.length;
}
