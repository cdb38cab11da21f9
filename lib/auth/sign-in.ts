import type { Db } from "../db";
import { findUserByEmail } from "../users/queries";
import { signInSchema } from "../users/schema";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { clearAccount, lockedForMs, recordFailure, throttleKeys } from "./throttle";

export type SignInResult =
  | { ok: true; userId: string; email: string; name: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterS: number };

/**
 * Checks e-mail and password with throttling per account and per address. Unknown
 * accounts, wrong passwords and disabled accounts give the same answer and cost the
 * same time, so the answer does not reveal whether an account exists.
 */
export async function authenticate(
  db: Db,
  input: { email: string; password: string; address: string | undefined; now: Date },
): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const keys = throttleKeys(email, input.address);
  const wait = await lockedForMs(db, keys, input.now);
  if (wait > 0) return { ok: false, reason: "throttled", retryAfterS: Math.ceil(wait / 1000) };

  const user = await findUserByEmail(db, email);
  const valid = user ? await verifyPassword(password, user.passwordHash) : (await verifyAgainstDummy(password), false);
  if (!user || !valid || user.disabledAt) {
    await recordFailure(db, keys, input.now);
    return { ok: false, reason: "invalid" };
  }
  await clearAccount(db, email);
  return { ok: true, userId: user.id, email: user.email, name: user.name };
}
