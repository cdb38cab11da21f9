import crypto from "node:crypto";
import { eq, sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../audit/log";
import { apiActor, appActor, CLI_ACTOR } from "../auth/policy";
import type { Db } from "../db";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { apiKeyStatus, authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from "./service";
import { expiryDisplay, expiryInstant, firstExpiryDay } from "./schema";
import { parseBearer } from "./token";

const now = new Date("2026-12-01T09:00:00Z");
const bearer = (key: string) => `Bearer ${key}`;

/** Raw statements for the test's own trigger (the two drivers expose them differently). */
async function rawStatements(db: Db, statements: string[]): Promise<void> {
  for (const s of statements) {
    if (db.dialect === "postgres") await db.orm.execute(sql.raw(s));
    else await (db.orm as unknown as { run: (q: SQL) => Promise<unknown> }).run(sql.raw(s));
  }
}

async function countRows(db: Db, table: string, keyId: string): Promise<number> {
  const query = sql`select count(*) as n from ${sql.identifier(table)} where key_id = ${keyId}`;
  if (db.dialect === "postgres") {
    const result = await db.orm.execute(query);
    return Number((result.rows[0] as { n: unknown }).n);
  }
  const rows = await (db.orm as unknown as { all: (q: SQL) => Promise<unknown[]> }).all(query);
  const first = rows[0] as unknown[] | { n: unknown };
  return Number(Array.isArray(first) ? first[0] : first.n);
}

/** Counts every write of api_keys.last_used_at, by the database itself. */
async function countTouches(db: Db): Promise<void> {
  if (db.dialect === "postgres") {
    await rawStatements(db, [
      "create table api_key_touches (key_id text not null)",
      "create function api_key_touched() returns trigger language plpgsql as $$ begin insert into api_key_touches values (new.id); return new; end $$",
      "create trigger api_key_touched after update of last_used_at on api_keys for each row execute function api_key_touched()",
    ]);
  } else {
    await rawStatements(db, [
      "create table api_key_touches (key_id text not null)",
      "create trigger api_key_touched after update of last_used_at on api_keys begin insert into api_key_touches values (new.id); end",
    ]);
  }
}

describe("parseBearer", () => {
  const key = `pst_${"A".repeat(43)}`;
  it("tells a missing header from a malformed one", () => {
    expect(parseBearer(null)).toEqual({ ok: false, reason: "missing" });
    expect(parseBearer("  ")).toEqual({ ok: false, reason: "missing" });
    for (const bad of [`Basic ${key}`, "Bearer", "Bearer ", `Bearer ${key}x`, `Bearer ${key.slice(0, -1)}`, `Bearer ${key} extra`, `Bearer sk_${"A".repeat(44)}`, key, `Bearer pst_${"A".repeat(42)}=`]) {
      expect(parseBearer(bad), bad).toEqual({ ok: false, reason: "malformed" });
    }
    expect(parseBearer(`bearer ${key}`)).toEqual({ ok: true, key });
    expect(parseBearer(`Bearer ${key}`)).toEqual({ ok: true, key });
  });
});

describe("expiry dates", () => {
  it("a date ends at the local midnight after it, across a DST change; lists show it as that date", () => {
    // Berlin moves to summer time in the night to Sunday 28 March 2027.
    expect(expiryInstant("2027-03-27", "Europe/Berlin")).toEqual(new Date("2027-03-27T23:00:00Z"));
    expect(expiryInstant("2027-03-28", "Europe/Berlin")).toEqual(new Date("2027-03-28T22:00:00Z"));
    expect(expiryInstant("2027-03-28T10:00:00+02:00", "Europe/Berlin")).toEqual(new Date("2027-03-28T08:00:00Z"));
    expect(expiryDisplay(new Date("2027-03-28T22:00:00Z"), "Europe/Berlin")).toEqual({ through: "2027-03-28" });
    expect(expiryDisplay(new Date("2027-03-28T22:00:00Z"), "UTC")).toEqual({ at: new Date("2027-03-28T22:00:00Z") });
    // 23:30 UTC on 1 December is already 2 December in Berlin.
    expect(firstExpiryDay("Europe/Berlin", new Date("2026-12-01T23:30:00Z"))).toBe("2026-12-02");
    expect(firstExpiryDay("UTC", new Date("2026-12-01T23:30:00Z"))).toBe("2026-12-01");
  });
});

forEachDatabase("API keys", (db) => {
  let ids: TwoTenants;
  let tenantA: { id: string; timezone: string };
  let tenantB: { id: string; timezone: string };
  let admin: ReturnType<typeof appActor>;

  async function newKey(input: Record<string, unknown> = { name: "LMS" }, at = now) {
    const created = await createApiKey(db(), { tenant: tenantA, actor: admin, input, now: at });
    if (!created.ok) throw new Error(JSON.stringify(created));
    return created.data;
  }

  beforeAll(async () => {
    ids = await seedTwoTenants(db(), { prefix: "keys", adminAName: "Ada Admin" });
    tenantA = { id: ids.a, timezone: "Europe/Berlin" };
    tenantB = { id: ids.b, timezone: "UTC" };
    admin = appActor({ id: ids.adminA, role: "admin" });
  });

  it("refuses trainers and API keys themselves, whatever the caller", async () => {
    const trainer = appActor({ id: ids.trainerA, role: "trainer" });
    expect(await createApiKey(db(), { tenant: tenantA, actor: trainer, input: { name: "X" }, now })).toEqual({ ok: false, code: "forbidden" });
    const viaKey = apiActor({ id: crypto.randomUUID() });
    expect(await createApiKey(db(), { tenant: tenantA, actor: viaKey, input: { name: "X" }, now })).toEqual({ ok: false, code: "forbidden" });
    expect(await revokeApiKey(db(), { tenantId: ids.a, actor: trainer, keyId: "x", now })).toEqual({ ok: false, code: "forbidden" });
    expect(await listApiKeys(db(), { tenantId: ids.a })).toEqual([]);
  });

  it("creates a pst_ key shown once: the database keeps its hash and prefix, the audit log never the key", async () => {
    const { key, id, prefix } = await newKey({ name: "  Moodle production  ", expiresAt: "2027-03-01T12:00:00Z" });
    expect(key).toMatch(/^pst_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(4), "base64url")).toHaveLength(32);
    expect(prefix).toBe(key.slice(0, 12));

    const [row] = await db().orm.select().from(db().t.apiKeys).where(eq(db().t.apiKeys.id, id));
    expect(row!.keyHash).toBe(crypto.createHash("sha256").update(key).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(key);
    expect(row).toMatchObject({ tenantId: ids.a, name: "Moodle production", createdBy: ids.adminA, revokedAt: null, lastUsedAt: null });
    expect(row!.expiresAt).toEqual(new Date("2027-03-01T12:00:00Z"));

    const [item] = await listApiKeys(db(), { tenantId: ids.a });
    expect(item).toEqual({
      id,
      name: "Moodle production",
      prefix,
      createdAt: now,
      createdBy: ids.adminA,
      createdByName: "Ada Admin",
      expiresAt: new Date("2027-03-01T12:00:00Z"),
      lastUsedAt: null,
      revokedAt: null,
    });

    const audit = await listAudit(db(), { tenantId: ids.a, action: "apikey.create" });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: ids.adminA,
      targetType: "apiKey",
      targetId: id,
      details: { name: "Moodle production", prefix, expiresAt: "2027-03-01T12:00:00.000Z" },
    });
    // Neither the key nor its secret part appears in any audit row of any tenant.
    const allAudit = await db().orm.select().from(db().t.auditLog);
    expect(JSON.stringify(allAudit)).not.toContain(key.slice(12));
  });

  it("a date expiry means the end of that day in the tenant's zone; an expiry must lie ahead", async () => {
    // Europe/Berlin is UTC+1 in winter: 31 December ends at 23:00 UTC.
    const dated = await newKey({ name: "Dated", expiresAt: "2026-12-31" });
    const today = await newKey({ name: "Today", expiresAt: "2026-12-01" });
    const rows = await listApiKeys(db(), { tenantId: ids.a });
    expect(rows.find((r) => r.id === dated.id)!.expiresAt).toEqual(new Date("2026-12-31T23:00:00Z"));
    expect(rows.find((r) => r.id === today.id)!.expiresAt).toEqual(new Date("2026-12-01T23:00:00Z"));
    // The same date in tenant B (UTC) ends an hour later.
    const inB = await createApiKey(db(), { tenant: tenantB, actor: CLI_ACTOR, input: { name: "B", expiresAt: "2026-12-31" }, now });
    expect(inB.ok).toBe(true);
    const [bRow] = await listApiKeys(db(), { tenantId: ids.b });
    expect(bRow!.expiresAt).toEqual(new Date("2027-01-01T00:00:00Z"));
    expect(bRow!.createdBy).toBeNull();

    const refusals = await Promise.all(
      [
        { name: "Past", expiresAt: "2026-11-30" },
        { name: "Now", expiresAt: now.toISOString() },
        { name: "Nonsense", expiresAt: "next week" },
        { name: "No zone", expiresAt: "2027-01-01T10:00:00" },
        { name: "", expiresAt: "" },
        { name: "x".repeat(101) },
        {},
        null,
      ].map((input) => createApiKey(db(), { tenant: tenantA, actor: admin, input, now })),
    );
    expect(refusals.map((r) => (r.ok ? "ok" : Object.entries(r.fieldErrors ?? {}).map(([f, m]) => `${f}: ${m.en}`).join("; ")))).toEqual([
      "expiresAt: The expiry must be in the future.",
      "expiresAt: The expiry must be in the future.",
      "expiresAt: Please give a date (YYYY-MM-DD) or an ISO 8601 instant with a time zone.",
      "expiresAt: Please give a date (YYYY-MM-DD) or an ISO 8601 instant with a time zone.",
      "name: Please fill this in.",
      "name: At most 100 characters.",
      "name: Please fill this in.",
      "_form: Please fill this in.",
    ]);
    expect(refusals[0]).toMatchObject({ code: "invalid", fieldErrors: { expiresAt: { de: "Das Ablaufdatum muss in der Zukunft liegen." } } });
    expect((await createApiKey(db(), { tenant: tenantA, actor: admin, input: { name: "x".repeat(100) }, now })).ok).toBe(true);
  });

  it("authenticates a key and says why not: missing, malformed, unknown, revoked, expired (from the expiry instant on)", async () => {
    const { key, id, prefix } = await newKey({ name: "Auth", expiresAt: "2027-01-10T08:00:00Z" });
    const auth = (authorization: string | null, at = now) => authenticateApiKey(db(), { authorization, now: at });

    expect(await auth(bearer(key))).toEqual({
      ok: true,
      key: { id, tenantId: ids.a, prefix },
      tenant: { id: ids.a, slug: "keys-a", timezone: "Europe/Berlin", locale: "de" },
    });
    expect(await auth(null)).toEqual({ ok: false, reason: "missing" });
    expect(await auth("")).toEqual({ ok: false, reason: "missing" });
    expect(await auth(`Basic ${key}`)).toEqual({ ok: false, reason: "malformed" });
    expect(await auth("Bearer not-a-key")).toEqual({ ok: false, reason: "malformed" });
    const other = `pst_${crypto.randomBytes(32).toString("base64url")}`;
    expect(await auth(bearer(other))).toEqual({ ok: false, reason: "unknown" });
    // One character changed is another key.
    const flipped = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");
    expect(await auth(bearer(flipped))).toEqual({ ok: false, reason: "unknown" });

    expect((await auth(bearer(key), new Date("2027-01-10T07:59:59.999Z"))).ok).toBe(true);
    expect(await auth(bearer(key), new Date("2027-01-10T08:00:00Z"))).toEqual({ ok: false, reason: "expired" });
    const [row] = (await listApiKeys(db(), { tenantId: ids.a })).filter((r) => r.id === id);
    expect(apiKeyStatus(row!, new Date("2027-01-10T07:59:59.999Z"))).toBe("active");
    expect(apiKeyStatus(row!, new Date("2027-01-10T08:00:00Z"))).toBe("expired");

    expect(await revokeApiKey(db(), { tenantId: ids.a, actor: admin, keyId: id, now })).toEqual({ ok: true, data: { revoked: true } });
    expect(await auth(bearer(key))).toEqual({ ok: false, reason: "revoked" });
    // Revoked wins over expired, in the answer and in the list.
    expect(await auth(bearer(key), new Date("2027-02-01T00:00:00Z"))).toEqual({ ok: false, reason: "revoked" });
  });

  it("revoking keeps the key listed as revoked, is audited once, and a key of another tenant is not found", async () => {
    const { key, id, prefix } = await newKey({ name: "To revoke" });
    const adminB = appActor({ id: ids.adminB, role: "admin" });
    expect(await revokeApiKey(db(), { tenantId: ids.b, actor: adminB, keyId: id, now })).toEqual({ ok: false, code: "notFound" });
    expect(await revokeApiKey(db(), { tenantId: ids.a, actor: admin, keyId: crypto.randomUUID(), now })).toEqual({ ok: false, code: "notFound" });
    expect(await revokeApiKey(db(), { tenantId: ids.a, actor: admin, keyId: { id }, now })).toEqual({ ok: false, code: "notFound" });
    expect((await authenticateApiKey(db(), { authorization: bearer(key), now })).ok).toBe(true);
    expect((await listApiKeys(db(), { tenantId: ids.b })).map((k) => k.id)).not.toContain(id);

    const later = new Date(now.getTime() + 3_600_000);
    expect(await revokeApiKey(db(), { tenantId: ids.a, actor: admin, keyId: id, now: later })).toEqual({ ok: true, data: { revoked: true } });
    expect(await revokeApiKey(db(), { tenantId: ids.a, actor: admin, keyId: id, now: later })).toEqual({ ok: true, data: { revoked: false } });
    const listed = (await listApiKeys(db(), { tenantId: ids.a })).find((k) => k.id === id)!;
    expect(listed.revokedAt).toEqual(later);
    expect(apiKeyStatus(listed, later)).toBe("revoked");
    const audit = (await listAudit(db(), { tenantId: ids.a, action: "apikey.revoke", limit: 50 })).filter((e) => e.targetId === id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorUserId: ids.adminA, details: { name: "To revoke", prefix } });
  });

  it("writes lastUsedAt at most once a minute, and once for a parallel burst", async () => {
    await countTouches(db());
    const { key, id } = await newKey({ name: "Busy" });
    const lastUsed = async () => (await listApiKeys(db(), { tenantId: ids.a })).find((k) => k.id === id)!.lastUsedAt;
    const t0 = new Date("2026-12-02T10:00:00Z");
    const at = (ms: number) => new Date(t0.getTime() + ms);

    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) => authenticateApiKey(db(), { authorization: bearer(key), now: at(i * 100) })),
    );
    expect(burst.every((r) => r.ok)).toBe(true);
    expect(await countRows(db(), "api_key_touches", id)).toBe(1);
    const first = await lastUsed();
    expect(first!.getTime() - t0.getTime()).toBeGreaterThanOrEqual(0);
    expect(first!.getTime() - t0.getTime()).toBeLessThan(1000);

    expect((await authenticateApiKey(db(), { authorization: bearer(key), now: new Date(first!.getTime() + 59_999) })).ok).toBe(true);
    expect(await lastUsed()).toEqual(first);
    expect(await countRows(db(), "api_key_touches", id)).toBe(1);

    const minuteLater = new Date(first!.getTime() + 60_000);
    expect((await authenticateApiKey(db(), { authorization: bearer(key), now: minuteLater })).ok).toBe(true);
    expect(await lastUsed()).toEqual(minuteLater);
    expect(await countRows(db(), "api_key_touches", id)).toBe(2);
  });
});
