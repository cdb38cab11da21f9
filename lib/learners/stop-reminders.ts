import { and, inArray, type SQL } from "drizzle-orm";
import type { Db } from "../db";
import { sameTenant } from "../db/sql";
import { PENDING_STATUSES } from "../delivery/types";

/** Delivery statuses that have not gone out and are not in flight: these a stop cancels (lib/delivery/types.ts). */
export const PENDING_DELIVERY_STATUSES = PENDING_STATUSES;

export type StopReason = "completed" | "withdrawn" | "learner_inactive" | "unsubscribed";

/**
 * Cancels every reminder of some assignments, or of some learners, that has not gone out
 * yet: one UPDATE, meant to run inside the transaction that closes the assignment or
 * deactivates the learner, so no worker can claim such a row afterwards. Rows being sent
 * ("sending"), sent or failed stay as they are. Returns how many rows were cancelled.
 */
export async function stopPendingReminders(
  tx: Db,
  params: {
    tenantId: string;
    assignmentIds?: string[];
    learnerId?: string;
    /** Several learners at once (a batch that deactivates many). */
    learnerIds?: string[];
    reason: StopReason;
    now: Date;
  },
): Promise<number> {
  const d = tx.t.deliveries;
  const a = tx.t.assignments;
  const { tenantId, reason, now } = params;
  const learnerIds = [...(params.learnerIds ?? []), ...(params.learnerId ? [params.learnerId] : [])];
  const assignmentIds = [...(params.assignmentIds ?? [])];
  if (learnerIds.length > 0) {
    const rows = await tx.orm
      .select({ id: a.id })
      .from(a)
      .where(and(inArray(a.learnerId, learnerIds), sameTenant(tx, a.tenantId, tenantId)));
    assignmentIds.push(...rows.map((r) => r.id));
  }
  // One narrow key per statement, so each walks its own index (assignment or learner,
  // then status) instead of every pending row of the platform.
  const cancel = async (key: SQL) =>
    (
      await tx.orm
        .update(d)
        .set({ status: "cancelled", cancelReason: reason, updatedAt: now })
        .where(and(key, inArray(d.status, [...PENDING_DELIVERY_STATUSES]), sameTenant(tx, d.tenantId, tenantId)))
        .returning({ id: d.id })
    ).length;
  let cancelled = 0;
  if (assignmentIds.length > 0) cancelled += await cancel(inArray(d.assignmentId, assignmentIds));
  // A row may name only the learner (where the planner set no assignment).
  if (learnerIds.length > 0) cancelled += await cancel(inArray(d.learnerId, learnerIds));
  return cancelled;
}
