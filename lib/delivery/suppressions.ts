import crypto from "node:crypto";
import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { writeAuditBy } from "../audit/log";
import { can, type UseCaseActor } from "../auth/policy";
import type { Db } from "../db";
import { fail, ok, type Outcome } from "../errors";
import { emailSchema } from "../validation/email";
import { localizedIssues } from "../validation/localize";
import { planLearners } from "./planner";
import { PENDING_STATUSES } from "./types";

/**
 * The tenant's suppression list: addresses it no longer mails. A permanent bounce
 * (recipient-class failure) adds one automatically; an admin or consultant may add one
 * by hand or remove one (a corrected mailbox). Suppressing cancels the pending rows to
 * that address (reason `suppressed`); the planner skips suppressed recipients; removing
 * re-plans the learners with that address.
 */

/** The form's, the action's and the CLI's input: the address, and an optional note why. */
export const suppressionInputSchema = z.object({
  address: emailSchema,
  note: z
    .string()
    .trim()
    .max(500, { error: "v.tooLong" })
    .nullish()
    .transform((v) => v || null),
});
export type SuppressionInput = z.output<typeof suppressionInputSchema>;

/**
 * Suppresses the address for the tenant (idempotent: a second call keeps the first
 * entry) and cancels the tenant's pending rows to it. Inside the caller's transaction.
 */
export async function suppressAddress(
  tx: Db,
  p: {
    tenantId: string;
    address: string;
    reason: "bounce" | "manual";
    detail: string | null;
    deliveryId: string | null;
    actorUserId: string | null;
    now: Date;
  },
): Promise<{ id: string; created: boolean; cancelled: number }> {
  const s = tx.t.suppressions;
  const address = p.address.trim().toLowerCase();
  const id = crypto.randomUUID();
  const inserted = await tx.orm
    .insert(s)
    .values({
      id,
      tenantId: p.tenantId,
      address,
      reason: p.reason,
      detail: p.detail,
      deliveryId: p.deliveryId,
      createdBy: p.actorUserId,
      createdAt: p.now,
    })
    .onConflictDoNothing()
    .returning({ id: s.id });
  let entryId: string = id;
  if (inserted.length === 0) {
    const [existing] = await tx.orm
      .select({ id: s.id })
      .from(s)
      .where(and(eq(s.tenantId, p.tenantId), eq(s.address, address)));
    entryId = existing!.id;
  }
  const d = tx.t.deliveries;
  const cancelled = await tx.orm
    .update(d)
    .set({ status: "cancelled", cancelReason: "suppressed", updatedAt: p.now })
    .where(and(eq(d.tenantId, p.tenantId), inArray(d.status, [...PENDING_STATUSES]), sql`lower(${d.recipient}) = ${address}`))
    .returning({ id: d.id });
  return { id: entryId, created: inserted.length === 1, cancelled: cancelled.length };
}

/** An admin or consultant suppresses an address by hand. */
export async function addSuppression(
  db: Db,
  p: { actor: UseCaseActor; tenantId: string; input: unknown; now: Date },
): Promise<Outcome<{ id: string; created: boolean; cancelled: number }>> {
  if (!can(p.actor, "deliveries.manage")) return fail("forbidden");
  const parsed = suppressionInputSchema.safeParse(p.input);
  if (!parsed.success) return fail("invalid", localizedIssues(parsed.error));
  const { address, note } = parsed.data;
  const result = await db.transaction(async (tx) => {
    const added = await suppressAddress(tx, {
      tenantId: p.tenantId,
      address,
      reason: "manual",
      detail: note,
      deliveryId: null,
      actorUserId: p.actor.userId,
      now: p.now,
    });
    if (added.created) {
      await writeAuditBy(
        tx,
        p.actor,
        {
          tenantId: p.tenantId,
          action: "suppression.add",
          targetType: "suppression",
          targetId: added.id,
          details: { address, note, cancelled: added.cancelled },
        },
        p.now,
      );
    }
    return added;
  });
  return ok(result);
}

/**
 * Removes an address from the list (the learner's mailbox works again) and re-plans
 * that address's learners in the same transaction, so their open reminders come back.
 * Another tenant's entry is "not found", like a missing one.
 */
export async function removeSuppression(
  db: Db,
  p: { actor: UseCaseActor; tenantId: string; id: unknown; now: Date },
): Promise<Outcome<{ address: string; replanned: number }>> {
  if (!can(p.actor, "deliveries.manage")) return fail("forbidden");
  const id = z.string().trim().min(1).max(100).safeParse(p.id);
  if (!id.success) return fail("notFound");
  const s = db.t.suppressions;
  const result = await db.transaction(async (tx) => {
    const [removed] = await tx.orm
      .delete(s)
      .where(and(eq(s.tenantId, p.tenantId), eq(s.id, id.data)))
      .returning({ id: s.id, address: s.address, reason: s.reason, detail: s.detail });
    if (!removed) return null;
    const replanned = await replanAddress(tx, { tenantId: p.tenantId, address: removed.address, now: p.now });
    await writeAuditBy(
      tx,
      p.actor,
      {
        tenantId: p.tenantId,
        action: "suppression.remove",
        targetType: "suppression",
        targetId: removed.id,
        details: { address: removed.address, reason: removed.reason },
      },
      p.now,
    );
    return { address: removed.address, replanned };
  });
  return result ? ok(result) : fail("notFound");
}

/**
 * Re-plans the tenant's learners with this address, as learner or as responsible person
 * (their digests), inside the caller's transaction: the planner brings rows cancelled
 * `suppressed` back. Returns how many rows came back or were added.
 */
async function replanAddress(tx: Db, p: { tenantId: string; address: string; now: Date }): Promise<number> {
  const l = tx.t.learners;
  const learners = await tx.orm
    .select({ id: l.id })
    .from(l)
    .where(and(eq(l.tenantId, p.tenantId), or(sql`lower(${l.email}) = ${p.address}`, sql`lower(${l.responsibleEmail}) = ${p.address}`)));
  const counts = await planLearners(tx, { tenantId: p.tenantId, learnerIds: learners.map((x) => x.id), now: p.now });
  return counts.inserted + counts.updated;
}

export interface SuppressionListItem {
  id: string;
  address: string;
  reason: "bounce" | "manual";
  detail: string | null;
  deliveryId: string | null;
  createdBy: string | null;
  createdAt: Date;
}

/** Newest first, paged by an opaque cursor (createdAt, id of the last row). */
export async function listSuppressions(
  db: Db,
  p: { tenantId: string; cursor?: string | null; limit?: number },
): Promise<{ items: SuppressionListItem[]; nextCursor: string | null }> {
  const s = db.t.suppressions;
  const limit = Math.min(Math.max(p.limit ?? 50, 1), 200);
  const after = p.cursor ? decodeCursor(p.cursor) : null;
  const rows = await db.orm
    .select({
      id: s.id,
      address: s.address,
      reason: s.reason,
      detail: s.detail,
      deliveryId: s.deliveryId,
      createdBy: s.createdBy,
      createdAt: s.createdAt,
    })
    .from(s)
    .where(
      and(
        eq(s.tenantId, p.tenantId),
        after ? or(lt(s.createdAt, after.createdAt), and(eq(s.createdAt, after.createdAt), lt(s.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(s.createdAt), desc(s.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.getTime(), row.id]), "utf8").toString("base64url");
}

function decodeCursor(value: string): { createdAt: Date; id: string } | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || typeof parsed[0] !== "number" || typeof parsed[1] !== "string") return null;
    return { createdAt: new Date(parsed[0]), id: parsed[1] };
  } catch {
    return null;
  }
}
