import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../db";
import { localized, type Localized } from "../i18n/locale";

/**
 * Abuse limits counted in the database, so they hold across app instances and under
 * parallel requests: a fixed-window counter per (scope, key). Taking a slot is ONE
 * statement — an upsert that increments only while the count is below the limit and
 * returns the new count — so there is no read-then-write gap for a burst to slip
 * through, on SQLite or Postgres.
 *
 * Fixed windows (e.g. 10:00–11:00) let a burst of 2× the limit straddle a window
 * boundary; for abuse budgets ("20 tests an hour") that is acceptable and keeps the
 * counter to one row. Where a minimum spacing matters, use a conditional write on the
 * feature's own row instead.
 */

export interface LimitRule {
  /** What is limited, e.g. "sender.smtp-test". One namespace for all features. */
  scope: string;
  limit: number;
  windowMs: number;
}

export type LimitDecision =
  | { allowed: true; count: number; windowStart: Date; resetAt: Date }
  | { allowed: false; limit: number; windowStart: Date; resetAt: Date; retryAfterMs: number };

export function windowStartOf(rule: Pick<LimitRule, "windowMs">, now: Date): Date {
  return new Date(Math.floor(now.getTime() / rule.windowMs) * rule.windowMs);
}

/**
 * Takes one slot of `key`'s budget in the current window, or refuses with the time
 * until the window ends. Safe to call inside or outside a transaction.
 */
export async function takeSlot(db: Db, rule: LimitRule, key: string, now: Date): Promise<LimitDecision> {
  const r = db.t.rateLimits;
  const windowStart = windowStartOf(rule, now);
  const resetAt = new Date(windowStart.getTime() + rule.windowMs);
  const rows = await db.orm
    .insert(r)
    .values({ scope: rule.scope, key, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [r.scope, r.key, r.windowStart],
      set: { count: sql`${r.count} + 1` },
      setWhere: lt(r.count, rule.limit),
    })
    .returning({ count: r.count });
  const count = rows[0]?.count;
  if (count === undefined || count > rule.limit) {
    return { allowed: false, limit: rule.limit, windowStart, resetAt, retryAfterMs: Math.max(0, resetAt.getTime() - now.getTime()) };
  }
  // The first slot of a new window: the key's older windows are no longer needed.
  if (count === 1) {
    await db.orm.delete(r).where(and(eq(r.scope, rule.scope), eq(r.key, key), lt(r.windowStart, windowStart)));
  }
  return { allowed: true, count, windowStart, resetAt };
}

/**
 * Gives a slot back (the guarded work did not happen, e.g. the mail could not be
 * handed over). Only within the window the slot was taken in; never below zero.
 */
export async function releaseSlot(db: Db, rule: LimitRule, key: string, windowStart: Date): Promise<void> {
  const r = db.t.rateLimits;
  await db.orm
    .update(r)
    .set({ count: sql`${r.count} - 1` })
    .where(and(eq(r.scope, rule.scope), eq(r.key, key), eq(r.windowStart, windowStart), sql`${r.count} > 0`));
}

/** Whole minutes to wait (at least 1), for "possible again in N minutes". */
export function minutesToWait(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 60_000));
}

/**
 * The refusal a user reads: what was limited and when it is possible again, e.g.
 * "Zu viele Verbindungstests: wieder möglich in 12 Minuten."
 */
export function limitReachedMessage(what: { de: string; en: string }, retryAfterMs: number): Localized {
  const minutes = minutesToWait(retryAfterMs);
  return localized(
    `${what.de}: wieder möglich in {minutes} ${minutes === 1 ? "Minute" : "Minuten"}.`,
    `${what.en}: possible again in {minutes} ${minutes === 1 ? "minute" : "minutes"}.`,
    { minutes },
  );
}
