import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../audit/log";
import { apiActor, appActor, CLI_ACTOR, type UseCaseActor } from "../auth/policy";
import type { Db } from "../db";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { getLearner, getLearnerDetail } from "./queries";
import { saveTraining } from "../reminders/service";
import {
  applyLearnerRows,
  closeAssignment,
  putAssignment,
  putLearner,
  putTraining,
  recordCompletion,
  setLearnerActive,
  upsertLearnerBatch,
  withdrawAssignment,
} from "./service";

const now = new Date("2026-12-01T09:00:00Z");
const later = new Date("2026-12-02T09:00:00Z");

const anna = { email: "Anna.Berg@Example.com", firstName: "Anna", lastName: "Berg" };

type Status = "planned" | "sending" | "retrying" | "deferred" | "sent" | "failed" | "cancelled";

/** Outbox rows as the planner (issue 11) would write them, one per status. */
async function seedDeliveries(db: Db, p: { tenantId: string; assignmentId: string; learnerId: string | null; statuses: Status[] }) {
  await db.orm.insert(db.t.deliveries).values(
    p.statuses.map((status, i) => ({
      id: crypto.randomUUID(),
      tenantId: p.tenantId,
      kind: "reminder" as const,
      planId: null,
      assignmentId: p.assignmentId,
      learnerId: p.learnerId,
      occurrence: i,
      recipient: "x@example.com",
      dueAt: new Date(now.getTime() + i * 86_400_000),
      status,
      attempts: status === "sent" ? 1 : 0,
      createdAt: now,
      updatedAt: now,
    })),
  );
}

async function deliveryStatuses(db: Db, assignmentId: string) {
  const d = db.t.deliveries;
  const rows = await db.orm
    .select({ occurrence: d.occurrence, status: d.status, cancelReason: d.cancelReason })
    .from(d)
    .where(eq(d.assignmentId, assignmentId))
    .orderBy(d.occurrence);
  return rows.map((r) => `${r.status}${r.cancelReason ? `:${r.cancelReason}` : ""}`);
}

async function assignmentId(db: Db, tenantId: string, learnerExt: string, trainingExt: string) {
  const a = db.t.assignments;
  const l = db.t.learners;
  const t = db.t.trainings;
  const [row] = await db.orm
    .select({ id: a.id })
    .from(a)
    .innerJoin(l, eq(l.id, a.learnerId))
    .innerJoin(t, eq(t.id, a.trainingId))
    .where(and(eq(a.tenantId, tenantId), eq(l.externalId, learnerExt), eq(t.externalId, trainingExt)));
  return row!.id;
}

const ALL: Status[] = ["planned", "retrying", "deferred", "sending", "sent", "failed"];
const STOPPED = (reason: string) => [`cancelled:${reason}`, `cancelled:${reason}`, `cancelled:${reason}`, "sending", "sent", "failed"];

