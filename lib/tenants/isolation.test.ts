import { beforeAll, expect, it } from "vitest";
import { listAudit, writeAudit } from "../audit/log";
import { loadActor, resolveTenant } from "../auth/access";
import { forEachDatabase } from "../testing/databases";
import { getUserById, listTenantUsers, setTenantUserDisabled } from "../users/queries";
import { seedTwoTenants } from "../testing/tenants";

// Every query on a tenant table filters by tenant: with two tenants side by side,
// nothing of one is visible or changeable through the other.
forEachDatabase("tenant isolation", (db) => {
  const ids = {} as Record<"a" | "b" | "adminA" | "trainerA" | "adminB", string>;

  beforeAll(async () => {
    Object.assign(ids, await seedTwoTenants(db(), { prefix: "tenant", b: { timezone: "Europe/London" } }));
    await writeAudit(db(), { tenantId: ids.a, actorUserId: ids.adminA, action: "test.a" });
    await writeAudit(db(), { tenantId: ids.b, actorUserId: ids.adminB, action: "test.b" });
  });

  it("lists only the tenant's own users", async () => {
    const a = await listTenantUsers(db(), { tenantId: ids.a });
    const b = await listTenantUsers(db(), { tenantId: ids.b });
    expect(a.map((u) => u.email).sort()).toEqual(["admin@tenant-a.example", "trainer@tenant-a.example"]);
    expect(b.map((u) => u.email)).toEqual(["admin@tenant-b.example"]);
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
