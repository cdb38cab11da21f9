import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { listAudit } from "../audit/log";
import { appActor, CLI_ACTOR } from "../auth/policy";
import type { Db } from "../db";
import { forEachDatabase } from "../testing/databases";
import { seedDeliveryTenant } from "../testing/delivery";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { addSuppression, listSuppressions, removeSuppression, suppressAddress } from "./suppressions";

type Status = "planned" | "sending" | "retrying" | "deferred" | "sent" | "failed" | "cancelled";

/** An outbox row (a digest row: it needs no plan or assignment). */
async function insertRow(db: Db, p: { tenantId: string; recipient: string; status: Status; at: Date }): Promise<string> {
  const id = crypto.randomUUID();
  await db.orm.insert(db.t.deliveries).values({
    id,
    tenantId: p.tenantId,
    kind: "digest",
    digestKey: `${p.recipient}|2026-W${String(10 + Math.floor(Math.random() * 40)).padStart(2, "0")}-${id.slice(0, 6)}`,
    recipient: p.recipient,
    dueAt: p.at,
    nextAttemptAt: p.at,
    status: p.status,
    attempts: 0,
    createdAt: p.at,
    updatedAt: p.at,
  });
  return id;
}

async function statusOf(db: Db, id: string) {
  const [row] = await db.orm
    .select({ status: db.t.deliveries.status, cancelReason: db.t.deliveries.cancelReason })
    .from(db.t.deliveries)
    .where(eq(db.t.deliveries.id, id));
  return row;
}

