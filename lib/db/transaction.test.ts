import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { forEachDatabase } from "../testing/databases";
import { createTenant, getTenantBySlug } from "../tenants/queries";
import { createUser, findUserByEmail } from "../users/queries";

forEachDatabase("transactions", (db) => {
  it("roll back every statement of a multi-statement transaction when the body throws after an await", async () => {
    await expect(
      db().transaction(async (tx) => {
        const tenant = await createTenant(tx, { slug: "rollback-co", name: "Rollback Co", timezone: "Europe/Berlin", locale: "de" });
        await createUser(tx, { email: "rb@example.com", name: "RB", role: "admin", password: "long-enough-pass", tenantId: tenant.id });
        // Both rows are visible inside the transaction …
        expect(await getTenantBySlug(tx, "rollback-co")).toBeDefined();
        expect(await findUserByEmail(tx, "rb@example.com")).toBeDefined();
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    // … and none outside after the rollback.
    expect(await getTenantBySlug(db(), "rollback-co")).toBeUndefined();
    expect(await findUserByEmail(db(), "rb@example.com")).toBeUndefined();
    const memberships = await db().orm.select().from(db().t.memberships);
    expect(memberships).toHaveLength(0);
  });

  it("commit all statements when the body succeeds", async () => {
    const id = await db().transaction(async (tx) => {
      const tenant = await createTenant(tx, { slug: "commit-co", name: "Commit Co", timezone: "Europe/Vienna", locale: "en" });
      await createUser(tx, { email: "c@example.com", name: "C", role: "trainer", password: "long-enough-pass", tenantId: tenant.id });
      return tenant.id;
    });
    expect((await getTenantBySlug(db(), "commit-co"))?.id).toBe(id);
    const user = await findUserByEmail(db(), "c@example.com");
    const [membership] = await db().orm.select().from(db().t.memberships).where(eq(db().t.memberships.userId, user!.id));
    expect(membership?.tenantId).toBe(id);
  });

  it("roll back a nested transaction's work together with the outer one", async () => {
    await expect(
      db().transaction(async (tx) => {
        await tx.transaction(async (inner) => {
          await createTenant(inner, { slug: "nested-co", name: "Nested", timezone: "UTC", locale: "de" });
        });
        throw new Error("outer fails");
      }),
    ).rejects.toThrow("outer fails");
    expect(await getTenantBySlug(db(), "nested-co")).toBeUndefined();
  });

  it("run concurrent transactions one after another without losing writes", async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        db().transaction(async (tx) => {
          await createTenant(tx, { slug: `para-${i}`, name: `P${i}`, timezone: "UTC", locale: "de" });
        }),
      ),
    );
    for (let i = 0; i < 8; i++) expect(await getTenantBySlug(db(), `para-${i}`)).toBeDefined();
  });
});
