import crypto from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db";

export interface AuditEntry {
  tenantId: string | null;
  actorUserId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  /** Never a secret: callers pass redacted details (see redact()). */
  details?: Record<string, unknown>;
}

// "apiKeyId" names which key acted (not secret); "apiKey" / "api_key" is the key itself.
const SECRET_KEYS = /pass(word)?|secret|token|api[_-]?key(?![_-]?id$)|private/i;

/** Replaces secret-looking values by "[redacted]", recursively. */
export function redact(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (SECRET_KEYS.test(key)) out[key] = value === undefined || value === "" ? value : "[redacted]";
    else if (value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)) {
      out[key] = redact(value as Record<string, unknown>);
    } else out[key] = value;
  }
  return out;
}

export async function writeAudit(db: Db, entry: AuditEntry, now = new Date()): Promise<void> {
  await db.orm.insert(db.t.auditLog).values({
    id: crypto.randomUUID(),
    tenantId: entry.tenantId,
    actorUserId: entry.actorUserId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.details ? redact(entry.details) : null,
    createdAt: now,
  });
}

/** Who performs a use case, as the audit log records it: a signed-in user, the CLI, or an API key. */
export interface AuditBy {
  userId: string | null;
  via: "app" | "cli" | "api";
  apiKeyId?: string;
}

/** writeAudit for a use case: the actor's id, and `via: "cli"` in the details for the CLI. */
export async function writeAuditBy(
  db: Db,
  by: AuditBy,
  entry: Omit<AuditEntry, "actorUserId">,
  now = new Date(),
): Promise<void> {
  const details =
    by.via === "cli"
      ? { ...entry.details, via: "cli" }
      : by.via === "api"
        ? { ...entry.details, via: "api", apiKeyId: by.apiKeyId ?? null }
        : entry.details;
  await writeAudit(db, { ...entry, actorUserId: by.userId, details }, now);
}

export async function listAudit(db: Db, params: { tenantId: string; limit?: number; action?: string }) {
  const t = db.t.auditLog;
  return db.orm
    .select()
    .from(t)
    .where(and(eq(t.tenantId, params.tenantId), params.action ? eq(t.action, params.action) : undefined))
    .orderBy(desc(t.createdAt))
    .limit(params.limit ?? 20);
}
