import { and, desc, eq, isNull, lte, or } from "drizzle-orm";
import type { Db } from "../db";

/** How often lastUsedAt is written at most: a busy integration must not write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface NewApiKey {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  keyHash: string;
  createdBy: string | null;
  expiresAt: Date | null;
}

/**
 * Inserts a key; false when its hash or prefix is already taken (a prefix collision,
 * about one in 2^48 per pair): ON CONFLICT DO NOTHING keeps a Postgres transaction
 * usable, so the caller can roll back cleanly and draw a new key.
 */
export async function insertApiKey(db: Db, row: NewApiKey, now: Date): Promise<boolean> {
  const inserted = await db.orm
    .insert(db.t.apiKeys)
    .values({ ...row, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: db.t.apiKeys.id });
  return inserted.length === 1;
}

/** The key with this hash and its tenant (the hash is unique across all tenants). */
export async function findApiKeyByHash(db: Db, keyHash: string) {
  const k = db.t.apiKeys;
  const t = db.t.tenants;
  const [row] = await db.orm
    .select({
      id: k.id,
      tenantId: k.tenantId,
      prefix: k.prefix,
      keyHash: k.keyHash,
      expiresAt: k.expiresAt,
      revokedAt: k.revokedAt,
      lastUsedAt: k.lastUsedAt,
      tenant: { id: t.id, slug: t.slug, timezone: t.timezone, locale: t.locale },
    })
    .from(k)
    .innerJoin(t, eq(t.id, k.tenantId))
    .where(eq(k.keyHash, keyHash));
  return row;
}

/**
 * Sets lastUsedAt to `now` unless it was set less than a minute before: one conditional
 * statement, so of a burst of parallel requests exactly one writes (Postgres re-checks
 * the condition on the row the first writer committed; SQLite runs them one by one).
 * Returns whether this call wrote.
 */
export async function touchApiKey(db: Db, params: { keyId: string; now: Date }): Promise<boolean> {
  const k = db.t.apiKeys;
  const due = new Date(params.now.getTime() - LAST_USED_RESOLUTION_MS);
  const rows = await db.orm
    .update(k)
    .set({ lastUsedAt: params.now })
    .where(and(eq(k.id, params.keyId), or(isNull(k.lastUsedAt), lte(k.lastUsedAt, due))))
    .returning({ id: k.id });
  return rows.length === 1;
}

export interface ApiKeyListItem {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  /** The user who created it; null when created on the command line (or that user is gone). */
  createdBy: string | null;
  createdByName: string | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A tenant's keys, newest first, revoked ones included; never the hash. */
export async function listApiKeys(db: Db, params: { tenantId: string }): Promise<ApiKeyListItem[]> {
  const k = db.t.apiKeys;
  const u = db.t.users;
  const rows = await db.orm
    .select({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      createdAt: k.createdAt,
      createdBy: k.createdBy,
      creatorName: u.name,
      creatorEmail: u.email,
      expiresAt: k.expiresAt,
      lastUsedAt: k.lastUsedAt,
      revokedAt: k.revokedAt,
    })
    .from(k)
    .leftJoin(u, eq(u.id, k.createdBy))
    .where(eq(k.tenantId, params.tenantId))
    .orderBy(desc(k.createdAt), desc(k.id));
  return rows.map(({ creatorName, creatorEmail, ...row }) => ({ ...row, createdByName: creatorName || creatorEmail || null }));
}

/** Marks a key of this tenant revoked; false when there is no such unrevoked key here. */
export async function markApiKeyRevoked(db: Db, params: { tenantId: string; keyId: string; by: string | null; now: Date }) {
  const k = db.t.apiKeys;
  const rows = await db.orm
    .update(k)
    .set({ revokedAt: params.now, revokedBy: params.by })
    .where(and(eq(k.id, params.keyId), eq(k.tenantId, params.tenantId), isNull(k.revokedAt)))
    .returning({ id: k.id, name: k.name, prefix: k.prefix });
  return rows[0];
}

export async function getApiKey(db: Db, params: { tenantId: string; keyId: string }) {
  const k = db.t.apiKeys;
  const [row] = await db.orm
    .select({ id: k.id, name: k.name, prefix: k.prefix, revokedAt: k.revokedAt })
    .from(k)
    .where(and(eq(k.id, params.keyId), eq(k.tenantId, params.tenantId)));
  return row;
}

export type ApiKeyStatus = "active" | "expired" | "revoked";

/** What the list shows: revoked wins over expired; a key is expired from its expiresAt on. */
export function apiKeyStatus(key: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): ApiKeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}
