import { beforeAll, expect, it } from "vitest";
import { listAudit, writeAudit } from "../audit/log";
import { appActor, CLI_ACTOR } from "../auth/policy";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { findUserByEmail, getUserById, listConsultants, listTenantUsers } from "./queries";
import { and, eq } from "drizzle-orm";
import { createConsultant, createTenantUser, setUserDisabled, setUserLocale } from "./service";

forEachDatabase("user use cases", (db) => {
  let ids: TwoTenants;

  beforeAll(async () => {
    ids = await seedTwoTenants(db(), { prefix: "usr" });
  });

  it("creates a trainer, audited without the password; an admin may not create a consultant role", async () => {
    const admin = appActor({ id: ids.adminA, role: "admin" });
    const created = await createTenantUser(db(), {
      tenantId: ids.a,
      actor: admin,
      input: { email: "New@Example.com", name: "New", role: "trainer", password: "a-long-password" },
    });
    expect(created).toMatchObject({ ok: true, data: { email: "new@example.com", role: "trainer" } });
    const [entry] = await listAudit(db(), { tenantId: ids.a, action: "user.create" });
    expect(entry).toMatchObject({ actorUserId: ids.adminA, details: { email: "new@example.com", role: "trainer" } });
    expect(JSON.stringify(entry)).not.toContain("a-long-password");

    const asConsultant = await createTenantUser(db(), {
      tenantId: ids.a,
      actor: admin,
      input: { email: "c2@example.com", role: "consultant", password: "a-long-password" },
    });
    expect(asConsultant).toMatchObject({ ok: false, code: "invalid", fieldErrors: { role: { en: "Please choose one of the offered options." } } });
    const trainer = await createTenantUser(db(), {
      tenantId: ids.a,
      actor: appActor({ id: ids.trainerA, role: "trainer" }),
      input: { email: "t2@example.com", role: "trainer", password: "a-long-password" },
    });
    expect(trainer).toEqual({ ok: false, code: "forbidden" });
    expect(await findUserByEmail(db(), "c2@example.com")).toBeUndefined();
    expect(await findUserByEmail(db(), "t2@example.com")).toBeUndefined();
  });

  it("a taken e-mail is a duplicate on the email field", async () => {
    const dup = await createConsultant(db(), { actor: CLI_ACTOR, input: { email: `admin@usr-a.example`, password: "a-long-password" } });
    expect(dup).toMatchObject({ ok: false, code: "duplicate", fieldErrors: { email: { en: "This value is already taken." } } });
  });

  it("a burst of 10 parallel failing creations while other writes happen: every other write survives", async () => {
    const before = (await listTenantUsers(db(), { tenantId: ids.a })).length;
    const admin = appActor({ id: ids.adminA, role: "admin" });
    // Each failing creation hashes (~tens of ms) and then hits the duplicate in its
    // transaction. The hash is done before the transaction opens, so the writes made
    // meanwhile outside any transaction are never swept into one that rolls back.
    const failing = Array.from({ length: 10 }, () =>
      createTenantUser(db(), {
        tenantId: ids.a,
        actor: admin,
        input: { email: `trainer@usr-a.example`, role: "trainer", password: "a-long-password" },
      }),
    );
    const outside = Array.from({ length: 30 }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 5));
      await writeAudit(db(), { tenantId: ids.a, actorUserId: null, action: "burst.outside", targetId: String(i) });
    });
    const succeeding = Array.from({ length: 3 }, (_, i) =>
      createTenantUser(db(), {
        tenantId: ids.a,
        actor: admin,
        input: { email: `burst${i}@example.com`, role: "trainer", password: "a-long-password" },
      }),
    );
    const results = await Promise.all(failing);
    await Promise.all(outside);
    const good = await Promise.all(succeeding);
    expect(results.every((r) => !r.ok && r.code === "duplicate")).toBe(true);
    expect(good.every((r) => r.ok)).toBe(true);
    const kept = await listAudit(db(), { tenantId: ids.a, action: "burst.outside", limit: 100 });
    expect(kept).toHaveLength(30);
    expect((await listTenantUsers(db(), { tenantId: ids.a })).length).toBe(before + 3);
    // 13 scrypt hashes: generous for a busy CI machine.
  }, 120_000);

  it("disables within the tenant only, never oneself, never the last consultant", async () => {
    const admin = appActor({ id: ids.adminA, role: "admin" });
    expect(await setUserDisabled(db(), { tenantId: ids.a, actor: admin, userId: ids.adminA, disabled: true })).toEqual({
      ok: false,
      code: "notSelf",
    });
    expect(await setUserDisabled(db(), { tenantId: ids.a, actor: admin, userId: ids.adminB, disabled: true })).toEqual({
      ok: false,
      code: "notFound",
    });
    expect((await getUserById(db(), ids.adminB))?.disabledAt).toBeNull();
    expect(await setUserDisabled(db(), { tenantId: ids.a, actor: admin, userId: ids.trainerA, disabled: true })).toMatchObject({ ok: true });
    const [entry] = await listAudit(db(), { tenantId: ids.a, action: "user.disable" });
    expect(entry).toMatchObject({ actorUserId: ids.adminA, targetId: ids.trainerA });

    const consultants = (await listConsultants(db())).filter((c) => !c.disabledAt);
    expect(consultants).toHaveLength(1);
    const last = await setUserDisabled(db(), { tenantId: null, actor: CLI_ACTOR, userId: ids.consultant, disabled: true });
    expect(last).toEqual({ ok: false, code: "lastConsultant" });
    expect(await setUserDisabled(db(), { tenantId: null, actor: admin, userId: ids.consultant, disabled: true })).toEqual({
      ok: false,
      code: "forbidden",
    });
  });

  it("a language change is stored and audited once; the same language again writes nothing; a bad one is refused", async () => {
    const a = db().t.auditLog;
    const entries = async () =>
      db().orm.select().from(a).where(and(eq(a.action, "user.locale"), eq(a.targetId, ids.trainerA)));
    expect(await setUserLocale(db(), { userId: ids.trainerA, current: null, locale: "en" })).toEqual({ ok: true, data: { locale: "en", changed: true } });
    expect((await getUserById(db(), ids.trainerA))?.locale).toBe("en");
    expect(await setUserLocale(db(), { userId: ids.trainerA, current: "en", locale: "en" })).toEqual({ ok: true, data: { locale: "en", changed: false } });
    expect(await setUserLocale(db(), { userId: ids.trainerA, current: "en", locale: "fr" })).toMatchObject({ ok: false, code: "invalid" });
    const rows = await entries();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorUserId: ids.trainerA, tenantId: null, details: { locale: "en" } });
    expect((await getUserById(db(), ids.trainerA))?.locale).toBe("en");
  });
});
