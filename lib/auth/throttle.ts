import { eq, inArray } from "drizzle-orm";
import type { Db } from "../db";

/**
 * Sign-in throttling, in the database so that every app instance sees the same
 * counters. Keys: "account:<email>" and "address:<ip>". After 5 failures of an account
 * (20 of an address: many people may share one office address) each further failure
 * locks the key for a growing delay (30 s, 60 s, 120 s … up to 15 min). A quiet hour forgets the failures. The same rules apply whether or not
 * the account exists, so the answer reveals nothing.
 */
export const FREE_FAILURES = { account: 5, address: 20 } as const;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 15 * 60_000;
const FORGET_AFTER_MS = 60 * 60_000;

export function throttleKeys(email: string, address: string | undefined): string[] {
  const keys = [`account:${email.trim().toLowerCase()}`];
  if (address) keys.push(`address:${address}`);
  return keys;
}

/** Milliseconds until the keys may try again; 0 when not locked. */
export async function lockedForMs(db: Db, keys: string[], now: Date): Promise<number> {
  const rows = await db.orm
    .select()
    .from(db.t.signInThrottles)
    .where(inArray(db.t.signInThrottles.key, keys));
  let wait = 0;
  for (const row of rows) {
    if (row.lockedUntil && row.lockedUntil > now) wait = Math.max(wait, row.lockedUntil.getTime() - now.getTime());
  }
  return wait;
}

export function delayAfter(key: string, failures: number): number {
  const free = key.startsWith("address:") ? FREE_FAILURES.address : FREE_FAILURES.account;
  if (failures < free) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - free));
}

export async function recordFailure(db: Db, keys: string[], now: Date): Promise<void> {
  const t = db.t.signInThrottles;
  await db.transaction(async (tx) => {
    for (const key of keys) {
      const [row] = await tx.orm.select().from(t).where(eq(t.key, key));
      const stale = !row || now.getTime() - row.lastFailureAt.getTime() > FORGET_AFTER_MS;
      const failures = stale ? 1 : row.failures + 1;
      const delay = delayAfter(key, failures);
      const lockedUntil = delay > 0 ? new Date(now.getTime() + delay) : null;
      await tx.orm
        .insert(t)
        .values({ key, failures, lastFailureAt: now, lockedUntil })
        .onConflictDoUpdate({ target: t.key, set: { failures, lastFailureAt: now, lockedUntil } });
    }
  });
}

/** A successful sign-in clears the account's counter (not the address's). */
export async function clearAccount(db: Db, email: string): Promise<void> {
  const t = db.t.signInThrottles;
  await db.orm.delete(t).where(eq(t.key, `account:${email.trim().toLowerCase()}`));
}
