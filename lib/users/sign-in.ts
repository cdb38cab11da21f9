import { and, eq } from "drizzle-orm";
import { writeAudit } from "../audit/log";
import type { Db } from "../db";
import { findUserByEmail } from "./queries";
import { signInSchema } from "./schema";
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from "../auth/password";
import { recordSuccess, returnSlot, takeSlot, throttleKeys, type ThrottleKey } from "../auth/throttle";

export type SignInResult =
  | { ok: true; userId: string; email: string; name: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterS: number };

/** The password checks, replaceable so tests can count how many attempts reached one. */
export interface Verifier {
  verify: (password: string, stored: string) => Promise<boolean>;
  verifyDummy: (password: string) => Promise<void>;
}
const defaultVerifier: Verifier = { verify: verifyPassword, verifyDummy: verifyAgainstDummy };

/**
 * Takes a slot of every throttle key before anything is checked. When one key is
 * locked, the slots already taken are given back (the attempt was never checked) and
 * the caller learns how long to wait.
 */
async function admit(db: Db, keys: ThrottleKey[], audit: Record<string, unknown>, now: Date): Promise<number> {
  const taken: ThrottleKey[] = [];
  for (const key of keys) {
    const slot = await takeSlot(db, key, now);
    if (!slot.allowed) {
      for (const k of taken) await returnSlot(db, k.key);
      return Math.max(1, (slot.lockedUntil?.getTime() ?? now.getTime()) - now.getTime());
    }
    taken.push(key);
    // The attempt that sets a lock is audited once; refused attempts are not (an
    // attacker could otherwise fill the log).
    if (slot.lockedUntil) {
      await writeAudit(db, { tenantId: null, actorUserId: null, action: "auth.sign_in_locked", details: { ...audit, key: key.kind, lockedUntil: slot.lockedUntil.toISOString() } }, now);
    }
  }
  return 0;
}

/**
 * Checks e-mail and password with throttling (see throttle.ts). Unknown accounts,
 * wrong passwords and disabled accounts give the same answer and cost the same time,
 * so the answer does not reveal whether an account exists. A hash made with an older,
 * lower cost is replaced after a successful check.
 */
export async function authenticate(
  db: Db,
  input: { email: string; password: string; address: string | undefined; now: Date },
  verifier: Verifier = defaultVerifier,
): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const audit = { email, address: input.address ?? null };
  const keys = throttleKeys(email, input.address);
  const wait = await admit(db, keys, audit, input.now);
  if (wait > 0) return { ok: false, reason: "throttled", retryAfterS: Math.ceil(wait / 1000) };

  const user = await findUserByEmail(db, email);
  const valid = user ? await verifier.verify(password, user.passwordHash) : (await verifier.verifyDummy(password), false);
  if (!user || !valid || user.disabledAt) {
    await writeAudit(db, { tenantId: null, actorUserId: null, action: "auth.sign_in_failed", details: audit }, input.now);
    return { ok: false, reason: "invalid" };
  }
  if (needsRehash(user.passwordHash)) {
    // Hashed outside any transaction; stored only if nobody changed the hash meanwhile.
    const upgraded = await hashPassword(password);
    const u = db.t.users;
    await db.orm.update(u).set({ passwordHash: upgraded }).where(and(eq(u.id, user.id), eq(u.passwordHash, user.passwordHash)));
  }
  await recordSuccess(db, keys);
  await writeAudit(db, { tenantId: null, actorUserId: user.id, action: "auth.sign_in", targetType: "user", targetId: user.id, details: audit }, input.now);
  return { ok: true, userId: user.id, email: user.email, name: user.name };
}
