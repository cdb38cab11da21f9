import { and, asc, eq, gt, gte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db";
import { decodeDeliveryCursor, encodeDeliveryCursor, type DeliveryListQuery, type DeliveryStatus } from "./schema";

/** One outbox row as the learning platform sees it (no internal learner or assignment ids). */
export interface DeliveryListItem {
  id: string;
  kind: "reminder" | "digest";
  status: DeliveryStatus;
  cancelReason: string | null;
  recipient: string;
  learnerExternalId: string | null;
  trainingExternalId: string | null;
  planId: string | null;
  occurrence: number | null;
  dueAt: Date;
  sentAt: Date | null;
  attempts: number;
  updatedAt: Date;
}

/**
 * The tenant's outbox rows changed at or after `since` (and of `status`), keyset-paged by
 * (updatedAt, id) ascending. Postgres keeps microseconds, the cursor milliseconds: both
 * sides compare at millisecond precision so a page boundary never repeats or skips a row.
 */
export async function listDeliveries(
  db: Db,
  { tenantId, query }: { tenantId: string; query: DeliveryListQuery },
): Promise<{ items: DeliveryListItem[]; nextCursor: string | null }> {
  const d = db.t.deliveries;
  const l = db.t.learners;
  const a = db.t.assignments;
  const tr = db.t.trainings;
  const changed: SQL = db.dialect === "postgres" ? sql`date_trunc('milliseconds', ${d.updatedAt})` : sql`${d.updatedAt}`;
  const filters: (SQL | undefined)[] = [eq(d.tenantId, tenantId)];
  if (query.since) filters.push(gte(d.updatedAt, query.since));
  if (query.status) filters.push(eq(d.status, query.status));
  const after = query.cursor ? decodeDeliveryCursor(query.cursor) : null;
  if (after) {
    const at = db.dialect === "postgres" ? after.updatedAt : after.updatedAt.getTime();
    filters.push(or(gt(changed, at), and(eq(changed, at), gt(d.id, after.id))));
  }
  const rows = await db.orm
    .select({
      id: d.id,
      kind: d.kind,
      status: d.status,
      cancelReason: d.cancelReason,
      recipient: d.recipient,
      learnerExternalId: l.externalId,
      trainingExternalId: tr.externalId,
      planId: d.planId,
      occurrence: d.occurrence,
      dueAt: d.dueAt,
      sentAt: d.sentAt,
      attempts: d.attempts,
      updatedAt: d.updatedAt,
    })
    .from(d)
    .leftJoin(l, and(eq(l.id, d.learnerId), eq(l.tenantId, tenantId)))
    .leftJoin(a, and(eq(a.id, d.assignmentId), eq(a.tenantId, tenantId)))
    .leftJoin(tr, and(eq(tr.id, a.trainingId), eq(tr.tenantId, tenantId)))
    .where(and(...filters))
    .orderBy(asc(changed), asc(d.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > query.limit && last ? encodeDeliveryCursor(last.updatedAt, last.id) : null };
}
