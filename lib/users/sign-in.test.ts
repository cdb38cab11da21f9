import { eq, like } from "drizzle-orm";
import { beforeAll, expect, it, vi } from "vitest";
import { forEachDatabase } from "../testing/databases";
import { createTenant } from "../tenants/queries";
import { createUser, findUserByEmail, setTenantUserDisabled } from "./queries";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../auth/password";
import { authenticate, type Verifier } from "./sign-in";

const PASSWORD = "correct-horse-battery";

/** Counts how many attempts reached a password check (real or dummy). */
function countingVerifier(): { checks: number; verifier: Verifier } {
  const counter = { checks: 0 };
  const verifier: Verifier = {
    verify: (password, stored) => (counter.checks++, verifyPassword(password, stored)),
    verifyDummy: (password) => (counter.checks++, verifyAgainstDummy(password)),
  };
  return Object.assign(counter, { verifier });
}

forEachDatabase("sign-in", (db) => {
  let tenantId = "";
  const t0 = new Date("2026-11-26T10:00:00Z");
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  const user = (email: string) => createUser(db(), { email, name: email, role: "admin", password: PASSWORD, tenantId });
  const attempt = (email: string, password: string, address: string | undefined, now = t0, verifier?: Verifier) =>
    authenticate(db(), { email, password, address, now }, verifier);

  beforeAll(async () => {
    tenantId = (await createTenant(db(), { slug: "signin", name: "S", timezone: "UTC", locale: "de" })).id;
    for (const email of ["ok@example.com", "lock@example.com", "burst@example.com", "slow@example.com", "spray@example.com", "old@example.com"]) {
      await user(email);
    }
    const off = await user("off@example.com");
    await setTenantUserDisabled(db(), { tenantId, userId: off.id, disabled: true });
  });

  it("accepts the right password, case-insensitive e-mail", async () => {
    expect(await attempt("OK@example.com ", PASSWORD, "198.51.100.1")).toMatchObject({ ok: true, email: "ok@example.com" });
  });

  it("gives the same answer for a wrong password, an unknown account and a disabled one", async () => {
    const wrong = await attempt("ok@example.com", "nope", "198.51.100.2");
    const unknown = await attempt("ghost@example.com", "nope", "198.51.100.2");
    const disabled = await attempt("off@example.com", PASSWORD, "198.51.100.2");
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
    expect(disabled).toEqual(wrong);
  });

  it("locks an account at one address after five failures, with a growing delay, but not at another address", async () => {
    for (let i = 0; i < 5; i++) expect(await attempt("lock@example.com", `bad${i}`, "198.51.100.3", at(i))).toEqual({ ok: false, reason: "invalid" });
    const sixth = await attempt("lock@example.com", PASSWORD, "198.51.100.3", at(6));
    expect(sixth).toMatchObject({ ok: false, reason: "throttled" });
    expect((sixth as { retryAfterS: number }).retryAfterS).toBeGreaterThan(20);
    // The attacker's address is locked; the real user at home is not.
    expect(await attempt("lock@example.com", PASSWORD, "203.0.113.9", at(7))).toMatchObject({ ok: true });
    // After the delay one more failure locks the attacker's address twice as long.
    expect(await attempt("lock@example.com", "bad", "198.51.100.3", at(40))).toEqual({ ok: false, reason: "invalid" });
    const again = await attempt("lock@example.com", PASSWORD, "198.51.100.3", at(41));
    expect((again as { retryAfterS: number }).retryAfterS).toBeGreaterThan(50);
    expect(await attempt("lock@example.com", PASSWORD, "198.51.100.3", at(110))).toMatchObject({ ok: true });
  });

  it("throttles an unknown account exactly like a real one", async () => {
    const answers = async (email: string, address: string) => {
      const out = [];
      for (let i = 0; i < 7; i++) out.push(await attempt(email, "x", address, at(i)));
      return out;
    };
    const real = await answers("ok@example.com", "198.51.100.4");
    expect(real[6]).toMatchObject({ reason: "throttled" });
    expect(await answers("nobody@example.com", "198.51.100.5")).toEqual(real);
  });

  it("lets no more than five of 30 parallel wrong attempts from one address reach a password check", async () => {
    const counter = countingVerifier();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt("burst@example.com", `guess-${i}`, "198.51.100.6", t0, counter.verifier)),
    );
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(25);
    expect(counter.checks).toBe(5);
  });

  it("lets no more than ten of 30 parallel wrong attempts from 30 addresses reach a check of one account", async () => {
    const counter = countingVerifier();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt("spray@example.com", `guess-${i}`, `192.0.2.${i + 1}`, t0, counter.verifier)),
    );
    expect(counter.checks).toBe(10);
  });

  it("lets the right password in after the per-account delay when many addresses guessed", async () => {
    for (let i = 0; i < 10; i++) await attempt("slow@example.com", "bad", `198.18.0.${i + 1}`, at(i));
    const waiting = await attempt("slow@example.com", PASSWORD, "203.0.113.50", at(10));
    expect(waiting).toMatchObject({ ok: false, reason: "throttled" });
    expect((waiting as { retryAfterS: number }).retryAfterS).toBeLessThanOrEqual(30);
    expect(await attempt("slow@example.com", PASSWORD, "203.0.113.50", at(40))).toMatchObject({ ok: true });
  });

  it("keeps the fast lock for attempts without a known address", async () => {
    for (let i = 0; i < 5; i++) await attempt("nowhere@example.com", "bad", undefined, at(i));
    expect(await attempt("nowhere@example.com", "bad", undefined, at(6))).toMatchObject({ reason: "throttled" });
  });

  it("limits one address spraying many accounts", async () => {
    for (let i = 0; i < 20; i++) await attempt(`sprayed-${i}@example.com`, "bad", "198.51.100.7", at(i));
    expect(await attempt("ok@example.com", PASSWORD, "198.51.100.7", at(21))).toMatchObject({ reason: "throttled" });
  });

  it("audits successes, failures and locks, never with the password", async () => {
    const a = db().t.auditLog;
    const rows = await db().orm.select().from(a).where(like(a.action, "auth.sign_in%"));
    const actions = new Set(rows.map((r) => r.action));
    expect(actions).toEqual(new Set(["auth.sign_in", "auth.sign_in_failed", "auth.sign_in_locked"]));
    const ok = rows.find((r) => r.action === "auth.sign_in");
    expect(ok?.details).toMatchObject({ email: expect.any(String), address: expect.any(String) });
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
    expect(JSON.stringify(rows)).not.toContain("guess-");
  });

  it("upgrades an old-cost hash on the next successful sign-in", async () => {
    // Production cost for this test: the Vitest override would make 2^15 look strong enough.
    vi.stubEnv("POSTILLION_TEST_SCRYPT_LOG_N", "");
    try {
      const u = db().t.users;
      const old = await hashPassword(PASSWORD, { N: 2 ** 15, r: 8, p: 1 });
      await db().orm.update(u).set({ passwordHash: old }).where(eq(u.email, "old@example.com"));
      expect(await attempt("old@example.com", PASSWORD, "198.51.100.8")).toMatchObject({ ok: true });
      const stored = (await findUserByEmail(db(), "old@example.com"))!.passwordHash;
      expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/);
      expect(await attempt("old@example.com", PASSWORD, "198.51.100.8")).toMatchObject({ ok: true });
      expect((await findUserByEmail(db(), "old@example.com"))!.passwordHash).toBe(stored);
    } finally {
      vi.unstubAllEnvs();
    }
  }, 60_000);
});
