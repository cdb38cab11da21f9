import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { forEachDatabase } from "../testing/databases";
import { ForeignAwaitError, type Db } from "./client";
import { createTenant, getTenantBySlug } from "../tenants/queries";
import { createUser, findUserByEmail } from "../users/queries";
import { writeAudit } from "../audit/log";

forEachDatabase("transactions", (db, dialect) => {
  const committedTenant = async () => (await createTenant(db(), { slug: `t-${crypto.randomUUID()}`, name: "T", timezone: "UTC", locale: "de" })).id;

  it("roll back every statement of a multi-statement transaction when the body throws after an await", async () => {
    await expect(
      db().transaction(async (tx) => {
        const tenant = await createTenant(tx, { slug: "rollback-co", name: "Rollback Co", timezone: "Europe/Berlin", locale: "de" });
        await writeAudit(tx, { tenantId: tenant.id, actorUserId: null, action: "test.rollback" });
        // Both rows are visible inside the transaction …
        expect(await getTenantBySlug(tx, "rollback-co")).toBeDefined();
        expect(await tx.orm.select().from(tx.t.auditLog).where(eq(tx.t.auditLog.action, "test.rollback"))).toHaveLength(1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    // … and none outside after the rollback.
    expect(await getTenantBySlug(db(), "rollback-co")).toBeUndefined();
    expect(await db().orm.select().from(db().t.auditLog).where(eq(db().t.auditLog.action, "test.rollback"))).toHaveLength(0);
  });

  it("commit all statements when the body succeeds", async () => {
    // Hashing is not database work: createUser hashes before its own transaction.
    await createUser(db(), { email: "c@example.com", name: "C", role: "trainer", password: "long-enough-pass", tenantId: await committedTenant() });
    const id = await db().transaction(async (tx) => {
      const tenant = await createTenant(tx, { slug: "commit-co", name: "Commit Co", timezone: "Europe/Vienna", locale: "en" });
      const user = await findUserByEmail(tx, "c@example.com");
      await tx.orm.insert(tx.t.memberships).values({ id: "commit-membership", tenantId: tenant.id, userId: user!.id, createdAt: new Date() });
      return tenant.id;
    });
    expect((await getTenantBySlug(db(), "commit-co"))?.id).toBe(id);
    const [membership] = await db().orm.select().from(db().t.memberships).where(eq(db().t.memberships.id, "commit-membership"));
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
  it("a failing transaction that awaits rolls back only its own writes, never concurrent outside writes", async () => {
    const outsideIds = Array.from({ length: 6 }, (_, i) => `outside-${i}`);
    const failing = db().transaction(async (tx) => {
      await createTenant(tx, { slug: "own-write", name: "Own", timezone: "UTC", locale: "de" });
      // Stands in for a slow step; other requests write meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error("boom");
    });
    const outside = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await Promise.all(
        outsideIds.map((id) => writeAudit(db(), { tenantId: null, actorUserId: null, action: "test.outside", targetId: id })),
      );
    })();
    await expect(failing).rejects.toThrow("boom");
    await outside;
    expect(await getTenantBySlug(db(), "own-write")).toBeUndefined();
    const rows = await db().orm.select().from(db().t.auditLog).where(eq(db().t.auditLog.action, "test.outside"));
    expect(rows.map((r) => r.targetId).sort()).toEqual(outsideIds);
  });

  it("keep .returning() and onConflictDoUpdate working through the serialised path", async () => {
    const t = db().t.signInThrottles;
    const at = new Date("2026-11-28T10:00:00Z");
    const [first] = await db().orm.insert(t).values({ key: "k", failures: 1, lastFailureAt: at }).returning();
    expect(first).toMatchObject({ key: "k", failures: 1, lockedUntil: null });
    expect(first!.lastFailureAt.getTime()).toBe(at.getTime());
    const [second] = await db()
      .orm.insert(t)
      .values({ key: "k", failures: 1, lastFailureAt: at })
      .onConflictDoUpdate({ target: t.key, set: { failures: 7 } })
      .returning({ failures: t.failures });
    expect(second).toEqual({ failures: 7 });
  });

  it("let a transaction body use pure promises between statements", async () => {
    const twice = async (tx: Db, slug: string) => {
      await Promise.resolve();
      return createTenant(tx, { slug, name: slug, timezone: "UTC", locale: "de" });
    };
    await db().transaction(async (tx) => {
      await Promise.all([twice(tx, "pure-a"), twice(tx, "pure-b")]);
      // The outer handle used by mistake inside the body joins the transaction on SQLite
      // instead of waiting for it to end (which would never happen).
      if (dialect === "sqlite") await db().transaction((inner) => twice(inner, "pure-c"));
    });
    expect(await getTenantBySlug(db(), "pure-b")).toBeDefined();
  });

  it("catch a SQLite transaction body that awaits something other than the database", async () => {
    const attempt = db().transaction(async (tx) => {
      await createTenant(tx, { slug: "foreign-await", name: "F", timezone: "UTC", locale: "de" });
      await new Promise((resolve) => setTimeout(resolve, 1));
    });
    if (dialect === "sqlite") {
      await expect(attempt).rejects.toThrow(ForeignAwaitError);
      expect(await getTenantBySlug(db(), "foreign-await")).toBeUndefined();
    } else {
      // Postgres holds row locks only, not the whole database: no guard there.
      await attempt;
      expect(await getTenantBySlug(db(), "foreign-await")).toBeDefined();
    }
  });
});
