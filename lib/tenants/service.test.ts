import { expect, it } from "vitest";
import { listAudit } from "../audit/log";
import { appActor, CLI_ACTOR } from "../auth/policy";
import { forEachDatabase } from "../testing/databases";
import { countTenants } from "./queries";
import { createTenant } from "./service";

forEachDatabase("tenant use cases", (db) => {
  it("creates a tenant audited as the CLI; a taken slug is a duplicate on slug; bad input names the field", async () => {
    const created = await createTenant(db(), { actor: CLI_ACTOR, input: { slug: " Acme ", name: "Acme GmbH" } });
    expect(created).toMatchObject({ ok: true, data: { slug: "acme", timezone: "Europe/Berlin", locale: "de" } });
    if (!created.ok) return;
    const [entry] = await listAudit(db(), { tenantId: created.data.id, action: "tenant.create" });
    expect(entry).toMatchObject({ actorUserId: null, details: { slug: "acme", via: "cli" } });

    expect(await createTenant(db(), { actor: CLI_ACTOR, input: { slug: "acme", name: "Other" } })).toMatchObject({
      ok: false,
      code: "duplicate",
      fieldErrors: { slug: { en: "This value is already taken." } },
    });
    const bad = await createTenant(db(), { actor: CLI_ACTOR, input: { slug: "a", name: "", timezone: "Mars/Base" } });
    expect(bad).toMatchObject({ ok: false, code: "invalid" });
    expect(Object.keys((!bad.ok && bad.fieldErrors) || {}).sort()).toEqual(["name", "slug", "timezone"]);
    expect(await createTenant(db(), { actor: appActor({ id: "x", role: "admin" }), input: { slug: "nope", name: "N" } })).toEqual({
      ok: false,
      code: "forbidden",
    });
    expect(await countTenants(db())).toBe(1);
  });
});
