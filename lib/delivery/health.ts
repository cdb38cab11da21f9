import { and, count, desc, inArray, isNull, lte, min } from "drizzle-orm";
import type { Db } from "../db";

/**
 * What `GET /api/health` answers: whether the database answers, how much mail is due
 * now, when a worker last reported, and which tenants' sending is paused. Numbers and
 * ages only: no address, no reply text, no setting.
 */

/** A worker writes its heartbeat at least once a minute; older than this, it counts as gone. */
export const WORKER_STALE_MS = 3 * 60_000;

export interface DeliveryHealth {
  ok: boolean;
  database: "ok" | "unreachable";
  /** Rows due now (planned, retrying or deferred with nextAttemptAt ≤ now); null without a database. */
  due: number | null;
  /** Seconds since the oldest due row fell due. */
  oldestDueSeconds: number | null;
  /** Seconds since the freshest worker heartbeat; null when no worker ever reported. */
  workerHeartbeatAgeSeconds: number | null;
  /** Workers whose heartbeat is fresh (not stopped, seen within WORKER_STALE_MS). */
  workersAlive: number | null;
  pausedTenants: number | null;
  /** Why ok is false, as codes: database_unreachable, no_worker. */
  problems: string[];
}

const PENDING = ["planned", "retrying", "deferred"] as const;

/** The answer when the database cannot be reached (or opened). */
export const DATABASE_UNREACHABLE: DeliveryHealth = {
  ok: false,
  database: "unreachable",
  due: null,
  oldestDueSeconds: null,
  workerHeartbeatAgeSeconds: null,
  workersAlive: null,
  pausedTenants: null,
  problems: ["database_unreachable"],
};

export async function deliveryHealth(db: Db, p: { now: Date }): Promise<DeliveryHealth> {
  const d = db.t.deliveries;
  const h = db.t.workerHeartbeats;
  const sp = db.t.sendingPauses;
  try {
    const [due] = await db.orm
      .select({ n: count(), oldest: min(d.nextAttemptAt) })
      .from(d)
      .where(and(inArray(d.status, [...PENDING]), lte(d.nextAttemptAt, p.now)));
    const beats = await db.orm
      .select({ seenAt: h.seenAt, stoppedAt: h.stoppedAt })
      .from(h)
      .orderBy(desc(h.seenAt))
      .limit(50);
    const [paused] = await db.orm.select({ n: count() }).from(sp).where(isNull(sp.resumedAt));

    const dueCount = Number(due?.n ?? 0);
    const oldest = due?.oldest ? new Date(due.oldest as Date | number | string) : null;
    const latest = beats[0]?.seenAt ?? null;
    const alive = beats.filter((b) => !b.stoppedAt && p.now.getTime() - b.seenAt.getTime() <= WORKER_STALE_MS).length;
    const problems: string[] = [];
    // Mail waiting with nobody to send it: what an operator must hear about.
    if (alive === 0 && dueCount > 0) problems.push("no_worker");
    return {
      ok: problems.length === 0,
      database: "ok",
      due: dueCount,
      oldestDueSeconds: oldest ? Math.max(0, Math.round((p.now.getTime() - oldest.getTime()) / 1000)) : null,
      workerHeartbeatAgeSeconds: latest ? Math.max(0, Math.round((p.now.getTime() - latest.getTime()) / 1000)) : null,
      workersAlive: alive,
      pausedTenants: Number(paused?.n ?? 0),
      problems,
    };
  } catch {
    return DATABASE_UNREACHABLE;
  }
}
