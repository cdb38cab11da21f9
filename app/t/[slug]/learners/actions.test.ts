import crypto from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { listAudit } from "@/lib/audit/log";
import { appActor, CLI_ACTOR } from "@/lib/auth/policy";
import { setProcessDb, type Db } from "@/lib/db";
import { findAssignment, getLearnerDetail } from "@/lib/learners/queries";
import { applyLearnerRows, putAssignment, putLearner, putTraining } from "@/lib/learners/service";
import { saveTraining } from "@/lib/reminders/service";
import { forEachDatabase } from "@/lib/testing/databases";
import { seedTwoTenants } from "@/lib/testing/tenants";
import { runWithTestSession } from "@/app/_server/request-context";
import { completeAssignmentAction, setLearnerActiveAction, withdrawAssignmentAction } from "./actions";

const DAY = 86_400_000;

/** A learner with two open assignments in a tenant, and `planned` reminders for each. */
async function seedLearner(db: Db, tenant: { id: string; timezone: string }, tag: string) {
  const now = new Date();
  const ref = { id: tenant.id, timezone: tenant.timezone };
  for (const training of ["privacy", "safety"]) {
    const put = await putTraining(db, { tenant: ref, actor: CLI_ACTOR, externalId: `${training}-${tag}`, input: { name: `Training ${training} ${tag}` } });
    expect(put.ok).toBe(true);
  }
  const learner = await putLearner(db, {
    tenant: ref,
    actor: CLI_ACTOR,
    externalId: `learner-${tag}`,
    input: { email: `learner-${tag}@example.com`, firstName: "Lena", lastName: `Lerner ${tag}` },
  });
  expect(learner.ok).toBe(true);
  for (const training of ["privacy", "safety"]) {
    const assigned = await putAssignment(db, {
      tenant: ref,
      actor: CLI_ACTOR,
      learnerExternalId: `learner-${tag}`,
      trainingExternalId: `${training}-${tag}`,
      input: { assignedAt: new Date(now.getTime() - DAY).toISOString(), dueAt: new Date(now.getTime() + 20 * DAY).toISOString() },
    });
    expect(assigned.ok).toBe(true);
  }
  const detail = (await getLearnerDetail(db, { tenantId: tenant.id, externalId: `learner-${tag}`, now }))!;
  // The outbox rows the worker would send later: two pending per assignment, one already sent.
  for (const [n, training] of ["privacy", "safety"].entries()) {
    const row = (await findAssignment(db, { tenantId: tenant.id, learnerExternalId: `learner-${tag}`, trainingExternalId: `${training}-${tag}` }))!;
    for (const [occurrence, status] of (["planned", "retrying", "sent"] as const).entries()) {
      await db.orm.insert(db.t.deliveries).values({
        id: crypto.randomUUID(),
        tenantId: tenant.id,
        kind: "reminder",
        planId: null,
        assignmentId: row.id,
        learnerId: detail.id,
        occurrence: occurrence + n * 10,
        digestKey: null,
        recipient: detail.email,
        dueAt: new Date(now.getTime() + (occurrence + 1) * DAY),
        status,
        cancelReason: null,
        attempts: status === "sent" ? 1 : 0,
        sentAt: status === "sent" ? now : null,
      });
    }
  }
  return detail;
}

