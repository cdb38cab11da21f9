import { beforeAll, expect, it } from "vitest";
import { forEachDatabase } from "../testing/databases";
import { createTenant } from "../tenants/queries";
import { createUser, setTenantUserDisabled } from "../users/queries";
import { authenticate } from "./sign-in";

forEachDatabase("sign-in", (db) => {
  let tenantId = "";
  let disabledId = "";
  const t0 = new Date("2026-11-26T10:00:00Z");
  const at = (s: number) => new Date(t0.getTime() + s * 1000);

  beforeAll(async () => {
    tenantId = (await createTenant(db(), { slug: "signin", name: "S", timezone: "UTC", locale: "de" })).id;
    await createUser(db(), { email: "ok@example.com", name: "Ok", role: "admin", password: "correct-horse-battery", tenantId });
    await createUser(db(), { email: "lock@example.com", name: "L", role: "admin", password: "correct-horse-battery", tenantId });
    disabledId = (await createUser(db(), { email: "off@example.com", name: "Off", role: "trainer", password: "correct-horse-battery", tenantId })).id;
    await setTenantUserDisabled(db(), { tenantId, userId: disabledId, disabled: true });
  });

  it("accepts the right password, case-insensitive e-mail", async () => {
    const r = await authenticate(db(), { email: "OK@example.com ", password: "correct-horse-battery", address: "198.51.100.1", now: t0 });
    expect(r).toMatchObject({ ok: true, email: "ok@example.com" });
  });

  it("gives the same answer for a wrong password, an unknown account and a disabled one", async () => {
    const wrong = await authenticate(db(), { email: "ok@example.com", password: "nope", address: "198.51.100.2", now: t0 });
    const unknown = await authenticate(db(), { email: "ghost@example.com", password: "nope", address: "198.51.100.2", now: t0 });
    const disabled = await authenticate(db(), { email: "off@example.com", password: "correct-horse-battery", address: "198.51.100.2", now: t0 });
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
    expect(disabled).toEqual(wrong);
  });

  it("throttles the sixth attempt after five failures, with a growing delay", async () => {
    for (let i = 0; i < 5; i++) {
      expect(await authenticate(db(), { email: "lock@example.com", password: `bad${i}`, address: "198.51.100.3", now: at(i) })).toEqual({ ok: false, reason: "invalid" });
    }
    const sixth = await authenticate(db(), { email: "lock@example.com", password: "correct-horse-battery", address: "198.51.100.3", now: at(6) });
    expect(sixth).toMatchObject({ ok: false, reason: "throttled" });
    expect((sixth as { retryAfterS: number }).retryAfterS).toBeGreaterThan(20);
    // From another address the account is still throttled (per-account key).
    const elsewhere = await authenticate(db(), { email: "lock@example.com", password: "correct-horse-battery", address: "203.0.113.9", now: at(7) });
    expect(elsewhere).toMatchObject({ reason: "throttled" });
    // After the delay one more failure locks for twice as long.
    const failed = await authenticate(db(), { email: "lock@example.com", password: "bad", address: "198.51.100.3", now: at(40) });
    expect(failed).toEqual({ ok: false, reason: "invalid" });
    const again = await authenticate(db(), { email: "lock@example.com", password: "correct-horse-battery", address: "198.51.100.3", now: at(41) });
    expect((again as { retryAfterS: number }).retryAfterS).toBeGreaterThan(50);
    // After that delay the right password works and clears the account counter.
    const ok = await authenticate(db(), { email: "lock@example.com", password: "correct-horse-battery", address: "198.51.100.3", now: at(110) });
    expect(ok).toMatchObject({ ok: true });
  });

  it("throttles an unknown account exactly like a real one", async () => {
    for (let i = 0; i < 5; i++) await authenticate(db(), { email: "nobody@example.com", password: "x", address: "198.51.100.4", now: at(i) });
    expect(await authenticate(db(), { email: "nobody@example.com", password: "x", address: "198.51.100.4", now: at(6) })).toMatchObject({ reason: "throttled" });
  });
});
