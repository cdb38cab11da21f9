import crypto from "node:crypto";
import { and, desc, eq, gt, inArray, isNotNull, isNull, like, lt, lte, ne, sql } from "drizzle-orm";
import type { Db } from "../db";

/**
 * Database access of the sender settings: every statement carries the tenant
 * predicate, and the functions take `(db, params)` so they compose in transactions.
 * The stored row never holds a password in plain text (smtpPasswordBox is a
 * secret-box string, see lib/crypto/secret-box.ts).
 */

export type SenderSettingsRow = NonNullable<Awaited<ReturnType<typeof getSenderSettings>>>;
export type SenderSettingsValues = Omit<SenderSettingsRow, "tenantId">;

export async function getSenderSettings(db: Db, params: { tenantId: string }) {
  const s = db.t.senderSettings;
  const [row] = await db.orm.select().from(s).where(eq(s.tenantId, params.tenantId));
  return row;
}

/** Inserts or replaces the tenant's settings row. */
export async function putSenderSettings(db: Db, params: { tenantId: string; values: SenderSettingsValues }) {
  const s = db.t.senderSettings;
  await db.orm
    .insert(s)
    .values({ tenantId: params.tenantId, ...params.values })
    .onConflictDoUpdate({ target: s.tenantId, set: params.values });
}

/**
 * Records the outcome of the last connection test or test mail (never a secret), only
 * if the settings are still the version that was tested (`testedVersion`: their
 * updatedAt): a probe that outlived a save must not mark the new settings ready.
 * Returns whether it was recorded.
 */
export async function setLastTest(db: Db, params: { tenantId: string; lastTest: Record<string, unknown>; testedVersion: Date }) {
  const s = db.t.senderSettings;
  const rows = await db.orm
    .update(s)
    .set({ lastTest: params.lastTest })
    .where(and(eq(s.tenantId, params.tenantId), eq(s.updatedAt, params.testedVersion)))
    .returning({ tenantId: s.tenantId });
  return rows.length === 1;
}

/**
 * The newest check of a domain for a tenant, running or not, so the sender page can say
 * "check running" (lib/domain-check/queries.ts latestDomainCheck returns finished ones
 * only). Undefined until one exists.
 */
export async function latestDomainCheckAttempt(db: Db, params: { tenantId: string; domain: string }) {
  const d = db.t.domainChecks;
  const [row] = await db.orm
    .select({ id: d.id, status: d.status, verdict: d.verdict, startedAt: d.startedAt, finishedAt: d.finishedAt })
    .from(d)
    .where(and(eq(d.tenantId, params.tenantId), eq(d.domain, params.domain.toLowerCase())))
    .orderBy(desc(d.startedAt))
    .limit(1);
  return row;
}

// ── Many tenants at once (the review board, the tenant overview) ──────────────────

/** The settings rows of these tenants (all tenants when `tenantIds` is left out). */
export async function senderSettingsOf(db: Db, params: { tenantIds?: string[] }): Promise<SenderSettingsRow[]> {
  const s = db.t.senderSettings;
  return db.orm
    .select()
    .from(s)
    .where(params.tenantIds ? inArray(s.tenantId, params.tenantIds) : undefined);
}

/** The address proofs of these tenants (all tenants when `tenantIds` is left out). */
export async function addressProofsOf(db: Db, params: { tenantIds?: string[] }): Promise<AddressProofRow[]> {
  const p = db.t.addressProofs;
  return db.orm
    .select()
    .from(p)
    .where(params.tenantIds ? inArray(p.tenantId, params.tenantIds) : undefined);
}

// ── Address proofs ─────────────────────────────────────────────────────────────

export type AddressProofRow = NonNullable<Awaited<ReturnType<typeof getAddressProof>>>;

export async function getAddressProof(db: Db, params: { tenantId: string; address: string }) {
  const p = db.t.addressProofs;
  const [row] = await db.orm
    .select()
    .from(p)
    .where(and(eq(p.tenantId, params.tenantId), eq(p.address, params.address.toLowerCase())));
  return row;
}

/**
 * Reserves the right to mail a code, atomically: the proof row (created if missing)
 * takes the new send time only if its last send time is still the one the caller
 * decided on (compare-and-set), so of parallel requests exactly one may send.
 * Returns false when another request got there first.
 */
