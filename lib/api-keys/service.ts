import crypto from "node:crypto";
import { writeAuditBy } from "../audit/log";
import { can, type UseCaseActor } from "../auth/policy";
import type { Db } from "../db";
import { fail, ok, type Outcome } from "../errors";
import { localizedIssues } from "../validation/localize";
import { findApiKeyByHash, getApiKey, insertApiKey, LAST_USED_RESOLUTION_MS, markApiKeyRevoked, touchApiKey } from "./queries";
import { apiKeyInputSchemaAt, revokeApiKeySchema } from "./schema";
import { generateKey, hashKey, parseBearer, sameHash } from "./token";

export { apiKeyStatus, listApiKeys, type ApiKeyListItem, type ApiKeyStatus } from "./queries";

/**
 * Only people (the pages, the CLI's operator) manage keys: a key used by the learning
 * platform cannot mint or revoke keys, even though it acts with an admin's rights.
 */
function mayManageKeys(actor: UseCaseActor): boolean {
  return actor.via !== "api" && can(actor, "apikeys.manage");
}

/** Draws for a free prefix; a second collision in a row would mean a broken random source. */
const CREATE_ATTEMPTS = 3;

/**
 * Creates a key for the tenant. The key is in the answer and nowhere else: the database
 * keeps its hash, the audit log its name, prefix and expiry. Callers show it once.
 */
export async function createApiKey(
  db: Db,
  params: { tenant: { id: string; timezone: string }; actor: UseCaseActor; input: unknown; now?: Date },
): Promise<Outcome<{ key: string; id: string; prefix: string }>> {
  if (!mayManageKeys(params.actor)) return fail("forbidden");
  const now = params.now ?? new Date();
  const parsed = apiKeyInputSchemaAt({ timezone: params.tenant.timezone, now }).safeParse(params.input);
  if (!parsed.success) return fail("invalid", localizedIssues(parsed.error));
  const { name, expiresAt } = parsed.data;
  const tenantId = params.tenant.id;

  for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
    // Random bytes and hashing happen before the transaction, never inside it.
    const { key, prefix, hash } = generateKey();
    const id = crypto.randomUUID();
    const created = await db.transaction(async (tx) => {
      const row = { id, tenantId, name, prefix, keyHash: hash, createdBy: params.actor.userId, expiresAt };
      if (!(await insertApiKey(tx, row, now))) return false;
      await writeAuditBy(
        tx,
        params.actor,
        {
          tenantId,
          action: "apikey.create",
          targetType: "apiKey",
          targetId: id,
          details: { name, prefix, expiresAt: expiresAt?.toISOString() ?? null },
        },
        now,
      );
      return true;
    });
    if (created) return ok({ key, id, prefix });
  }
  throw new Error("Could not draw a free API key prefix");
}

/**
 * Revokes a key of this tenant; it stays listed as revoked. A key of another tenant is
 * "not found", exactly like a missing one. Revoking a revoked key changes nothing and
 * is not audited again (`revoked: false`).
 */
export async function revokeApiKey(
  db: Db,
  params: { tenantId: string; actor: UseCaseActor; keyId: unknown; now?: Date },
): Promise<Outcome<{ revoked: boolean }>> {
  if (!mayManageKeys(params.actor)) return fail("forbidden");
  const parsed = revokeApiKeySchema.safeParse({ keyId: params.keyId });
  if (!parsed.success) return fail("notFound");
  const { keyId } = parsed.data;
  const { tenantId } = params;
  const now = params.now ?? new Date();
  const result = await db.transaction(async (tx) => {
    const revoked = await markApiKeyRevoked(tx, { tenantId, keyId, by: params.actor.userId, now });
    if (!revoked) return (await getApiKey(tx, { tenantId, keyId })) ? "already" : "missing";
    await writeAuditBy(
      tx,
      params.actor,
      { tenantId, action: "apikey.revoke", targetType: "apiKey", targetId: keyId, details: { name: revoked.name, prefix: revoked.prefix } },
      now,
    );
    return "revoked";
  });
  if (result === "missing") return fail("notFound");
  return ok({ revoked: result === "revoked" });
}

export type ApiKeyAuthFailure = "missing" | "malformed" | "unknown" | "revoked" | "expired";

export type ApiKeyAuth =
  | {
      ok: true;
      key: { id: string; tenantId: string; prefix: string };
      tenant: { id: string; slug: string; timezone: string; locale: "de" | "en" };
    }
  | { ok: false; reason: ApiKeyAuthFailure };

/**
 * Who is calling the HTTP API: the key in `Authorization: Bearer pst_…`, or why not.
 * The key is found through the unique index on its SHA-256: what an attacker could time
 * there is a comparison of hashes of their own guesses, which tells nothing about a real
 * key; the final check compares the hashes in constant time all the same.
 * lastUsedAt is written at most once a minute per key (touchApiKey), and only read
 * otherwise, so a busy integration does not write on every request.
 */
export async function authenticateApiKey(db: Db, params: { authorization: string | null; now: Date }): Promise<ApiKeyAuth> {
  const bearer = parseBearer(params.authorization);
  if (!bearer.ok) return { ok: false, reason: bearer.reason };
  const hash = hashKey(bearer.key);
  const row = await findApiKeyByHash(db, hash);
  if (!row || !sameHash(row.keyHash, hash)) return { ok: false, reason: "unknown" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  const now = params.now;
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  if (!row.lastUsedAt || row.lastUsedAt.getTime() <= now.getTime() - LAST_USED_RESOLUTION_MS) {
    await touchApiKey(db, { keyId: row.id, now });
  }
  return { ok: true, key: { id: row.id, tenantId: row.tenantId, prefix: row.prefix }, tenant: row.tenant };
}
