import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../db";
import { fail, ok, type Outcome } from "../errors";
import { unreadVisibleIds, visibleAlerts, type AlertViewer } from "./queries";
import { markAlertReadSchema, markAllAlertsReadSchema } from "./schema";

/** Rows per insert statement (3 parameters each stays well below SQLite's limit). */
const CHUNK = 500;

/**
 * Marks one alert read for this viewer. The unique (alert, user) index makes it
 * idempotent: a repeat or a parallel burst writes one row, the first read time stays.
 * An alert the viewer may not see is "not found", whether it exists or not.
 */
export async function markAlertRead(
  db: Db,
  p: { viewer: AlertViewer; input: z.input<typeof markAlertReadSchema>; now: Date },
): Promise<Outcome<{ marked: boolean }>> {
  const parsed = markAlertReadSchema.safeParse(p.input);
  if (!parsed.success) return fail("notFound");
  const visible = visibleAlerts(db, p.viewer);
  if (!visible) return fail("notFound");
  const a = db.t.alerts;
  const r = db.t.alertReads;
  const [alert] = await db.orm.select({ id: a.id }).from(a).where(and(eq(a.id, parsed.data.alertId), visible));
  if (!alert) return fail("notFound");
  const inserted = await db.orm
    .insert(r)
    .values({ alertId: alert.id, userId: p.viewer.id, readAt: p.now })
    .onConflictDoNothing()
    .returning({ alertId: r.alertId });
  return ok({ marked: inserted.length === 1 });
}

/**
 * Marks every alert this viewer may see and has not read (with `tenant`, only that
 * tenant's). One transaction (database work only); parallel calls write each
 * (alert, user) row once. A tenant that is not a slug is "not found" and marks nothing.
 */
export async function markAllAlertsRead(
  db: Db,
  p: { viewer: AlertViewer; input?: z.input<typeof markAllAlertsReadSchema>; now: Date },
): Promise<Outcome<{ marked: number }>> {
  const parsed = markAllAlertsReadSchema.safeParse(p.input ?? {});
  if (!parsed.success) return fail("notFound");
  const r = db.t.alertReads;
  const marked = await db.transaction(async (tx) => {
    const ids = await unreadVisibleIds(tx, p.viewer, parsed.data.tenant);
    let n = 0;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = ids.slice(i, i + CHUNK).map((alertId) => ({ alertId, userId: p.viewer.id, readAt: p.now }));
      n += (await tx.orm.insert(r).values(rows).onConflictDoNothing().returning({ alertId: r.alertId })).length;
    }
    return n;
  });
  return ok({ marked });
}
