import { and, eq, inArray, or, type SQL } from "drizzle-orm";
import type { Db } from "../db";

/** Delivery statuses that have not gone out and are not in flight: these a stop cancels. */
export const PENDING_DELIVERY_STATUSES = ["planned", "retrying", "deferred"] as const;

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
  const learnerIds = [...(params.learnerIds ?? []), ...(params.learnerId ? [params.learnerId] : [])];
  const assignmentIds = params.assignmentIds ?? [];
  const of: SQL[] = [];
  if (assignmentIds.length > 0) of.push(inArray(d.assignmentId, assignmentIds));
  if (learnerIds.length > 0) {
    // A reminder row names its assignment; the learner column too where the planner set it.
    of.push(inArray(d.learnerId, learnerIds));
    of.push(
      inArray(
        d.assignmentId,
        tx.orm.select({ id: a.id }).from(a).where(and(eq(a.tenantId, params.tenantId), inArray(a.learnerId, learnerIds))),
      ),
    );
  }
  if (of.length === 0) return 0;
  const cancelled = await tx.orm
    .update(d)
    .set({ status: "cancelled", cancelReason: params.reason, updatedAt: params.now })
    .where(and(eq(d.tenantId, params.tenantId), inArray(d.status, [...PENDING_DELIVERY_STATUSES]), or(...of)))
    .returning({ id: d.id });
  return cancelled.length;
}
