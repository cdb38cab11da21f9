import { beforeAll, expect, it } from "vitest";
import { setProcessDb } from "@/lib/db";
import { forEachDatabase } from "@/lib/testing/databases";
import { findUserByEmail, getUserById, listTenantUsers } from "@/lib/users/queries";
import { listAudit } from "@/lib/audit/log";
import { runWithTestSession } from "@/app/_server/request-context";
import { createTenantUserAction, setTenantUserDisabledAction } from "./actions";
import { seedTwoTenants } from "@/lib/testing/tenants";

// Server actions are public POST endpoints: called directly as functions, they must
// refuse a missing session, a session of another tenant and a role that may not.
forEachDatabase("tenant user actions", (db) => {
  const ids = {} as Record<"a" | "adminA" | "trainerA" | "adminB", string>;
  const input = (slug: string, email: string) => ({
    tenantSlug: slug,
    email,
    name: "New",
    role: "trainer",
    password: "a-long-password",
  });

  beforeAll(async () => {
    setProcessDb(db());
    Object.assign(ids, await seedTwoTenants(db(), { prefix: "act", a: { timezone: "UTC" } }));
  });

  it("refuses a call without a session and changes nothing", async () => {
    const result = await runWithTestSession({ userId: null, locale: "en" }, () =>
      createTenantUserAction(null, input("act-a", "nosession@example.com")),
    );
    expect(result).toEqual({ ok: false, error: "You are no longer signed in. Please sign in again." });
    expect(await findUserByEmail(db(), "nosession@example.com")).toBeUndefined();
  });

  it("refuses an admin of another tenant as 'not found' and changes nothing", async () => {
    const result = await runWithTestSession({ userId: ids.adminB, locale: "de" }, () =>
      createTenantUserAction(null, input("act-a", "intruder@example.com")),
    );
    expect(result).toMatchObject({ ok: false, error: "Nicht gefunden." });
    expect(await findUserByEmail(db(), "intruder@example.com")).toBeUndefined();

    const disable = await runWithTestSession({ userId: ids.adminB, locale: "en" }, () =>
      setTenantUserDisabledAction(null, { tenantSlug: "act-a", userId: ids.trainerA, disabled: "true" }),
    );
    expect(disable).toMatchObject({ ok: false });
    expect((await getUserById(db(), ids.trainerA))?.disabledAt).toBeNull();
  });

  it("refuses an admin who names their own tenant but another tenant's user id", async () => {
    const result = await runWithTestSession({ userId: ids.adminA, locale: "en" }, () =>
      setTenantUserDisabledAction(null, { tenantSlug: "act-a", userId: ids.adminB, disabled: "true" }),
    );
    expect(result).toMatchObject({ ok: false, error: "Not found" });
    expect((await getUserById(db(), ids.adminB))?.disabledAt).toBeNull();
  });

  it("refuses a trainer", async () => {
    const result = await runWithTestSession({ userId: ids.trainerA, locale: "en" }, () =>
      createTenantUserAction(null, input("act-a", "bytrainer@example.com")),
    );
    expect(result).toEqual({ ok: false, error: "You do not have permission to do this." });
    expect(await findUserByEmail(db(), "bytrainer@example.com")).toBeUndefined();
  });

  it("returns field messages in the user's language for bad input and saves nothing", async () => {
    const before = (await listTenantUsers(db(), { tenantId: ids.a })).length;
    const result = await runWithTestSession({ userId: ids.adminA, locale: "de" }, () =>
      createTenantUserAction(null, { tenantSlug: "act-a", email: "no-at", role: "consultant", password: "short" }),
    );
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: {
        email: "Bitte eine gültige E-Mail-Adresse eingeben.",
        role: "Bitte eine der angebotenen Möglichkeiten wählen.",
        password: "Das Passwort braucht mindestens 12 Zeichen.",
      },
    });
    expect(result.ok === false && result.values).toEqual({ tenantSlug: "act-a", email: "no-at", role: "consultant" });
    expect((await listTenantUsers(db(), { tenantId: ids.a })).length).toBe(before);
  });

  it("lets the tenant's admin create a trainer, audited without the password", async () => {
    const result = await runWithTestSession({ userId: ids.adminA, locale: "en" }, () =>
      createTenantUserAction(null, input("act-a", "fresh@example.com")),
    );
    expect(result).toMatchObject({ ok: true, message: "fresh@example.com was created and can sign in now." });
    expect((await findUserByEmail(db(), "fresh@example.com"))?.role).toBe("trainer");
    const [entry] = await listAudit(db(), { tenantId: ids.a, action: "user.create" });
    expect(entry?.actorUserId).toBe(ids.adminA);
    expect(JSON.stringify(entry)).not.toContain("a-long-password");
  });
});
