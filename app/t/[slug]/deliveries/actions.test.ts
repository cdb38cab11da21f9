import crypto from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { setProcessDb } from "@/lib/db";
import { getOpenPauseView } from "@/lib/delivery/queries";
import { listSuppressions } from "@/lib/delivery/suppressions";
import { forEachDatabase } from "@/lib/testing/databases";
import { seedTwoTenants } from "@/lib/testing/tenants";
import { runWithTestSession } from "@/app/_server/request-context";
import { addSuppressionAction, removeSuppressionAction, resumeSendingAction } from "./actions";

// The deliveries page's actions called as the public POST endpoints they are: a trainer
// and another tenant's admin change nothing; an admin resumes, blocks and unblocks.
forEachDatabase("deliveries actions", (db) => {
  const ids = {} as Awaited<ReturnType<typeof seedTwoTenants>>;
  const as = <T,>(userId: string | null, fn: () => Promise<T>) => runWithTestSession({ userId, locale: "en" }, fn);

  beforeAll(async () => {
    setProcessDb(db());
    Object.assign(ids, await seedTwoTenants(db(), { prefix: "dlvact" }));
  });

  it("resumes a paused tenant for its admin only; a second resume says it is not paused any more", async () => {
    await db().orm.insert(db().t.sendingPauses).values({ id: crypto.randomUUID(), tenantId: ids.a, errorKind: "auth_failed", reply: "535 5.7.8 no", pausedAt: new Date() });
    expect(await as(ids.trainerA, () => resumeSendingAction(null, { tenantSlug: "dlvact-a" }))).toMatchObject({ ok: false, error: "You do not have permission to do this." });
    expect(await as(ids.adminB, () => resumeSendingAction(null, { tenantSlug: "dlvact-a" }))).toMatchObject({ ok: false, error: "Not found." });
    // B's admin resuming B leaves A paused.
    expect(await as(ids.adminB, () => resumeSendingAction(null, { tenantSlug: "dlvact-b" }))).toMatchObject({ ok: true, message: "Sending is not paused (any more)." });
    expect(await getOpenPauseView(db(), { tenantId: ids.a })).not.toBeNull();

    expect(await as(ids.adminA, () => resumeSendingAction(null, { tenantSlug: "dlvact-a" }))).toMatchObject({ ok: true, message: "Sending resumed. The waiting mails go out now." });
    expect(await getOpenPauseView(db(), { tenantId: ids.a })).toBeNull();
    expect(await as(ids.consultant, () => resumeSendingAction(null, { tenantSlug: "dlvact-a" }))).toMatchObject({ ok: true, message: "Sending is not paused (any more)." });
  });

  it("blocks an address with the form's fields, refuses a bad one with a field error, unblocks it; another tenant cannot unblock", async () => {
    const bad = await as(ids.adminA, () => addSuppressionAction(null, { tenantSlug: "dlvact-a", address: "not an address" }));
    expect(bad).toMatchObject({ ok: false, values: { address: "not an address" } });
    expect(bad.ok ? null : bad.fieldErrors?.address).toBeTruthy();
    expect(await as(ids.trainerA, () => addSuppressionAction(null, { tenantSlug: "dlvact-a", address: "x@firma.example" }))).toMatchObject({ ok: false });

    const form = new FormData();
    form.set("tenantSlug", "dlvact-a");
    form.set("address", "Weg@Firma.example");
    form.set("note", "left the company");
    expect(await as(ids.adminA, () => addSuppressionAction(null, form))).toMatchObject({ ok: true, message: "weg@firma.example is blocked: no more mails go to it." });
    // Without a note, as the form posts it when the field is left empty.
    expect(await as(ids.adminA, () => addSuppressionAction(null, { tenantSlug: "dlvact-a", address: "ohne@firma.example", note: "" }))).toMatchObject({ ok: true });
    const entry = (await listSuppressions(db(), { tenantId: ids.a })).items.find((s) => s.address === "weg@firma.example");
    expect(entry).toMatchObject({ address: "weg@firma.example", reason: "manual", detail: "left the company" });

    expect(await as(ids.adminB, () => removeSuppressionAction(null, { tenantSlug: "dlvact-b", suppressionId: entry!.id }))).toMatchObject({
      ok: false,
      error: "This address is no longer blocked.",
    });
    expect(await as(ids.adminA, () => removeSuppressionAction(null, { tenantSlug: "dlvact-a", suppressionId: "nope" }))).toMatchObject({ ok: false });
    expect((await listSuppressions(db(), { tenantId: ids.a })).items).toHaveLength(2);
    expect(await as(ids.adminA, () => removeSuppressionAction(null, { tenantSlug: "dlvact-a", suppressionId: entry!.id }))).toMatchObject({
      ok: true,
      message: "weg@firma.example will be mailed again.",
    });
    expect((await listSuppressions(db(), { tenantId: ids.a })).items.map((r) => r.address)).toEqual(["ohne@firma.example"]);
  });
});