// Server actions are public POST endpoints: called directly as functions, they must
// refuse a trainer, another tenant and another tenant's learner, and do what they say.
forEachDatabase("learner actions", (db) => {
  const ids = {} as Record<"a" | "b" | "adminA" | "trainerA" | "adminB" | "consultant", string>;
  let learnerA: { id: string; externalId: string };
  let learnerB: { id: string; externalId: string };
  const privacyA = "privacy-a";

  const detail = (tenantId: string, id: string) => getLearnerDetail(db(), { tenantId, id, now: new Date() });
  const assignmentOf = async (tenantId: string, id: string, training: string) =>
    (await detail(tenantId, id))!.assignments.find((a) => a.trainingExternalId === training || a.trainingName === training)!;
  const statusOf = async (tenantId: string, id: string, training: string) => (await assignmentOf(tenantId, id, training)).status;
  /** The form's fields for an assignment of learner A (what the page renders as hidden inputs). */
  const formA = async (training: string) => ({ tenantSlug: "lrn-a", learnerId: learnerA.id, assignmentId: (await assignmentOf(ids.a, learnerA.id, training)).id });

  beforeAll(async () => {
    setProcessDb(db());
    Object.assign(ids, await seedTwoTenants(db(), { prefix: "lrn", a: { timezone: "Europe/Berlin" } }));
    learnerA = await seedLearner(db(), { id: ids.a, timezone: "Europe/Berlin" }, "a");
    learnerB = await seedLearner(db(), { id: ids.b, timezone: "UTC" }, "b");
  });

  it("refuses a trainer: the list is theirs to read, not to change", async () => {
    const as = (fn: () => Promise<unknown>) => runWithTestSession({ userId: ids.trainerA, locale: "en" }, fn as () => Promise<never>);
    const forbidden = { ok: false, error: "You do not have permission to do this." };
    const form = await formA(privacyA);
    expect(await as(() => withdrawAssignmentAction(null, form))).toEqual(forbidden);
    expect(await as(() => completeAssignmentAction(null, form))).toEqual(forbidden);
    expect(await as(() => setLearnerActiveAction(null, { tenantSlug: "lrn-a", learnerId: learnerA.id, active: "false" }))).toEqual(forbidden);
    expect(await statusOf(ids.a, learnerA.id, privacyA)).toBe("open");
    expect((await detail(ids.a, learnerA.id))?.active).toBe(true);
  });

  it("refuses another tenant's admin, and an admin naming another tenant's learner, as 'not found'", async () => {
    const form = await formA(privacyA);
    const intruder = await runWithTestSession({ userId: ids.adminB, locale: "de" }, () => withdrawAssignmentAction(null, form));
    expect(intruder).toMatchObject({ ok: false, error: "Nicht gefunden." });
    expect(await statusOf(ids.a, learnerA.id, privacyA)).toBe("open");

    // Own tenant in the form, the other tenant's learner or assignment id: the same answer, nothing changes there.
    const privacyB = (await assignmentOf(ids.b, learnerB.id, "privacy-b")).id;
    for (const call of [
      () => withdrawAssignmentAction(null, { tenantSlug: "lrn-a", learnerId: learnerB.id, assignmentId: privacyB }),
      () => completeAssignmentAction(null, { tenantSlug: "lrn-a", learnerId: learnerB.id, assignmentId: privacyB }),
      () => withdrawAssignmentAction(null, { ...form, assignmentId: privacyB }),
      () => completeAssignmentAction(null, { ...form, assignmentId: privacyB }),
      () => completeAssignmentAction(null, { ...form, assignmentId: crypto.randomUUID() }),
      () => setLearnerActiveAction(null, { tenantSlug: "lrn-a", learnerId: learnerB.id, active: "false" }),
    ]) {
      const result = await runWithTestSession({ userId: ids.adminA, locale: "en" }, call);
      expect(result).toMatchObject({ ok: false, error: "Not found." });
    }
    expect(await statusOf(ids.b, learnerB.id, "privacy-b")).toBe("open");
    expect((await detail(ids.b, learnerB.id))?.active).toBe(true);
    expect(await listAudit(db(), { tenantId: ids.b, action: "assignment.withdraw" })).toEqual([]);
    expect(await listAudit(db(), { tenantId: ids.b, action: "assignment.complete" })).toEqual([]);
  });

  it("answers bad input with field messages and changes nothing", async () => {
    const result = await runWithTestSession({ userId: ids.adminA, locale: "en" }, () =>
      setLearnerActiveAction(null, { tenantSlug: "lrn-a", learnerId: "not-an-id", active: "maybe" }),
    );
    expect(result).toMatchObject({ ok: false, fieldErrors: { learnerId: expect.any(String), active: expect.any(String) } });
    expect((await detail(ids.a, learnerA.id))?.active).toBe(true);
  });

  it("withdraws an assignment for the tenant's admin, stops its pending reminders and says how many", async () => {
    const form = await formA(privacyA);
    const result = await runWithTestSession({ userId: ids.adminA, locale: "en" }, () => withdrawAssignmentAction(null, form));
    expect(result).toEqual({
      ok: true,
      data: { id: learnerA.id },
      message: "The assignment “Training privacy a” is withdrawn. 2 pending reminders were stopped.",
    });
    const after = (await detail(ids.a, learnerA.id))!;
    const privacy = after.assignments.find((a) => a.trainingExternalId === privacyA)!;
    expect(privacy.status).toBe("withdrawn");
    expect(privacy.withdrawnAt).toBeInstanceOf(Date);
    // The other assignment's reminders still wait; the sent one stays sent.
    const statuses = after.deliveries.map((d) => `${d.status}:${d.cancelReason ?? ""}`).sort();
    expect(statuses).toEqual(["cancelled:withdrawn", "cancelled:withdrawn", "planned:", "retrying:", "sent:", "sent:"]);
    expect(await listAudit(db(), { tenantId: ids.a, action: "assignment.withdraw" })).toHaveLength(1);

    const again = await runWithTestSession({ userId: ids.adminA, locale: "de" }, () => withdrawAssignmentAction(null, form));
    expect(again).toMatchObject({ ok: true, message: "Die Zuweisung „Training privacy a“ war bereits zurückgezogen; nichts geändert." });
  });

  it("marks an assignment completed today for a consultant, stopping its reminders", async () => {
    const form = await formA("safety-a");
    const result = await runWithTestSession({ userId: ids.consultant, locale: "de" }, () => completeAssignmentAction(null, form));
    expect(result).toMatchObject({
      ok: true,
      message: "„Training safety a“ ist als heute abgeschlossen vermerkt. 2 wartende Erinnerungen wurden gestoppt.",
    });
    const safety = (await detail(ids.a, learnerA.id))!.assignments.find((a) => a.trainingExternalId === "safety-a")!;
    expect(safety.status).toBe("completed");
    expect(Math.abs(safety.completedAt!.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("completes and withdraws assignments to trainings without an external id (created in the app, assigned by the import)", async () => {
    const now = new Date();
    const admin = appActor({ id: ids.adminA, role: "admin" });
    const trainings: string[] = [];
    for (const name of ["Fire drill", "First aid"]) {
      const saved = await saveTraining(db(), { tenant: { id: ids.a, timezone: "Europe/Berlin" }, actor: admin, input: { name, externalId: "", linkUrl: "" } });
      if (!saved.ok) throw new Error(saved.code);
      trainings.push(saved.data.id);
    }
    const row = { ...learnerA, email: "learner-a@example.com", firstName: "Lena", lastName: "Lerner a", locale: null, responsibleName: null, responsibleEmail: null, active: true };
    await db().transaction((tx) =>
      applyLearnerRows(tx, { tenantId: ids.a, rows: trainings.map((trainingId) => ({ learner: row, assignment: { trainingId, assignedAt: now, dueAt: null } })), now }),
    );
    for (const name of ["Fire drill", "First aid"]) {
      const a = await assignmentOf(ids.a, learnerA.id, name);
      expect(a).toMatchObject({ trainingExternalId: null, status: "open" });
      await db().orm.insert(db().t.deliveries).values({
        id: crypto.randomUUID(),
        tenantId: ids.a,
        kind: "reminder",
        assignmentId: a.id,
        learnerId: learnerA.id,
        occurrence: 0,
        recipient: "learner-a@example.com",
        dueAt: new Date(now.getTime() + DAY),
        status: "planned",
        attempts: 0,
      });
    }

    const completed = await runWithTestSession({ userId: ids.adminA, locale: "en" }, async () => completeAssignmentAction(null, await formA("Fire drill")));
    expect(completed).toMatchObject({ ok: true, message: "“Fire drill” is recorded as completed today. 1 pending reminder was stopped." });
    expect(await statusOf(ids.a, learnerA.id, "Fire drill")).toBe("completed");

    const withdrawn = await runWithTestSession({ userId: ids.adminA, locale: "de" }, async () => withdrawAssignmentAction(null, await formA("First aid")));
    expect(withdrawn).toMatchObject({ ok: true, message: "Die Zuweisung „First aid“ ist zurückgezogen. 1 wartende Erinnerung wurde gestoppt." });
    expect(await statusOf(ids.a, learnerA.id, "First aid")).toBe("withdrawn");

    const audit = await listAudit(db(), { tenantId: ids.a, limit: 50 });
    const ours = (id: string) => audit.filter((e) => e.targetId === id).map((e) => [e.action, (e.details as { trainingExternalId: unknown }).trainingExternalId]);
    expect(ours((await assignmentOf(ids.a, learnerA.id, "Fire drill")).id)).toEqual([["assignment.complete", null]]);
    expect(ours((await assignmentOf(ids.a, learnerA.id, "First aid")).id)).toEqual([["assignment.withdraw", null]]);
  });

  it("deactivates and reactivates a learner; nothing was left to stop", async () => {
    const off = await runWithTestSession({ userId: ids.adminA, locale: "en" }, () =>
      setLearnerActiveAction(null, { tenantSlug: "lrn-a", learnerId: learnerA.id, active: "false" }),
    );
    expect(off).toMatchObject({ ok: true, message: "Lena Lerner a is inactive now. No reminder was waiting." });
    expect((await detail(ids.a, learnerA.id))?.active).toBe(false);

    const on = await runWithTestSession({ userId: ids.adminA, locale: "en" }, () =>
      setLearnerActiveAction(null, { tenantSlug: "lrn-a", learnerId: learnerA.id, active: "true" }),
    );
    expect(on).toMatchObject({ ok: true, message: "Lena Lerner a is active again." });
    expect((await detail(ids.a, learnerA.id))?.active).toBe(true);
  });

  it("deactivating a learner with waiting reminders stops all of them", async () => {
    const result = await runWithTestSession({ userId: ids.adminB, locale: "en" }, () =>
      setLearnerActiveAction(null, { tenantSlug: "lrn-b", learnerId: learnerB.id, active: "false" }),
    );
    expect(result).toMatchObject({ ok: true, message: "Lena Lerner b is inactive now. 4 pending reminders were stopped." });
    const reasons = (await detail(ids.b, learnerB.id))!.deliveries.map((d) => d.cancelReason).filter(Boolean);
    expect(reasons).toEqual(["learner_inactive", "learner_inactive", "learner_inactive", "learner_inactive"]);
  });
});