forEachDatabase("learner use cases", (db) => {
  let ids: TwoTenants;
  let tenantA: { id: string; timezone: string };
  let tenantB: { id: string; timezone: string };
  let admin: UseCaseActor;
  const api = apiActor({ id: "key-1" });

  beforeAll(async () => {
    ids = await seedTwoTenants(db(), { prefix: "lrn" });
    tenantA = { id: ids.a, timezone: "Europe/Berlin" };
    tenantB = { id: ids.b, timezone: "UTC" };
    admin = appActor({ id: ids.adminA, role: "admin" });
    for (const ext of ["FS", "GDPR"]) {
      const t = await putTraining(db(), { tenant: tenantA, actor: api, externalId: ext, input: { name: `Training ${ext}` }, now });
      if (!t.ok) throw new Error(t.code);
    }
  });

  it("refuses a trainer", async () => {
    const trainer = appActor({ id: ids.trainerA, role: "trainer" });
    expect(await putLearner(db(), { tenant: tenantA, actor: trainer, externalId: "L", input: anna, now })).toEqual({ ok: false, code: "forbidden" });
    expect(await upsertLearnerBatch(db(), { tenant: tenantA, actor: trainer, input: { learners: [] }, now })).toEqual({ ok: false, code: "forbidden" });
  });

  it("PUT of a training: created, then unchanged (no second audit entry), then changed", async () => {
    const first = await putTraining(db(), { tenant: tenantA, actor: api, externalId: "T1", input: { name: "Fire", link: "https://lms.example/fire" }, now });
    expect(first).toMatchObject({ ok: true, data: { created: true, changed: true, training: { externalId: "T1", name: "Fire", link: "https://lms.example/fire" } } });
    const again = await putTraining(db(), { tenant: tenantA, actor: api, externalId: "T1", input: { name: "Fire", link: "https://lms.example/fire" }, now: later });
    expect(again).toMatchObject({ ok: true, data: { created: false, changed: false, training: { updatedAt: now } } });
    const renamed = await putTraining(db(), { tenant: tenantA, actor: api, externalId: "T1", input: { name: "Fire safety" }, now: later });
    expect(renamed).toMatchObject({ ok: true, data: { created: false, changed: true, training: { name: "Fire safety", link: null, updatedAt: later } } });
    const audit = (await listAudit(db(), { tenantId: ids.a, action: "training.put", limit: 100 })).filter((e) => (e.details as { externalId: string }).externalId === "T1");
    expect(audit).toHaveLength(2);
    expect(audit.map((e) => e.details)).toContainEqual(expect.objectContaining({ via: "api", created: true, name: "Fire" }));
  });

  it("PUT of a learner is idempotent: created, unchanged, changed; e-mail lower-cased, searchText written", async () => {
    const first = await putLearner(db(), { tenant: tenantA, actor: admin, externalId: "L-1", input: anna, now });
    expect(first).toMatchObject({
      ok: true,
      data: { created: true, changed: true, learner: { externalId: "L-1", email: "anna.berg@example.com", active: true, locale: null, createdAt: now } },
    });
    const same = await putLearner(db(), { tenant: tenantA, actor: admin, externalId: "L-1", input: anna, now: later });
    expect(same).toMatchObject({ ok: true, data: { created: false, changed: false, learner: { updatedAt: now } } });
    const changed = await putLearner(db(), { tenant: tenantA, actor: admin, externalId: "L-1", input: { ...anna, locale: "en" }, now: later });
    expect(changed).toMatchObject({ ok: true, data: { created: false, changed: true, learner: { locale: "en", updatedAt: later, createdAt: now } } });
    const audit = (await listAudit(db(), { tenantId: ids.a, action: "learner.put", limit: 100 })).filter((e) => (e.details as { externalId: string }).externalId === "L-1");
    expect(audit.map((e) => (e.details as { created: boolean }).created).sort()).toEqual([false, true]);
    const l = db().t.learners;
    const [row] = await db().orm.select({ searchText: l.searchText }).from(l).where(eq(l.externalId, "L-1"));
    expect(row?.searchText).toBe("anna berg anna.berg@example.com");
  });

  it("stores every field exactly as sent (quotes, backslashes, emoji and umlauts survive the bulk path)", async () => {
    const input = {
      email: "zoe@example.com",
      firstName: `Zoë "Jr." O'Brien \\ 😀`,
      lastName: "Ünal-Øster",
      locale: "en",
      responsibleName: "Chef %_ Person",
      responsibleEmail: "chef@example.com",
      active: true,
    };
    const out = await putLearner(db(), { tenant: tenantA, actor: api, externalId: "L-utf", input, now });
    expect(out).toMatchObject({ ok: true, data: { created: true } });
    expect(await getLearner(db(), { tenantId: ids.a, externalId: "L-utf" })).toMatchObject({ ...input, createdAt: now, updatedAt: now });
    expect(await putLearner(db(), { tenant: tenantA, actor: api, externalId: "L-utf", input, now: later })).toMatchObject({ ok: true, data: { changed: false } });
  });

  it("invalid input and a bad external id are field errors; nothing is written", async () => {
    const bad = await putLearner(db(), { tenant: tenantA, actor: admin, externalId: "a/b", input: { ...anna, email: "nope", lastName: "" }, now });
    expect(bad).toMatchObject({ ok: false, code: "invalid" });
    expect(!bad.ok && Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["email", "externalId", "lastName"]);
    const badAssignment = await putAssignment(db(), { tenant: tenantA, actor: admin, learnerExternalId: "", trainingExternalId: "FS", input: { dueAt: "tomorrow" }, now });
    expect(!badAssignment.ok && Object.keys(badAssignment.fieldErrors ?? {}).sort()).toEqual(["assignedAt", "dueAt", "learnerExternalId"]);
    const badInput = await putLearner(db(), { tenant: tenantA, actor: admin, externalId: "L-x", input: { ...anna, email: "nope" }, now });
    expect(!badInput.ok && badInput.fieldErrors?.email?.en).toBe("Please enter a valid e-mail address.");
    const badId = await putLearner(db(), { tenant: tenantA, actor: admin, externalId: "a/b", input: anna, now });
    expect(!badId.ok && badId.fieldErrors?.externalId?.en).toContain("external ID");
    expect(await getLearner(db(), { tenantId: ids.a, externalId: "L-x" })).toBeUndefined();
  });

  it("20 parallel PUTs of one new learner: exactly one created, no error", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => putLearner(db(), { tenant: tenantA, actor: api, externalId: "L-burst", input: { ...anna, firstName: "Burst" }, now })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && r.data.created)).toHaveLength(1);
    expect(results.filter((r) => r.ok && r.data.changed)).toHaveLength(1);
    const audit = (await listAudit(db(), { tenantId: ids.a, action: "learner.put", limit: 200 })).filter((e) => (e.details as { externalId: string }).externalId === "L-burst");
    expect(audit).toHaveLength(1);
  });

  it("parallel PUTs of one new training and one new assignment, and overlapping batches in opposite order: no error, one row each", async () => {
    const trainings = await Promise.all(
      Array.from({ length: 10 }, () => putTraining(db(), { tenant: tenantA, actor: api, externalId: "T-burst", input: { name: "Burst" }, now })),
    );
    expect(trainings.map((r) => r.ok && r.data.created).filter(Boolean)).toHaveLength(1);
    await putLearner(db(), { tenant: tenantA, actor: api, externalId: "L-par", input: anna, now });
    const assignments = await Promise.all(
      Array.from({ length: 10 }, () =>
        putAssignment(db(), { tenant: tenantA, actor: api, learnerExternalId: "L-par", trainingExternalId: "T-burst", input: { assignedAt: "2026-11-01T00:00:00Z" }, now }),
      ),
    );
    expect(assignments.every((r) => r.ok)).toBe(true);
    expect(assignments.filter((r) => r.ok && r.data.created)).toHaveLength(1);

    const learners = Array.from({ length: 300 }, (_, i) => ({ externalId: `OV-${i}`, email: `ov${i}@example.com`, firstName: "Over", lastName: `Lap${i}` }));
    const batches = await Promise.all(
      [learners, [...learners].reverse(), learners.slice(100), learners.slice(0, 200).reverse()].map((list) =>
        upsertLearnerBatch(db(), { tenant: tenantA, actor: api, input: { learners: list }, now }),
      ),
    );
    expect(batches.every((b) => b.ok)).toBe(true);
    expect(batches.reduce((n, b) => n + (b.ok ? b.data.created : 0), 0)).toBe(300);
  });

  it("tenant isolation: B's external ids answer like missing ones; the same external id in B is another learner", async () => {
    const inB = await putLearner(db(), { tenant: tenantB, actor: CLI_ACTOR, externalId: "L-1", input: { ...anna, firstName: "Bea" }, now });
    expect(inB).toMatchObject({ ok: true, data: { created: true } });
    expect((await getLearner(db(), { tenantId: ids.a, externalId: "L-1" }))?.firstName).toBe("Anna");
    const assignInB = await putAssignment(db(), {
      tenant: tenantB,
      actor: CLI_ACTOR,
      learnerExternalId: "L-1",
      trainingExternalId: "FS",
      input: { assignedAt: "2026-11-01T00:00:00Z" },
      now,
    });
    expect(assignInB).toMatchObject({ ok: false, code: "notFound", fieldErrors: { trainingExternalId: { en: "This tenant has no training with this external ID." } } });
    const a = await getLearner(db(), { tenantId: ids.a, externalId: "L-1" });
    expect(await setLearnerActive(db(), { tenant: tenantB, actor: CLI_ACTOR, learnerId: a!.id, active: false, now })).toEqual({ ok: false, code: "notFound" });
    expect(await getLearnerDetail(db(), { tenantId: ids.b, id: a!.id, now })).toBeUndefined();
  });

  it("assignment: notFound for an unknown learner or training; created, unchanged, changed; re-PUT reopens a withdrawn one", async () => {
    const input = { assignedAt: "2026-11-01T08:00:00Z", dueAt: "2026-12-15T00:00:00+01:00" };
    const unknown = await putAssignment(db(), { tenant: tenantA, actor: api, learnerExternalId: "nobody", trainingExternalId: "nothing", input, now });
    expect(unknown).toMatchObject({ ok: false, code: "notFound" });
    expect(!unknown.ok && Object.keys(unknown.fieldErrors ?? {}).sort()).toEqual(["learnerExternalId", "trainingExternalId"]);

    const put = (i: Record<string, unknown>, at = now) =>
      putAssignment(db(), { tenant: tenantA, actor: api, learnerExternalId: "L-1", trainingExternalId: "FS", input: i, now: at });
    expect(await put(input)).toMatchObject({
      ok: true,
      data: { created: true, changed: true, assignment: { learnerExternalId: "L-1", trainingExternalId: "FS", dueAt: new Date("2026-12-14T23:00:00Z"), status: "open" } },
    });
    expect(await put(input)).toMatchObject({ ok: true, data: { created: false, changed: false } });
    expect(await put({ ...input, dueAt: "2026-11-30T00:00:00Z" })).toMatchObject({ ok: true, data: { changed: true, assignment: { status: "overdue" } } });

    const withdrawn = await withdrawAssignment(db(), { tenant: tenantA, actor: api, learnerExternalId: "L-1", trainingExternalId: "FS", now });
    expect(withdrawn).toEqual({ ok: true, data: { withdrawn: true, cancelledReminders: 0 } });
    expect(await withdrawAssignment(db(), { tenant: tenantA, actor: api, learnerExternalId: "L-1", trainingExternalId: "FS", now })).toEqual({
      ok: true,
      data: { withdrawn: false, cancelledReminders: 0 },
    });
    const reopened = await put({ ...input, dueAt: "2026-11-30T00:00:00Z" }, later);
    expect(reopened).toMatchObject({ ok: true, data: { changed: true, assignment: { withdrawnAt: null, status: "overdue" } } });
    expect(await withdrawAssignment(db(), { tenant: tenantA, actor: api, learnerExternalId: "L-1", trainingExternalId: "GDPR", now })).toMatchObject({
      ok: false,
      code: "notFound",
      fieldErrors: { trainingExternalId: { en: "This training is not assigned to this learner." } },
    });
  });

  describe("closing stops pending reminders in the same transaction, not sent ones", () => {
    async function setup(learnerExt: string, trainingExt = "FS") {
      await putLearner(db(), { tenant: tenantA, actor: api, externalId: learnerExt, input: { ...anna, firstName: learnerExt }, now });
      await putAssignment(db(), { tenant: tenantA, actor: api, learnerExternalId: learnerExt, trainingExternalId: trainingExt, input: { assignedAt: "2026-11-01T00:00:00Z" }, now });
      const id = await assignmentId(db(), ids.a, learnerExt, trainingExt);
      const learner = await getLearner(db(), { tenantId: ids.a, externalId: learnerExt });
      return { id, learnerId: learner!.id };
    }

    it("withdraw", async () => {
      const { id } = await setup("L-w");
      await seedDeliveries(db(), { tenantId: ids.a, assignmentId: id, learnerId: null, statuses: ALL });
      const out = await withdrawAssignment(db(), { tenant: tenantA, actor: api, learnerExternalId: "L-w", trainingExternalId: "FS", now });
      expect(out).toEqual({ ok: true, data: { withdrawn: true, cancelledReminders: 3 } });
      expect(await deliveryStatuses(db(), id)).toEqual(STOPPED("withdrawn"));
      const entries = await listAudit(db(), { tenantId: ids.a, action: "assignment.withdraw", limit: 50 });
      expect(entries.filter((e) => e.targetId === id).map((e) => e.details)).toEqual([
        { learnerExternalId: "L-w", trainingExternalId: "FS", cancelledReminders: 3, via: "api", apiKeyId: "key-1" },
      ]);
    });

    it("completion; the same completion again changes nothing", async () => {
      const { id } = await setup("L-c");
      await seedDeliveries(db(), { tenantId: ids.a, assignmentId: id, learnerId: null, statuses: ALL });
      const input = { learnerExternalId: "L-c", trainingExternalId: "FS", completedAt: "2026-11-20T10:00:00Z" };
      const out = await recordCompletion(db(), { tenant: tenantA, actor: api, input, now });
      expect(out).toMatchObject({ ok: true, data: { changed: true, cancelledReminders: 3, assignment: { status: "completed", completedAt: new Date("2026-11-20T10:00:00Z") } } });
      expect(await deliveryStatuses(db(), id)).toEqual(STOPPED("completed"));
      expect(await recordCompletion(db(), { tenant: tenantA, actor: api, input, now })).toMatchObject({ ok: true, data: { changed: false, cancelledReminders: 0 } });
      expect((await listAudit(db(), { tenantId: ids.a, action: "assignment.complete", limit: 50 })).filter((e) => (e.details as { learnerExternalId: string }).learnerExternalId === "L-c")).toHaveLength(1);
      const unknown = await recordCompletion(db(), { tenant: tenantA, actor: api, input: { ...input, learnerExternalId: "ghost" }, now });
      expect(unknown).toMatchObject({ ok: false, code: "notFound", fieldErrors: { learnerExternalId: { en: "This tenant has no learner with this external ID." } } });
    });

    it("by internal id (the page): a training without external id is completed, then withdrawn; another tenant's id is notFound", async () => {
      const saved = await saveTraining(db(), { tenant: tenantA, actor: admin, input: { name: "Fire drill", externalId: "", linkUrl: "" }, now });
      if (!saved.ok) throw new Error(saved.code);
      const row = { externalId: "L-id", email: "l-id@example.com", firstName: "Ida", lastName: "Import", locale: null, responsibleName: null, responsibleEmail: null, active: true };
      await db().transaction((tx) =>
        applyLearnerRows(tx, { tenantId: ids.a, rows: [{ learner: row, assignment: { trainingId: saved.data.id, assignedAt: now, dueAt: null } }], now }),
      );
      const assignment = (await getLearnerDetail(db(), { tenantId: ids.a, externalId: "L-id", now }))!.assignments[0]!;
      expect(assignment).toMatchObject({ trainingExternalId: null, trainingName: "Fire drill", status: "open" });
      const id = assignment.id;
      await seedDeliveries(db(), { tenantId: ids.a, assignmentId: id, learnerId: null, statuses: ALL });
      const audit = async (action: string) => (await listAudit(db(), { tenantId: ids.a, action, limit: 50 })).filter((e) => e.targetId === id).map((e) => e.details);

      // Another tenant's admin naming A's assignment gets the answer of a missing one; nothing changes.
      const adminB = appActor({ id: ids.adminB, role: "admin" });
      for (const how of ["complete", "withdraw"] as const) {
        const missing = await closeAssignment(db(), { tenant: tenantB, actor: adminB, assignmentId: crypto.randomUUID(), how, now });
        expect(await closeAssignment(db(), { tenant: tenantB, actor: adminB, assignmentId: id, how, now })).toEqual(missing);
        expect(missing).toEqual({ ok: false, code: "notFound" });
      }
      const trainer = appActor({ id: ids.trainerA, role: "trainer" });
      expect(await closeAssignment(db(), { tenant: tenantA, actor: trainer, assignmentId: id, how: "withdraw", now })).toEqual({ ok: false, code: "forbidden" });
      expect(await deliveryStatuses(db(), id)).toEqual(ALL);
      expect(await listAudit(db(), { tenantId: ids.b, action: "assignment.complete" })).toEqual([]);

      const completedAt = new Date("2026-11-30T12:00:00Z");
      const done = await closeAssignment(db(), { tenant: tenantA, actor: admin, assignmentId: id, how: "complete", completedAt, now });
      expect(done).toMatchObject({ ok: true, data: { changed: true, cancelledReminders: 3, assignment: { status: "completed", completedAt, trainingExternalId: null } } });
      expect(await deliveryStatuses(db(), id)).toEqual(STOPPED("completed"));
      expect(await closeAssignment(db(), { tenant: tenantA, actor: admin, assignmentId: id, how: "complete", completedAt, now })).toMatchObject({
        ok: true,
        data: { changed: false, cancelledReminders: 0 },
      });
      expect(await audit("assignment.complete")).toEqual([
        { learnerExternalId: "L-id", trainingExternalId: null, completedAt: completedAt.toISOString(), cancelledReminders: 3 },
      ]);

      const withdrawn = await closeAssignment(db(), { tenant: tenantA, actor: admin, assignmentId: id, how: "withdraw", now: later });
      expect(withdrawn).toMatchObject({ ok: true, data: { changed: true, cancelledReminders: 0, assignment: { status: "withdrawn", withdrawnAt: later } } });
      expect((await getLearnerDetail(db(), { tenantId: ids.a, externalId: "L-id", now: later }))!.assignments[0]).toMatchObject({ status: "withdrawn" });
      expect(await closeAssignment(db(), { tenant: tenantA, actor: admin, assignmentId: id, how: "withdraw", now: later })).toMatchObject({ ok: true, data: { changed: false } });
      expect(await audit("assignment.withdraw")).toHaveLength(1);
    });

    it("deactivate (by the page, and by a PUT with active:false)", async () => {
      const one = await setup("L-d1");
      await seedDeliveries(db(), { tenantId: ids.a, assignmentId: one.id, learnerId: one.learnerId, statuses: ALL });
      const out = await setLearnerActive(db(), { tenant: tenantA, actor: admin, learnerId: one.learnerId, active: false, now });
      expect(out).toEqual({ ok: true, data: { changed: true, cancelledReminders: 3 } });
      expect(await deliveryStatuses(db(), one.id)).toEqual(STOPPED("learner_inactive"));
      expect(await setLearnerActive(db(), { tenant: tenantA, actor: admin, learnerId: one.learnerId, active: false, now })).toEqual({
        ok: true,
        data: { changed: false, cancelledReminders: 0 },
      });
      expect(await setLearnerActive(db(), { tenant: tenantA, actor: admin, learnerId: one.learnerId, active: true, now })).toEqual({
        ok: true,
        data: { changed: true, cancelledReminders: 0 },
      });
      const actions = (await listAudit(db(), { tenantId: ids.a, limit: 200 })).filter((e) => e.targetId === one.learnerId).map((e) => e.action);
      expect(actions.sort()).toEqual(["learner.activate", "learner.deactivate", "learner.put"]);

      const two = await setup("L-d2", "GDPR");
      await seedDeliveries(db(), { tenantId: ids.a, assignmentId: two.id, learnerId: null, statuses: ALL });
      const put = await putLearner(db(), { tenant: tenantA, actor: api, externalId: "L-d2", input: { ...anna, firstName: "L-d2", active: false }, now });
      expect(put).toMatchObject({ ok: true, data: { changed: true, learner: { active: false } } });
      expect(await deliveryStatuses(db(), two.id)).toEqual(STOPPED("learner_inactive"));
      // deactivatedAt: set when it turned inactive, kept while it stays so, cleared on return.
      const l = db().t.learners;
      const deactivatedAt = async () => (await db().orm.select({ at: l.deactivatedAt }).from(l).where(eq(l.id, two.learnerId)))[0]?.at;
      expect(await deactivatedAt()).toEqual(now);
      await putLearner(db(), { tenant: tenantA, actor: api, externalId: "L-d2", input: { ...anna, firstName: "L-d2b", active: false }, now: later });
      expect(await deactivatedAt()).toEqual(now);
      await putLearner(db(), { tenant: tenantA, actor: api, externalId: "L-d2", input: { ...anna, firstName: "L-d2b", active: true }, now: later });
      expect(await deactivatedAt()).toBeNull();
    });
  });

  describe("batch", () => {
    const row = (i: number, extra: Record<string, unknown> = {}) => ({
      externalId: `B-${i}`,
      email: `b${i}@example.com`,
      firstName: `First${i}`,
      lastName: `Last${i}`,
      ...extra,
    });

    it("all or none: a bad row is named by index and field, and nothing is saved", async () => {
      const learners = Array.from({ length: 6 }, (_, i) => row(i));
      learners[3] = row(3, { email: "not-an-address" });
      const out = await upsertLearnerBatch(db(), { tenant: tenantA, actor: api, input: { learners }, now });
      expect(out).toMatchObject({ ok: false, code: "invalid" });
      expect(!out.ok && Object.keys(out.fieldErrors ?? {})).toEqual(["learners.3.email"]);
      expect(await getLearner(db(), { tenantId: ids.a, externalId: "B-0" })).toBeUndefined();
    });

    it("a duplicate external id inside the batch is refused at its second place", async () => {
      const learners = Array.from({ length: 9 }, (_, i) => row(i));
      learners[7] = row(2);
      const out = await upsertLearnerBatch(db(), { tenant: tenantA, actor: api, input: { learners }, now });
      expect(out).toMatchObject({ ok: false, code: "invalid", fieldErrors: { "learners.7.externalId": { en: "This external ID already appears earlier in the list." } } });
    });

    it("created / updated / unchanged counts, one audit entry with counts only; a no-op batch writes none", async () => {
      await putLearner(db(), { tenant: tenantA, actor: api, externalId: "B-0", input: row(0), now });
      await putLearner(db(), { tenant: tenantA, actor: api, externalId: "B-1", input: row(1), now });
      const learners = Array.from({ length: 1000 }, (_, i) => (i === 1 ? row(1, { lastName: "Changed" }) : row(i)));
      const before = (await listAudit(db(), { tenantId: ids.a, action: "learner.batch", limit: 10 })).length;
      const out = await upsertLearnerBatch(db(), { tenant: tenantA, actor: api, input: { learners }, now: later });
      expect(out.ok && { created: out.data.created, updated: out.data.updated, unchanged: out.data.unchanged }).toEqual({ created: 998, updated: 1, unchanged: 1 });
      expect(out.ok && out.data.learners.slice(0, 3)).toEqual([
        { externalId: "B-0", result: "unchanged" },
        { externalId: "B-1", result: "updated" },
        { externalId: "B-2", result: "created" },
      ]);
      const entries = await listAudit(db(), { tenantId: ids.a, action: "learner.batch", limit: 10 });
      expect(entries.length).toBe(before + 1);
      expect(entries[0]?.details).toEqual({ created: 998, updated: 1, unchanged: 1, via: "api", apiKeyId: "key-1" });
      const again = await upsertLearnerBatch(db(), { tenant: tenantA, actor: api, input: { learners }, now: later });
      expect(again).toMatchObject({ ok: true, data: { created: 0, updated: 0, unchanged: 1000 } });
      expect((await listAudit(db(), { tenantId: ids.a, action: "learner.batch", limit: 10 })).length).toBe(before + 1);
    });
  });

  it("applyLearnerRows: learners with assignments, one learner over several rows, results per row", async () => {
    const t = db().t.trainings;
    const trainings = await db().orm.select({ id: t.id, externalId: t.externalId }).from(t).where(eq(t.tenantId, ids.a));
    const fs = trainings.find((x) => x.externalId === "FS")!.id;
    const gdpr = trainings.find((x) => x.externalId === "GDPR")!.id;
    const learner = (ext: string, extra: Record<string, unknown> = {}) => ({
      externalId: ext,
      email: `${ext.toLowerCase()}@example.com`,
      firstName: ext,
      lastName: "Import",
      locale: null,
      responsibleName: null,
      responsibleEmail: null,
      active: true,
      ...extra,
    });
    const assignedAt = new Date("2026-11-01T00:00:00Z");
    const run = (rows: Parameters<typeof applyLearnerRows>[1]["rows"]) =>
      db().transaction((tx) => applyLearnerRows(tx, { tenantId: ids.a, rows, now }));
    expect(
      await run([
        { learner: learner("I-1"), assignment: { trainingId: fs, assignedAt, dueAt: null } },
        { learner: learner("I-1"), assignment: { trainingId: gdpr, assignedAt, dueAt: null } },
        { learner: learner("I-2") },
      ]),
    ).toEqual(["created", "updated", "created"]);
    expect(
      await run([
        { learner: learner("I-1"), assignment: { trainingId: fs, assignedAt, dueAt: null } },
        { learner: learner("I-1"), assignment: { trainingId: gdpr, assignedAt, dueAt: new Date("2027-01-01T00:00:00Z") } },
        { learner: learner("I-2", { lastName: "Renamed" }) },
        { learner: learner("I-2", { lastName: "Renamed" }), assignment: { trainingId: fs, assignedAt, dueAt: null } },
        { learner: learner("I-4"), assignment: { trainingId: fs, assignedAt, dueAt: null } },
        { learner: learner("I-4"), assignment: { trainingId: fs, assignedAt, dueAt: null } },
      ]),
    ).toEqual(["unchanged", "updated", "updated", "updated", "created", "unchanged"]);
    const detail = await getLearnerDetail(db(), { tenantId: ids.a, externalId: "I-1", now });
    expect(detail?.assignments.map((a) => [a.trainingExternalId, a.trainingName, a.dueAt?.toISOString() ?? null])).toEqual([
      ["FS", "Training FS", null],
      ["GDPR", "Training GDPR", "2027-01-01T00:00:00.000Z"],
    ]);
    // A training of another tenant is refused and the whole chunk rolls back.
    const other = await putTraining(db(), { tenant: tenantB, actor: CLI_ACTOR, externalId: "B-T", input: { name: "B" }, now });
    const bTraining = (await db().orm.select({ id: t.id }).from(t).where(and(eq(t.tenantId, ids.b), eq(t.externalId, "B-T"))))[0]!.id;
    expect(other.ok).toBe(true);
    await expect(run([{ learner: learner("I-3") }, { learner: learner("I-3"), assignment: { trainingId: bTraining, assignedAt, dueAt: null } }])).rejects.toThrow();
    expect(await getLearner(db(), { tenantId: ids.a, externalId: "I-3" })).toBeUndefined();
  });
});
