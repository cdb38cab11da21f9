import { and, eq, gt, inArray, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db";

/**
 * Sign-in throttling, in the database so that every app instance sees the same
 * counters. Every attempt takes a slot BEFORE the password is checked, in one
 * conditional upsert per key, so parallel requests cannot slip past a limit while
 * their hashes run. Three keys, each with its own rule:
 *
 * - "pair:<email>|<address>": the fast lock. 5 attempts, then a delay that doubles
 *   (30 s, 60 s … 15 min). An attacker locks only himself out, not the real user
 *   at another address.
 * - "address:<ip>": 20 attempts (many people may share an office address), then the
 *   same doubling delay; stops one address from spraying many accounts.
 * - "account:<email>": the slow limit against guessing from many addresses. After 10
 *   attempts one attempt per 30 s, never longer, so the right password still gets in
 *   after a bounded wait.
 *
 * A quiet hour forgets a key. A successful sign-in clears its pair and account keys
 * and gives the address its slot back. Unknown accounts follow the same rules, so
 * the answer reveals nothing.
 */
export interface Rule {
  /** Attempts allowed before the first delay. */
  free: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const RULES = {
  pair: { free: 5, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000 },
  address: { free: 20, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000 },
  account: { free: 10, baseDelayMs: 30_000, maxDelayMs: 30_000 },
} as const satisfies Record<string, Rule>;
export type KeyKind = keyof typeof RULES;

const FORGET_AFTER_MS = 60 * 60_000;

export interface ThrottleKey {
  kind: KeyKind;
  key: string;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The keys an attempt must pass, fastest lock first. */
export function throttleKeys(email: string, address: string | undefined): ThrottleKey[] {
  const account = normalizeEmail(email);
  const keys: ThrottleKey[] = [];
  // Without an address (no proxy header) every such attempt shares one pair key, so
  // the fast lock still applies.
  keys.push({ kind: "pair", key: `pair:${account}|${address ?? "unknown"}` });
  if (address) keys.push({ kind: "address", key: `address:${address}` });
  keys.push({ kind: "account", key: `account:${account}` });
  return keys;
}

/** The delay set by the attempt that brings a key to `attempts`; 0 below the free count. */
export function delayAfter(rule: Rule, attempts: number): number {
  if (attempts < rule.free) return 0;
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** (attempts - rule.free));
}

/** Every delay a rule can produce: the CASE branches of the upsert. */
function delaySteps(rule: Rule): { attempts: number; delayMs: number }[] {
  const steps: { attempts: number; delayMs: number }[] = [];
  for (let attempts = rule.free; ; attempts++) {
    const delayMs = delayAfter(rule, attempts);
    steps.push({ attempts, delayMs });
    if (delayMs >= rule.maxDelayMs) return steps;
  }
}

export type SlotResult =
  | { allowed: true; attempts: number; lockedUntil: Date | null }
  | { allowed: false; lockedUntil: Date | null };

/**
 * Takes one attempt slot of `key` atomically: a single INSERT … ON CONFLICT DO UPDATE
 * … WHERE not locked … RETURNING. No row back means the key was locked and nothing
 * was counted.
 */
export async function takeSlot(db: Db, { kind, key }: ThrottleKey, now: Date): Promise<SlotResult> {
  const t = db.t.signInThrottles;
  const rule = RULES[kind];
  const at = (ms: number) => {
    const param = sql.param(new Date(now.getTime() + ms), t.lockedUntil);
    // Postgres would type a bare parameter in CASE as text.
    return db.dialect === "postgres" ? sql`cast(${param} as timestamptz)` : param;
  };
  const stale = sql.param(new Date(now.getTime() - FORGET_AFTER_MS), t.lastFailureAt);
  const next: SQL = sql`(case when ${t.lastFailureAt} < ${stale} then 1 else ${t.failures} + 1 end)`;
  const branches = delaySteps(rule);
  const last = branches[branches.length - 1]!;
  const lockedUntil = sql.join([
    sql`(case when ${next} < ${rule.free} then null`,
    ...branches.slice(0, -1).map((b) => sql` when ${next} = ${b.attempts} then ${at(b.delayMs)}`),
    sql` else ${at(last.delayMs)} end)`,
  ]);
  const [row] = await db.orm
    .insert(t)
    .values({ key, failures: 1, lastFailureAt: now, lockedUntil: null })
    .onConflictDoUpdate({
      target: t.key,
      set: { failures: next, lastFailureAt: now, lockedUntil },
      setWhere: or(isNull(t.lockedUntil), lte(t.lockedUntil, now)),
    })
    .returning({ attempts: t.failures, lockedUntil: t.lockedUntil });
  if (row) return { allowed: true, attempts: row.attempts, lockedUntil: row.lockedUntil };
  const [current] = await db.orm.select({ lockedUntil: t.lockedUntil }).from(t).where(eq(t.key, key));
  return { allowed: false, lockedUntil: current?.lockedUntil ?? null };
}

/** Gives back a slot taken for an attempt that was not checked after all. */
export async function returnSlot(db: Db, key: string): Promise<void> {
  const t = db.t.signInThrottles;
  await db.orm
    .update(t)
    .set({ failures: sql`${t.failures} - 1` })
    .where(and(eq(t.key, key), gt(t.failures, 0)));
}

/** A successful sign-in: the pair and account start afresh, the address gets its slot back. */
export async function recordSuccess(db: Db, keys: ThrottleKey[]): Promise<void> {
  const t = db.t.signInThrottles;
  const cleared = keys.filter((k) => k.kind !== "address").map((k) => k.key);
  await db.orm.delete(t).where(inArray(t.key, cleared));
  for (const k of keys) if (k.kind === "address") await returnSlot(db, k.key);
}