forEachDatabase("suppressions", (getDb) => {
  let t: TwoTenants;
  const now = new Date("2026-11-30T08:00:00Z");

  beforeAll(async () => {
    const db = getDb();
    t = await seedTwoTenants(db, { prefix: "supp" });
  });

  it("a bounce suppresses the address and cancels exactly the tenant's pending rows to it", async () => {
    const db = getDb();
    const addr = "gone@learners.example";
    const rows = {
      planned: await insertRow(db, { tenantId: t.a, recipient: addr, status: "planned", at: now }),
      retrying: await insertRow(db, { tenantId: t.a, recipient: addr, status: "retrying", at: now }),
      deferred: await insertRow(db, { tenantId: t.a, recipient: addr, status: "deferred", at: now }),
      sending: await insertRow(db, { tenantId: t.a, recipient: addr, status: "sending", at: now }),
      sent: await insertRow(db, { tenantId: t.a, recipient: addr, status: "sent", at: now }),
      failed: await insertRow(db, { tenantId: t.a, recipient: addr, status: "failed", at: now }),
      otherAddress: await insertRow(db, { tenantId: t.a, recipient: "stays@learners.example", status: "planned", at: now }),
      otherTenant: await insertRow(db, { tenantId: t.b, recipient: addr, status: "planned", at: now }),
    };
    const first = await db.transaction((tx) =>
      suppressAddress(tx, { tenantId: t.a, address: "Gone@Learners.example", reason: "bounce", detail: "550 5.1.1 User unknown", deliveryId: rows.failed, actorUserId: null, now }),
    );
    expect(first).toMatchObject({ created: true, cancelled: 3 });
    for (const k of ["planned", "retrying", "deferred"] as const) expect(await statusOf(db, rows[k])).toEqual({ status: "cancelled", cancelReason: "suppressed" });
    expect((await statusOf(db, rows.sending))!.status).toBe("sending");
    expect((await statusOf(db, rows.sent))!.status).toBe("sent");
    expect((await statusOf(db, rows.failed))!.status).toBe("failed");
    expect((await statusOf(db, rows.otherAddress))!.status).toBe("planned");
    expect((await statusOf(db, rows.otherTenant))!.status).toBe("planned");

    // Idempotent: the first entry (and its reason) stays.
    const again = await db.transaction((tx) =>
      suppressAddress(tx, { tenantId: t.a, address: addr, reason: "manual", detail: null, deliveryId: null, actorUserId: t.adminA, now }),
    );
    expect(again).toEqual({ id: first.id, created: false, cancelled: 0 });
    const list = await listSuppressions(db, { tenantId: t.a });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ address: addr, reason: "bounce", detail: "550 5.1.1 User unknown", deliveryId: rows.failed });
    expect((await listSuppressions(db, { tenantId: t.b })).items).toHaveLength(0);
  });

  it("adding by hand: validated with the form's schema, only for deliveries.manage, audited once", async () => {
    const db = getDb();
    const admin = appActor({ id: t.adminA, role: "admin" });
    const bad = await addSuppression(db, { actor: admin, tenantId: t.a, input: { address: "not an address" }, now });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.code).toBe("invalid");
      expect(bad.fieldErrors?.address?.en).toMatch(/valid e-mail/);
    }
    const trainer = await addSuppression(db, { actor: appActor({ id: t.trainerA, role: "trainer" }), tenantId: t.a, input: { address: "x@y.example" }, now });
    expect(trainer).toEqual({ ok: false, code: "forbidden" });

    const row = await insertRow(db, { tenantId: t.a, recipient: "manual@learners.example", status: "planned", at: now });
    const added = await addSuppression(db, { actor: admin, tenantId: t.a, input: { address: " Manual@Learners.example ", note: "Left the company" }, now });
    expect(added.ok && added.data).toMatchObject({ created: true, cancelled: 1 });
    expect(await statusOf(db, row)).toEqual({ status: "cancelled", cancelReason: "suppressed" });
    const twice = await addSuppression(db, { actor: admin, tenantId: t.a, input: { address: "manual@learners.example", note: "" }, now });
    expect(twice.ok && twice.data.created).toBe(false);
    const audit = await listAudit(db, { tenantId: t.a, action: "suppression.add" });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ address: "manual@learners.example", note: "Left the company" });
  });

  it("removing: another tenant's entry is not found; the own one goes, audited", async () => {
    const db = getDb();
    const { items } = await listSuppressions(db, { tenantId: t.a });
    const entry = items.find((i) => i.address === "manual@learners.example")!;
    const adminB = appActor({ id: t.adminB, role: "admin" });
    expect(await removeSuppression(db, { actor: adminB, tenantId: t.b, id: entry.id, now })).toEqual({ ok: false, code: "notFound" });
    expect(await removeSuppression(db, { actor: appActor({ id: t.trainerA, role: "trainer" }), tenantId: t.a, id: entry.id, now })).toEqual({ ok: false, code: "forbidden" });
    const removed = await removeSuppression(db, { actor: CLI_ACTOR, tenantId: t.a, id: entry.id, now });
    expect(removed.ok && removed.data.address).toBe("manual@learners.example");
    expect((await listSuppressions(db, { tenantId: t.a })).items.map((i) => i.address)).toEqual(["gone@learners.example"]);
    const audit = await listAudit(db, { tenantId: t.a, action: "suppression.remove" });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ address: "manual@learners.example", reason: "manual", via: "cli" });
    expect(await removeSuppression(db, { actor: CLI_ACTOR, tenantId: t.a, id: entry.id, now })).toEqual({ ok: false, code: "notFound" });
  });

  it("lists newest first, paged", async () => {
    const db = getDb();
    for (let i = 0; i < 5; i++) {
      await db.transaction((tx) =>
        suppressAddress(tx, { tenantId: t.b, address: `p${i}@learners.example`, reason: "manual", detail: null, deliveryId: null, actorUserId: null, now: new Date(now.getTime() + i * 1000) }),
      );
    }
    const first = await listSuppressions(db, { tenantId: t.b, limit: 2 });
    const second = await listSuppressions(db, { tenantId: t.b, limit: 2, cursor: first.nextCursor });
    const third = await listSuppressions(db, { tenantId: t.b, limit: 2, cursor: second.nextCursor });
    expect([...first.items, ...second.items, ...third.items].map((i) => i.address)).toEqual(["p4", "p3", "p2", "p1", "p0"].map((p) => `${p}@learners.example`));
    expect(third.nextCursor).toBeNull();
  });

  it("removing a bounced address brings the learner's cancelled reminder back (re-planned)", async () => {
    const db = getDb();
    // Platform sender, one plan with one reminder two days ahead; the relay is never used here.
    const tenant = await seedDeliveryTenant(db, { slug: "supp-replan", relayPort: 2525, dueAt: new Date(now.getTime() + 2 * 86_400_000), now });
    const [planned] = await tenant.addLearners(1);
    expect(await statusOf(db, planned!.id)).toEqual({ status: "planned", cancelReason: null });

    const added = await addSuppression(db, { actor: CLI_ACTOR, tenantId: tenant.tenantId, input: { address: planned!.recipient }, now });
    if (!added.ok) throw new Error(added.code);
    expect(await statusOf(db, planned!.id)).toEqual({ status: "cancelled", cancelReason: "suppressed" });

    const removed = await removeSuppression(db, { actor: CLI_ACTOR, tenantId: tenant.tenantId, id: added.data.id, now });
    expect(removed).toEqual({ ok: true, data: { address: planned!.recipient, replanned: 1 } });
    expect(await statusOf(db, planned!.id)).toEqual({ status: "planned", cancelReason: null });
  });
});