export async function reserveProofSend(
  db: Db,
  params: { tenantId: string; address: string; seenLastSentAt: Date | null; sentAt: number[]; now: Date },
): Promise<boolean> {
  const p = db.t.addressProofs;
  const address = params.address.toLowerCase();
  await db.orm
    .insert(p)
    .values({ id: crypto.randomUUID(), tenantId: params.tenantId, address, codeHash: null, expiresAt: null, failedAttempts: 0, sentAt: [], createdAt: params.now })
    .onConflictDoNothing();
  const rows = await db.orm
    .update(p)
    .set({ sentAt: params.sentAt, lastSentAt: params.now })
    .where(
      and(
        eq(p.tenantId, params.tenantId),
        eq(p.address, address),
        params.seenLastSentAt ? eq(p.lastSentAt, params.seenLastSentAt) : isNull(p.lastSentAt),
      ),
    )
    .returning({ id: p.id });
  return rows.length === 1;
}

/** Gives a reserved send back (the mail could not be handed over): restores what was seen. */
export async function releaseProofSend(
  db: Db,
  params: { tenantId: string; address: string; reservedAt: Date; lastSentAt: Date | null; sentAt: number[] },
): Promise<void> {
  const p = db.t.addressProofs;
  await db.orm
    .update(p)
    .set({ sentAt: params.sentAt, lastSentAt: params.lastSentAt })
    .where(and(eq(p.tenantId, params.tenantId), eq(p.address, params.address.toLowerCase()), eq(p.lastSentAt, params.reservedAt)));
}

/** Stores a freshly mailed code: a new hash, the tries reset (the send was reserved before). */
export async function storeIssuedCode(db: Db, params: { tenantId: string; address: string; codeHash: string; expiresAt: Date }) {
  const p = db.t.addressProofs;
  await db.orm
    .update(p)
    .set({ codeHash: params.codeHash, expiresAt: params.expiresAt, failedAttempts: 0, verifiedAt: null })
    .where(and(eq(p.tenantId, params.tenantId), eq(p.address, params.address.toLowerCase())));
}

/**
 * Uses up one try of a pending code, atomically and only while the code is usable
 * (below the limit, not expired, not verified), BEFORE the code is compared: of
 * parallel guesses only the first `max` get a try. Returns the try's number and the
 * hash it may be compared with, or null when no try is left.
 */
export async function takeProofAttempt(db: Db, params: { tenantId: string; id: string; max: number; now: Date }) {
  const p = db.t.addressProofs;
  const [row] = await db.orm
    .update(p)
    .set({ failedAttempts: sql`${p.failedAttempts} + 1` })
    .where(
      and(
        eq(p.id, params.id),
        eq(p.tenantId, params.tenantId),
        lt(p.failedAttempts, params.max),
        gt(p.expiresAt, params.now),
        isNotNull(p.codeHash),
        isNull(p.verifiedAt),
      ),
    )
    .returning({ attempt: p.failedAttempts, codeHash: p.codeHash });
  return row?.codeHash ? { attempt: row.attempt, codeHash: row.codeHash } : null;
}

/**
 * Marks the address verified, only if the code compared is still the stored one (no
 * new code was issued meanwhile), its try was within the limit and it has not expired.
 * The right code's try is given back. Returns whether it was marked.
 */
export async function markAddressVerified(db: Db, params: { tenantId: string; id: string; codeHash: string; max: number; now: Date }) {
  const p = db.t.addressProofs;
  const rows = await db.orm
    .update(p)
    .set({ verifiedAt: params.now, codeHash: null, expiresAt: null, failedAttempts: sql`${p.failedAttempts} - 1` })
    .where(
      and(
        eq(p.id, params.id),
        eq(p.tenantId, params.tenantId),
        eq(p.codeHash, params.codeHash),
        lte(p.failedAttempts, params.max),
        gt(p.expiresAt, params.now),
        isNull(p.verifiedAt),
      ),
    )
    .returning({ id: p.id });
  return rows.length === 1;
}

/** Forgets every proof of the tenant except the one for `keep` (if given). */
export async function clearAddressProofs(db: Db, params: { tenantId: string; keep?: string }) {
  const p = db.t.addressProofs;
  await db.orm
    .delete(p)
    .where(and(eq(p.tenantId, params.tenantId), params.keep ? ne(p.address, params.keep.toLowerCase()) : undefined));
}

// ── History ───────────────────────────────────────────────────────────────────

/** The tenant's last sender changes from the audit log, with who made them. */
export async function listSenderHistory(db: Db, params: { tenantId: string; limit?: number }) {
  const a = db.t.auditLog;
  const u = db.t.users;
  return db.orm
    .select({
      id: a.id,
      action: a.action,
      details: a.details,
      createdAt: a.createdAt,
      actorName: u.name,
      actorEmail: u.email,
    })
    .from(a)
    .leftJoin(u, eq(u.id, a.actorUserId))
    .where(and(eq(a.tenantId, params.tenantId), like(a.action, "sender.%")))
    .orderBy(desc(a.createdAt))
    .limit(params.limit ?? 10);
}
