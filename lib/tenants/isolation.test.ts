import { beforeAll, expect, it } from "vitest";
import { listAudit, writeAudit } from "../audit/log";
import { loadActor, resolveTenant } from "../auth/access";
import { forEachDatabase } from "../testing/databases";
import { createUser, getUserById, listTenantUsers, setTenantUserDisabled } from "../users/queries";
import { createTenant } from "./queries";

// Every query on a tenant table filters by tenant: with two tenants side by side,
// nothing of one is visible or changeable through the other.
forEachDatabase("tenant isolation", (db) => {
  const ids = {} as Record<"a" | "b" | "adminA" | "trainerA" | "adminB", string>;

  beforeAll(async () => {
    const a = await createTenant(db(), { slug: "tenant-a", name: "A", timezone: "Europe/Berlin", locale: "de" });
    const b = await createTenant(db(), { slug: "tenant-b", name: "B", timezone: "Europe/London", locale: "en" });
    ids.a = a.id;
    ids.b = b.id;
    const pw = "long-enough-pass";
    ids.adminA = (await createUser(db(), { email: "admin@a.example", name: "", role: "admin", password: pw, tenantId: a.id })).id;
    ids.trainerA = (await createUser(db(), { email: "trainer@a.example", name: "", role: "trainer", password: pw, tenantId: a.id })).id;
    ids.adminB = (await createUser(db(), { email: "admin@b.example", name: "", role: "admin", password: pw, tenantId: b.id })).id;
    await writeAudit(db(), { tenantId: a.id, actorUserId: ids.adminA, action: "test.a" });
    await writeAudit(db(), { tenantId: b.id, actorUserId: ids.adminB, action: "test.b" });
  });

  it("lists only the tenant's own users", async () => {
    const a = await listTenantUsers(db(), { tenantId: ids.a });
    const b = await listTenantUsers(db(), { tenantId: ids.b });
    expect(a.map((u) => u.email).sort()).toEqual(["admin@a.example", "trainer@a.example"]);
    expect(b.map((u) => u.email)).toEqual(["admin@b.example"]);
    expect(a[0]).not.toHaveProperty("passwordHash");
  });

  it("does not disable a user of another tenant, even by id", async () => {
    const changed = await setTenantUserDisabled(db(), { tenantId: ids.a, userId: ids.adminB, disabled: true });
    expect(changed).toBe(false);
    expect((await getUserById(db(), ids.adminB))?.disabledAt).toBeNull();
    expect(await setTenantUserDisabled(db(), { tenantId: ids.a, userId: ids.trainerA, disabled: true })).toBe(true);
    expect((await getUserById(db(), ids.trainerA))?.disabledAt).toBeInstanceOf(Date);
    await setTenantUserDisabled(db(), { tenantId: ids.a, userId: ids.trainerA, disabled: false });
  });

  it("shows only the tenant's own audit entries", async () => {
    expect((await listAudit(db(), { tenantId: ids.a })).map((e) => e.action)).toEqual(["test.a"]);
    expect((await listAudit(db(), { tenantId: ids.b })).map((e) => e.action)).toEqual(["test.b"]);
  });

  it("resolves a tenant slug only among the actor's tenants", async () => {
    const adminA = (await loadActor(db(), ids.adminA))!;
    expect((await resolveTenant(db(), adminA, "tenant-a"))?.id).toBe(ids.a);
    expect(await resolveTenant(db(), adminA, "tenant-b")).toBeNull();
    expect(await resolveTenant(db(), adminA, "missing")).toBeNull();
  });

  it("treats a disabled user as signed out", async () => {
    await setTenantUserDisabled(db(), { tenantId: ids.a, userId: ids.trainerA, disabled: true });
    expect(await loadActor(db(), ids.trainerA)).toBeNull();
    await setTenantUserDisabled(db(), { tenantId: ids.a, userId: ids.trainerA, disabled: false });
    expect(await loadActor(db(), ids.trainerA)).not.toBeNull();
  });
});
