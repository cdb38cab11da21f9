import { beforeAll, expect, it } from "vitest";
import { listApiKeys } from "@/lib/api-keys/service";
import { setProcessDb } from "@/lib/db";
import { forEachDatabase } from "@/lib/testing/databases";
import { seedTwoTenants } from "@/lib/testing/tenants";
import { runWithTestSession } from "@/app/_server/request-context";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

// Server actions are public POST endpoints: called directly as functions, they must
// refuse a missing session, a trainer and another tenant's admin, and hand out the key
// only in the creation answer.
forEachDatabase("API key actions", (db) => {
  const ids = {} as Awaited<ReturnType<typeof seedTwoTenants>>;
  const as = <T,>(userId: string | null, fn: () => Promise<T>) => runWithTestSession({ userId, locale: "en" }, fn);

  beforeAll(async () => {
    setProcessDb(db());
    Object.assign(ids, await seedTwoTenants(db(), { prefix: "keyact" }));
  });

  it("creates a key for an admin of the tenant; the key is in the answer once, the list has its prefix", async () => {
    const form = new FormData();
    form.set("tenantSlug", "keyact-a");
    form.set("name", "Moodle");
    form.set("expiresAt", "2099-12-31");
    const result = await as(ids.adminA, () => createApiKeyAction(null, form));
    expect(result).toMatchObject({ ok: true, message: "Key “Moodle” has been created.", data: { name: "Moodle" } });
    if (!result.ok) return;
    expect(result.data.key).toMatch(/^pst_/);
    const listed = await listApiKeys(db(), { tenantId: ids.a });
    expect(listed.map((k) => [k.name, k.prefix])).toEqual([["Moodle", result.data.key.slice(0, 12)]]);
    expect(JSON.stringify(listed)).not.toContain(result.data.key);
    // 31 Dec 2099 ends at local midnight in Berlin (UTC+1).
    expect(listed[0]!.expiresAt).toEqual(new Date("2099-12-31T23:00:00Z"));
  });

  it("refuses no session, a trainer and another tenant's admin; a past expiry is a field error", async () => {
    const input = { tenantSlug: "keyact-a", name: "Sneaky" };
    expect(await as(null, () => createApiKeyAction(null, input))).toMatchObject({ ok: false, error: "You are no longer signed in. Please sign in again." });
    expect(await as(ids.trainerA, () => createApiKeyAction(null, input))).toMatchObject({ ok: false, error: "You do not have permission to do this." });
    expect(await as(ids.adminB, () => createApiKeyAction(null, input))).toMatchObject({ ok: false, error: "Not found." });
    expect(await as(ids.adminA, () => createApiKeyAction(null, { ...input, expiresAt: "2020-01-01" }))).toMatchObject({
      ok: false,
      fieldErrors: { expiresAt: "The expiry must be in the future." },
      values: { name: "Sneaky", expiresAt: "2020-01-01" },
    });
    expect((await listApiKeys(db(), { tenantId: ids.a })).map((k) => k.name)).not.toContain("Sneaky");
  });

  it("revokes a key of the tenant; another tenant's admin gets 'no longer exists' and changes nothing", async () => {
    const [key] = await listApiKeys(db(), { tenantId: ids.a });
    const byB = await as(ids.adminB, () => revokeApiKeyAction(null, { tenantSlug: "keyact-b", keyId: key!.id }));
    expect(byB).toMatchObject({ ok: false, error: "This key no longer exists." });
    expect((await listApiKeys(db(), { tenantId: ids.a }))[0]!.revokedAt).toBeNull();

    const byTrainer = await as(ids.trainerA, () => revokeApiKeyAction(null, { tenantSlug: "keyact-a", keyId: key!.id }));
    expect(byTrainer).toMatchObject({ ok: false, error: "You do not have permission to do this." });

    const done = await as(ids.adminA, () => revokeApiKeyAction(null, { tenantSlug: "keyact-a", keyId: key!.id }));
    expect(done).toEqual({ ok: true, data: { id: key!.id } });
    expect((await listApiKeys(db(), { tenantId: ids.a }))[0]!.revokedAt).not.toBeNull();
  });
});
