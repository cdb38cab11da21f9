import { and, asc, eq, lt, or, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db } from "../db";

/**
 * A tenant's sending limits — mails per minute (rate) and per local day (quota) — held
 * across every worker on every machine: the counters live in `rate_limits` (scopes
 * "delivery.minute" and "delivery.day", key = tenant id, window = the minute / the local
 * midnight), and taking slots is one transaction that locks both counters, grants what
 * is left under both and adds it to both. Two workers asking at once are serialised on
 * the counters' rows (Postgres row locks; SQLite's write lock), so together they never
 * get more than the limit.
 *
 * A worker takes the slots of a whole batch before it claims the rows, and gives back
 * what it could not use (fewer rows due than slots, a mail cancelled before the
 * hand-over). Fixed windows: the minute is the calendar minute, the day the tenant's
 * local day (23 or 25 hours on a DST change).
 */

export const MINUTE_SCOPE = "delivery.minute";
export const DAY_SCOPE = "delivery.day";

export interface SlotGrant {
  granted: number;
  /** Which limit kept the grant below `want` (null: all granted). */
  blockedBy: "rate" | "quota" | null;
  /** When the blocking limit frees slots again (the next minute, the next local midnight). */
  nextSlotAt: Date | null;
  minuteStart: Date;
  dayStart: Date;
}

export function minuteStartOf(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}

/** The tenant's local midnight that began `now`'s day. */
export function localDayStart(now: Date, timezone: string): Date {
  return DateTime.fromJSDate(now, { zone: timezone }).startOf("day").toJSDate();
}

/** The next local midnight after `now` (when a deferred row may go). */
export function nextLocalMidnight(now: Date, timezone: string): Date {
  return DateTime.fromJSDate(now, { zone: timezone }).startOf("day").plus({ days: 1 }).toJSDate();
}

/** Takes up to `want` send slots of the tenant's minute (rate) and local day (quota) atomically, across all workers. */
export async function takeSendSlots(
  db: Db,
  p: { tenantId: string; want: number; ratePerMinute: number; dailyQuota: number; timezone: string; now: Date },
): Promise<SlotGrant> {
  const minuteStart = minuteStartOf(p.now);
  const dayStart = localDayStart(p.now, p.timezone);
  const none = (blockedBy: SlotGrant["blockedBy"]): SlotGrant => ({
    granted: 0,
    blockedBy,
    nextSlotAt: blockedBy === "quota" ? nextLocalMidnight(p.now, p.timezone) : blockedBy === "rate" ? new Date(minuteStart.getTime() + 60_000) : null,
    minuteStart,
    dayStart,
  });
  if (p.want <= 0) return none(null);
  const r = db.t.rateLimits;
  return db.transaction(async (tx) => {
    const created = await tx.orm
      .insert(r)
      .values([
        { scope: MINUTE_SCOPE, key: p.tenantId, windowStart: minuteStart, count: 0 },
        { scope: DAY_SCOPE, key: p.tenantId, windowStart: dayStart, count: 0 },
      ])
      .onConflictDoNothing()
      .returning({ scope: r.scope });
    // Both counters, locked in one order (day before minute) so two workers cannot deadlock.
    const read = tx.orm
      .select({ scope: r.scope, count: r.count })
      .from(r)
      .where(
        and(
          eq(r.key, p.tenantId),
          or(and(eq(r.scope, MINUTE_SCOPE), eq(r.windowStart, minuteStart)), and(eq(r.scope, DAY_SCOPE), eq(r.windowStart, dayStart))),
        ),
      )
      .orderBy(asc(r.scope));
    const counters = tx.dialect === "postgres" ? await read.for("update") : await read;
    const used = (scope: string) => counters.find((c) => c.scope === scope)?.count ?? 0;
    const rateLeft = Math.max(0, p.ratePerMinute - used(MINUTE_SCOPE));
    const quotaLeft = Math.max(0, p.dailyQuota - used(DAY_SCOPE));
    const granted = Math.min(p.want, rateLeft, quotaLeft);
    if (granted > 0) {
      await tx.orm
        .update(r)
        .set({ count: sql`${r.count} + ${granted}` })
        .where(
          and(
            eq(r.key, p.tenantId),
            or(and(eq(r.scope, MINUTE_SCOPE), eq(r.windowStart, minuteStart)), and(eq(r.scope, DAY_SCOPE), eq(r.windowStart, dayStart))),
          ),
        );
    }
    // A new window makes the key's older windows of that scope useless.
    for (const { scope } of created) {
      await tx.orm
        .delete(r)
        .where(and(eq(r.scope, scope), eq(r.key, p.tenantId), lt(r.windowStart, scope === MINUTE_SCOPE ? minuteStart : dayStart)));
    }
    if (granted === p.want) return { granted, blockedBy: null, nextSlotAt: null, minuteStart, dayStart };
    // The quota wins when both bind: waiting for the next minute would not help.
    const blockedBy = quotaLeft <= rateLeft ? "quota" : "rate";
    return { ...none(blockedBy), granted };
  });
}

/** Gives back slots that were taken but not used (only within the windows they were taken in; never below zero). */
export async function releaseSendSlots(
  db: Db,
  p: { tenantId: string; count: number; minuteStart: Date; dayStart: Date },
): Promise<void> {
  if (p.count <= 0) return;
  const r = db.t.rateLimits;
  await db.orm
    .update(r)
    .set({ count: sql`case when ${r.count} > ${p.count} then ${r.count} - ${p.count} else 0 end` })
    .where(
      and(
        eq(r.key, p.tenantId),
        or(and(eq(r.scope, MINUTE_SCOPE), eq(r.windowStart, p.minuteStart)), and(eq(r.scope, DAY_SCOPE), eq(r.windowStart, p.dayStart))),
      ),
    );
}

/** Send slots the tenant used in its current local day (what the quota counts). */
export async function sentToday(db: Db, p: { tenantId: string; timezone: string; now: Date }): Promise<number> {
  const r = db.t.rateLimits;
  const rows = await db.orm
    .select({ count: r.count })
    .from(r)
    .where(and(eq(r.scope, DAY_SCOPE), eq(r.key, p.tenantId), eq(r.windowStart, localDayStart(p.now, p.timezone))));
  return rows[0]?.count ?? 0;
}

/**
 * When the last of `due` mails will have gone under the limits: today's rest of the
 * quota (and of the day's minutes), then whole local days. `days` = how many local
 * midnights the queue waits for. Pure.
 */
export function queueEta(p: {
  due: number;
  ratePerMinute: number;
  dailyQuota: number;
  usedToday: number;
  timezone: string;
  now: Date;
}): { finishAt: Date; days: number } {
  const rate = Math.max(1, p.ratePerMinute);
  let left = Math.max(0, p.due);
  let start = p.now;
  let quotaLeft = Math.max(0, p.dailyQuota - p.usedToday);
  // The first minute starts now; each later minute adds `rate` mails.
  for (let days = 0; days < 3660; days++) {
    const midnight = nextLocalMidnight(start, p.timezone);
    const minutes = Math.max(1, Math.ceil((midnight.getTime() - start.getTime()) / 60_000));
    const capacity = Math.min(quotaLeft, rate * minutes);
    if (left <= capacity) {
      const spanMinutes = left === 0 ? 0 : Math.ceil(left / rate) - 1;
      return { finishAt: new Date(start.getTime() + spanMinutes * 60_000), days };
    }
    left -= capacity;
    start = midnight;
    quotaLeft = Math.max(0, p.dailyQuota);
    if (quotaLeft === 0) break;
  }
  return { finishAt: start, days: 3660 };
}
