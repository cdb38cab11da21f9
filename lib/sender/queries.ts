import crypto from "node:crypto";
import { and, desc, eq, like, lt, ne, sql } from "drizzle-orm";
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

/** Records the outcome of the last connection test or test mail (never a secret). */
export async function setLastTest(db: Db, params: { tenantId: string; lastTest: Record<string, unknown> }) {
  const s = db.t.senderSettings;
  await db.orm.update(s).set({ lastTest: params.lastTest }).where(eq(s.tenantId, params.tenantId));
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

/** Stores a freshly mailed code: a new hash, the tries reset, the send time appended. */
export async function storeIssuedCode(
  db: Db,
  params: { tenantId: string; address: string; codeHash: string; expiresAt: Date; sentAt: number[]; now: Date },
) {
  const p = db.t.addressProofs;
  const address = params.address.toLowerCase();
  const set = { codeHash: params.codeHash, expiresAt: params.expiresAt, failedAttempts: 0, sentAt: params.sentAt, verifiedAt: null };
  await db.orm
    .insert(p)
    .values({ id: crypto.randomUUID(), tenantId: params.tenantId, address, createdAt: params.now, ...set })
    .onConflictDoUpdate({ target: [p.tenantId, p.address], set });
}

/**
 * Counts one wrong code, atomically and only below the limit, so parallel guesses
 * cannot exceed it. Returns the new count, or null when the limit was already reached.
 */
export async function countFailedAttempt(db: Db, params: { tenantId: string; id: string; max: number }) {
  const p = db.t.addressProofs;
  const rows = await db.orm
    .update(p)
    .set({ failedAttempts: sql`${p.failedAttempts} + 1` })
    .where(and(eq(p.id, params.id), eq(p.tenantId, params.tenantId), lt(p.failedAttempts, params.max)))
    .returning({ failedAttempts: p.failedAttempts });
  return rows[0]?.failedAttempts ?? null;
}

export async function markAddressVerified(db: Db, params: { tenantId: string; id: string; now: Date }) {
  const p = db.t.addressProofs;
  await db.orm
    .update(p)
    .set({ verifiedAt: params.now, codeHash: null, expiresAt: null })
    .where(and(eq(p.id, params.id), eq(p.tenantId, params.tenantId)));
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
