import crypto from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { CLI_ACTOR } from "../auth/policy";
import type { Db } from "../db";
import { getLearner } from "../learners/queries";
import { applyLearnerRows, closeAssignment, putAssignment, putLearner, putTraining, recordCompletion, setLearnerActive, withdrawAssignment } from "../learners/service";
import { defaultTemplateSet } from "../reminders/defaults";
import { buildPlanPreview } from "../reminders/preview";
import { getTrainingByExternalId } from "../reminders/queries";
import { computeSchedule } from "../reminders/schedule";
import { savePlan } from "../reminders/service";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { digestKey } from "./keys";
import { LATE_GRACE_MS, PLANNING_HORIZON_MS, planAssignments, planDue, planLearners, planPlan } from "./planner";

const DAY = 86_400_000;
/** Monday 2027-03-22, 10:00 in Berlin. */
const now = new Date("2027-03-22T09:00:00Z");
const TZ = "Europe/Berlin";

type Row = Awaited<ReturnType<typeof rowsOf>>[number];

/** The outbox rows of one assignment (or of a digest recipient), by plan and occurrence. */
async function rowsOf(db: Db, p: { assignmentId?: string; tenantId?: string; kind?: "reminder" | "digest" }) {
  const d = db.t.deliveries;
  return db.orm
    .select()
    .from(d)
    .where(
      and(
        p.assignmentId ? eq(d.assignmentId, p.assignmentId) : undefined,
        p.tenantId ? eq(d.tenantId, p.tenantId) : undefined,
        p.kind ? eq(d.kind, p.kind) : undefined,
      ),
    )
    .orderBy(asc(d.planId), asc(d.occurrence), asc(d.digestKey));
}

const brief = (rows: Row[]) => rows.map((r) => `${r.occurrence}:${r.status}${r.cancelReason ? `:${r.cancelReason}` : ""}`);

function planInput(trainingId: string, extra: Record<string, unknown> = {}) {
  return {
    trainingId,
    name: "Daily",
    active: true,
    anchor: "assigned",
    offsetDays: 0,
    startDate: null,
    sendTime: "09:00",
    repeatEveryDays: 1,
    endDate: "2027-04-30",
    maxSends: 20,
    weekdaysOnly: false,
    escalateAfterSends: null,
    digestWeekday: null,
    digestTime: null,
    templates: defaultTemplateSet(),
    confirmHighRisk: true,
    ...extra,
  };
}

forEachDatabase("delivery planner", (db, dialect) => {
  let ids: TwoTenants;
  const tenant = () => ({ id: ids.a, timezone: TZ });
  let seq = 0;

  beforeAll(async () => {
    ids = await seedTwoTenants(db(), { prefix: `pln-${dialect}`, a: { timezone: TZ } });
  });

  /** A fresh training with one plan (saved through the use case, so planPlan runs) and learners assigned to it. */
  async function setup(opts: { plan?: Record<string, unknown>; learners?: number; assignedAt?: string; responsible?: string | null } = {}) {
    const n = ++seq;
    const t = `T${n}`;
    await putTraining(db(), { tenant: tenant(), actor: CLI_ACTOR, externalId: t, input: { name: `Training ${n}` }, now });
    const training = (await getTrainingByExternalId(db(), { tenantId: ids.a, externalId: t }))!;
    const assignments: { id: string; learnerId: string; externalId: string }[] = [];
    for (let i = 0; i < (opts.learners ?? 1); i++) {
      const ext = `L${n}-${i}`;
      await putLearner(db(), {
        tenant: tenant(),
        actor: CLI_ACTOR,
        externalId: ext,
        input: { email: `l${n}-${i}@example.com`, firstName: "L", lastName: `${i}`, responsibleEmail: opts.responsible ?? null },
        now,
      });
      const put = await putAssignment(db(), {
        tenant: tenant(),
        actor: CLI_ACTOR,
        learnerExternalId: ext,
        trainingExternalId: t,
        input: { assignedAt: opts.assignedAt ?? "2027-03-22T08:00:00Z" },
        now,
      });
      if (!put.ok) throw new Error(put.code);
      const learner = (await getLearner(db(), { tenantId: ids.a, externalId: ext }))!;
      const a = db().t.assignments;
      const [row] = await db().orm.select({ id: a.id }).from(a).where(and(eq(a.learnerId, learner.id), eq(a.trainingId, training.id)));
      assignments.push({ id: row!.id, learnerId: learner.id, externalId: ext });
    }
    const saved = await savePlan(db(), { tenant: tenant(), actor: CLI_ACTOR, input: planInput(training.id, opts.plan), now });
    if (!saved.ok) throw new Error(`${saved.code} ${JSON.stringify(saved)}`);
    return { t, training, planId: saved.data.id, assignments, a0: assignments[0]! };
  }

  it("savePlan plans the horizon from the one engine: one row per occurrence, dueAt = nextAttemptAt = the instant, recipient the learner", async () => {
    const s = await setup();
    const rows = await rowsOf(db(), { assignmentId: s.a0.id });
    // Assigned Monday 09:00 Berlin time (08:00 UTC); daily at 09:00; the horizon is 7 days: today's 09:00 is not before the assignment.
    const schedule = computeSchedule(
      { timezone: TZ, anchor: "assigned", offsetDays: 0, startDate: null, sendTime: "09:00", repeatEveryDays: 1, endDate: "2027-04-30", maxSends: 20, weekdaysOnly: false, escalateAfterSends: null, digestWeekday: null, digestTime: null },
      { assignedAt: new Date("2027-03-22T08:00:00Z"), dueAt: null, completedAt: null },
    );
    const expected = schedule.details.filter((d) => d.at.getTime() <= now.getTime() + PLANNING_HORIZON_MS);
    expect(expected.length).toBe(8);
    expect(rows.map((r) => [r.occurrence, r.dueAt.toISOString(), r.nextAttemptAt?.toISOString(), r.status, r.recipient, r.planId, r.learnerId, r.kind])).toEqual(
      expected.map((d) => [d.number, d.at.toISOString(), d.at.toISOString(), "planned", `l${seq}-0@example.com`, s.planId, s.a0.learnerId, "reminder"]),
    );
  });

  it("planning twice changes nothing (every entry point), not even updatedAt", async () => {
    const s = await setup({ learners: 2 });
    const before = await rowsOf(db(), { assignmentId: s.a0.id });
    const later = new Date(now.getTime() + 60_000);
    expect(await planAssignments(db(), { tenantId: ids.a, assignmentIds: s.assignments.map((a) => a.id), now: later })).toEqual({ inserted: 0, updated: 0, cancelled: 0 });
    expect(await planLearners(db(), { tenantId: ids.a, learnerIds: [s.a0.learnerId], now: later })).toEqual({ inserted: 0, updated: 0, cancelled: 0 });
    expect(await planPlan(db(), { tenantId: ids.a, planId: s.planId, now: later })).toEqual({ inserted: 0, updated: 0, cancelled: 0 });
    const due = await planDue(db(), { now: later, tenantId: ids.a });
    expect({ ...due, pairs: undefined }).toEqual({ inserted: 0, updated: 0, cancelled: 0, pairs: undefined });
    expect(due.pairs).toBeGreaterThanOrEqual(2);
    expect(await rowsOf(db(), { assignmentId: s.a0.id })).toEqual(before);
  });

  it("the horizon moves with the clock; an occurrence older than the late grace when first planned is skipped", async () => {
    // Assigned 10 days ago: occurrences 1–9 lie more than a day back and are never planned.
    const s = await setup({ assignedAt: new Date(now.getTime() - 10 * DAY).toISOString() });
    const rows = await rowsOf(db(), { assignmentId: s.a0.id });
    expect(rows.every((r) => r.dueAt.getTime() >= now.getTime() - LATE_GRACE_MS && r.dueAt.getTime() <= now.getTime() + PLANNING_HORIZON_MS)).toBe(true);
    // 09:00 on the day of the assignment was before it (10:00): reminder 1 is the next day's.
    expect(rows.map((r) => r.occurrence)).toEqual([10, 11, 12, 13, 14, 15, 16, 17]);
    const inThreeDays = new Date(now.getTime() + 3 * DAY);
    const swept = await planDue(db(), { now: inThreeDays, tenantId: ids.a });
    expect(swept.inserted).toBeGreaterThanOrEqual(3); // 18, 19, 20 (maxSends 20) of this one, and the other trainings' new days
    expect((await rowsOf(db(), { assignmentId: s.a0.id })).map((r) => r.occurrence)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it("a plan edit moves pending rows (a retrying row keeps its backoff) and cancels occurrences that no longer exist; sent, failed and sending rows stay", async () => {
    const s = await setup();
    const d = db().t.deliveries;
    const rows = await rowsOf(db(), { assignmentId: s.a0.id });
    const mark = async (occurrence: number, set: Partial<Row>) =>
      db().orm.update(d).set(set).where(and(eq(d.assignmentId, s.a0.id), eq(d.occurrence, occurrence)));
    const backoff = new Date(now.getTime() + 5 * 60_000);
    await mark(1, { status: "sent", sentAt: now, attempts: 1 });
    await mark(2, { status: "retrying", nextAttemptAt: backoff, attempts: 1 });
    await mark(3, { status: "sending", attempts: 1, leaseOwner: "w", leaseUntil: backoff });
    await mark(4, { status: "failed", attempts: 1 });
    await mark(5, { status: "deferred", nextAttemptAt: new Date(now.getTime() + DAY) });

    // 09:00 → 11:30, and at most 6 sends.
    const saved = await savePlan(db(), { tenant: tenant(), actor: CLI_ACTOR, input: { ...planInput(s.training.id, { sendTime: "11:30", maxSends: 6 }), id: s.planId }, now });
    expect(saved.ok).toBe(true);
    const after = await rowsOf(db(), { assignmentId: s.a0.id });
    expect(brief(after)).toEqual(["1:sent", "2:retrying", "3:sending", "4:failed", "5:deferred", "6:planned", "7:cancelled:plan_changed", "8:cancelled:plan_changed"]);
    const byOcc = new Map(after.map((r) => [r.occurrence, r]));
    const moved = (r: Row) => new Date(r.dueAt.getTime() + 150 * 60_000).toISOString();
    for (const n of [1, 3, 4]) expect(byOcc.get(n)!.dueAt).toEqual(rows[n - 1]!.dueAt);
    expect(byOcc.get(2)!.dueAt.toISOString()).toBe(moved(rows[1]!));
    expect(byOcc.get(2)!.nextAttemptAt).toEqual(backoff);
    expect(byOcc.get(5)!.dueAt.toISOString()).toBe(moved(rows[4]!));
    expect(byOcc.get(5)!.nextAttemptAt!.toISOString()).toBe(moved(rows[4]!));
    expect(byOcc.get(6)!.nextAttemptAt!.toISOString()).toBe(moved(rows[5]!));

    // Back to 20 sends: the cancelled occurrences come back, at the new time.
    await savePlan(db(), { tenant: tenant(), actor: CLI_ACTOR, input: { ...planInput(s.training.id, { sendTime: "11:30" }), id: s.planId }, now });
    // 8 (11:30 on the 29th) now lies beyond the horizon: it comes back when the sweep's horizon reaches it.
    expect(brief(await rowsOf(db(), { assignmentId: s.a0.id }))).toEqual(["1:sent", "2:retrying", "3:sending", "4:failed", "5:deferred", "6:planned", "7:planned", "8:cancelled:plan_changed"]);
    await planDue(db(), { now: new Date(now.getTime() + 3_600_000), tenantId: ids.a });
    expect(brief(await rowsOf(db(), { assignmentId: s.a0.id }))).toEqual(["1:sent", "2:retrying", "3:sending", "4:failed", "5:deferred", "6:planned", "7:planned", "8:planned"]);
  });

  it("deactivating a plan cancels its pending rows (plan_inactive); activating it plans them again", async () => {
    const s = await setup();
    await savePlan(db(), { tenant: tenant(), actor: CLI_ACTOR, input: { ...planInput(s.training.id, { active: false }), id: s.planId }, now });
    expect(new Set(brief(await rowsOf(db(), { assignmentId: s.a0.id })).map((b) => b.split(":").slice(1).join(":")))).toEqual(new Set(["cancelled:plan_inactive"]));
    await savePlan(db(), { tenant: tenant(), actor: CLI_ACTOR, input: { ...planInput(s.training.id), id: s.planId }, now });
    expect(new Set((await rowsOf(db(), { assignmentId: s.a0.id })).map((r) => r.status))).toEqual(new Set(["planned"]));
  });

  it("a plan moved to another training cancels the old training's rows (plan_changed) and plans the new one's", async () => {
    const s = await setup();
    const other = await setup({ plan: { active: false } });
    await savePlan(db(), { tenant: tenant(), actor: CLI_ACTOR, input: { ...planInput(other.training.id), id: s.planId }, now });
    expect(new Set((await rowsOf(db(), { assignmentId: s.a0.id })).map((r) => `${r.status}:${r.cancelReason}`))).toEqual(new Set(["cancelled:plan_changed"]));
    expect((await rowsOf(db(), { assignmentId: other.a0.id })).filter((r) => r.planId === s.planId && r.status === "planned")).toHaveLength(8);
  });

  it("completion, withdrawal and deactivation cancel with their reason; reactivation and a re-sent assignment plan again", async () => {
    const s = await setup({ learners: 3 });
    const [done, gone, away] = s.assignments as [typeof s.a0, typeof s.a0, typeof s.a0];
    await recordCompletion(db(), { tenant: tenant(), actor: CLI_ACTOR, input: { learnerExternalId: done.externalId, trainingExternalId: s.t, completedAt: now.toISOString() }, now });
    await withdrawAssignment(db(), { tenant: tenant(), actor: CLI_ACTOR, learnerExternalId: gone.externalId, trainingExternalId: s.t, now });
    await setLearnerActive(db(), { tenant: tenant(), actor: CLI_ACTOR, learnerId: away.learnerId, active: false, now });
    const reasons = async (id: string) => new Set((await rowsOf(db(), { assignmentId: id })).map((r) => `${r.status}:${r.cancelReason}`));
    expect(await reasons(done.id)).toEqual(new Set(["cancelled:completed"]));
    expect(await reasons(gone.id)).toEqual(new Set(["cancelled:withdrawn"]));
    expect(await reasons(away.id)).toEqual(new Set(["cancelled:learner_inactive"]));
    // The sweep leaves them so.
    await planDue(db(), { now, tenantId: ids.a });
    expect(await reasons(done.id)).toEqual(new Set(["cancelled:completed"]));
    expect(await reasons(away.id)).toEqual(new Set(["cancelled:learner_inactive"]));

    // Reactivated two days later: what lies more than a day back stays cancelled, the rest is planned again (fresh give-up clock).
    const twoDaysOn = new Date(now.getTime() + 2 * DAY);
    await setLearnerActive(db(), { tenant: tenant(), actor: CLI_ACTOR, learnerId: away.learnerId, active: true, now: twoDaysOn });
    const back = await rowsOf(db(), { assignmentId: away.id });
    for (const r of back) {
      const late = r.dueAt.getTime() < twoDaysOn.getTime() - LATE_GRACE_MS;
      expect([r.occurrence, r.status, r.cancelReason]).toEqual([r.occurrence, late ? "cancelled" : "planned", late ? "learner_inactive" : null]);
      if (!late) expect(r.firstAttemptAt).toBeNull();
    }
    expect(back.filter((r) => r.status === "planned").length).toBe(8);

    // The withdrawn assignment sent again by the platform.
    await putAssignment(db(), { tenant: tenant(), actor: CLI_ACTOR, learnerExternalId: gone.externalId, trainingExternalId: s.t, input: { assignedAt: "2027-03-22T08:00:00Z" }, now });
    expect(await reasons(gone.id)).toEqual(new Set(["planned:null"]));
    // A completion through the learner page works the same.
    await closeAssignment(db(), { tenant: tenant(), actor: CLI_ACTOR, assignmentId: gone.id, how: "complete", now });
    expect(await reasons(gone.id)).toEqual(new Set(["cancelled:completed"]));
  });

  it("a changed address moves the recipient of pending rows; sent ones keep theirs", async () => {
    const s = await setup();
    const d = db().t.deliveries;
    await db().orm.update(d).set({ status: "sent", sentAt: now, attempts: 1 }).where(and(eq(d.assignmentId, s.a0.id), eq(d.occurrence, 1)));
    await putLearner(db(), { tenant: tenant(), actor: CLI_ACTOR, externalId: s.a0.externalId, input: { email: "new@example.com", firstName: "L", lastName: "0" }, now });
    const rows = await rowsOf(db(), { assignmentId: s.a0.id });
    expect(rows.map((r) => r.recipient)).toEqual([`l${seq}-0@example.com`, ...Array(7).fill("new@example.com")]);
  });

  it("an unsubscribed (plan, learner) pair and a suppressed address get no rows; their pending rows are cancelled with the reason", async () => {
    const s = await setup({ learners: 2 });
    const [quiet, bounced] = s.assignments as [typeof s.a0, typeof s.a0];
    await db().orm.insert(db().t.unsubscribes).values({ id: crypto.randomUUID(), tenantId: ids.a, planId: s.planId, learnerId: quiet.learnerId, via: "one_click", createdAt: now });
    await db().orm.insert(db().t.suppressions).values({ id: crypto.randomUUID(), tenantId: ids.a, address: `l${seq}-1@example.com`, reason: "bounce", createdAt: now });
    await planLearners(db(), { tenantId: ids.a, learnerIds: [quiet.learnerId, bounced.learnerId], now });
    const reasons = async (id: string) => new Set((await rowsOf(db(), { assignmentId: id })).map((r) => `${r.status}:${r.cancelReason}`));
    expect(await reasons(quiet.id)).toEqual(new Set(["cancelled:unsubscribed"]));
    expect(await reasons(bounced.id)).toEqual(new Set(["cancelled:suppressed"]));
    // A sweep plans nothing for them.
    const later = new Date(now.getTime() + 2 * DAY);
    await planDue(db(), { now: later, tenantId: ids.a });
    expect(await reasons(quiet.id)).toEqual(new Set(["cancelled:unsubscribed"]));
    expect(await reasons(bounced.id)).toEqual(new Set(["cancelled:suppressed"]));
    // The suppression removed (removeSuppression re-plans the address's learners).
    await db().orm.delete(db().t.suppressions).where(eq(db().t.suppressions.tenantId, ids.a));
    await planLearners(db(), { tenantId: ids.a, learnerIds: [bounced.learnerId], now: later });
    const rows = await rowsOf(db(), { assignmentId: bounced.id });
    expect(rows.filter((r) => r.status === "planned").map((r) => r.dueAt.getTime() >= later.getTime() - LATE_GRACE_MS)).toEqual(Array(8).fill(true));
  });

  it("digests: one row per responsible person and ISO week at that week's earliest instant, never for a past week", async () => {
    const boss = `boss${seq}@example.com`;
    // Escalate after 1 reminder (today 09:00 local is past the assignment at 09:00, so reminder 1 is today): digests from then on.
    const friday = { escalateAfterSends: 1, maxSends: 1, repeatEveryDays: null, endDate: "2027-04-30", digestWeekday: 5, digestTime: "08:00" };
    const s = await setup({ learners: 2, responsible: boss, plan: friday });
    // A second plan of the same training with its digest on Wednesday at 07:00: the week's earliest instant wins.
    const wed = await savePlan(db(), { tenant: tenant(), actor: CLI_ACTOR, input: planInput(s.training.id, { ...friday, name: "Wed", digestWeekday: 3, digestTime: "07:00" }), now });
    expect(wed.ok).toBe(true);
    const digests = (await rowsOf(db(), { tenantId: ids.a, kind: "digest" })).filter((r) => r.recipient === boss);
    expect(digests.map((r) => [r.digestKey, r.dueAt.toISOString(), r.status, r.planId, r.assignmentId])).toEqual([
      [digestKey(boss, "2027-W12"), "2027-03-24T06:00:00.000Z", "planned", null, null],
    ]);
    // Next week comes in with the clock; W12 is never made again once it went.
    const d = db().t.deliveries;
    await db().orm.update(d).set({ status: "sent", sentAt: now }).where(eq(d.id, digests[0]!.id));
    const nextWeek = new Date(now.getTime() + 4 * DAY);
    await planDue(db(), { now: nextWeek, tenantId: ids.a });
    const after = (await rowsOf(db(), { tenantId: ids.a, kind: "digest" })).filter((r) => r.recipient === boss);
    expect(after.map((r) => [r.digestKey, r.dueAt.toISOString(), r.status])).toEqual([
      [digestKey(boss, "2027-W12"), "2027-03-24T06:00:00.000Z", "sent"],
      [digestKey(boss, "2027-W13"), "2027-03-31T05:00:00.000Z", "planned"],
    ]);
  });

  it("a digest found empty is made again only for a later instant of that week; a suppressed responsible person gets none", async () => {
    const boss = `empty${seq}@example.com`;
    const plan = { escalateAfterSends: 1, maxSends: 1, repeatEveryDays: null, endDate: "2027-04-30", digestWeekday: 3, digestTime: "07:00" };
    const s = await setup({ responsible: boss, plan });
    const d = db().t.deliveries;
    const mine = async () => (await rowsOf(db(), { tenantId: ids.a, kind: "digest" })).filter((r) => r.recipient === boss);
    const [w12] = await mine();
    expect(w12!.dueAt.toISOString()).toBe("2027-03-24T06:00:00.000Z");
    // The worker found it empty at its time (prepareMails → digest_empty).
    await db().orm.update(d).set({ status: "cancelled", cancelReason: "digest_empty" }).where(eq(d.id, w12!.id));
    await planPlan(db(), { tenantId: ids.a, planId: s.planId, now });
    expect((await mine()).map((r) => r.status)).toEqual(["cancelled"]);
    // A plan with a later digest that week brings it back, at the later instant.
    await savePlan(db(), { tenant: tenant(), actor: CLI_ACTOR, input: planInput(s.training.id, { ...plan, name: "Fri", digestWeekday: 5 }), now });
    expect((await mine()).map((r) => [r.status, r.dueAt.toISOString()])).toEqual([["planned", "2027-03-26T06:00:00.000Z"]]);
    // Suppressed: no digest row is made for that address.
    const other = `sup${seq}@example.com`;
    await db().orm.insert(db().t.suppressions).values({ id: crypto.randomUUID(), tenantId: ids.a, address: other, reason: "manual", createdAt: now });
    await putLearner(db(), { tenant: tenant(), actor: CLI_ACTOR, externalId: s.a0.externalId, input: { email: `l${seq}-0@example.com`, firstName: "L", lastName: "0", responsibleEmail: other.toUpperCase() }, now });
    expect((await rowsOf(db(), { tenantId: ids.a, kind: "digest" })).filter((r) => r.recipient.toLowerCase() === other)).toEqual([]);
  });

  it("planning in a use case's transaction rolls back with it", async () => {
    const s = await setup();
    const before = (await rowsOf(db(), { tenantId: ids.a })).length;
    await expect(
      db().transaction(async (tx) => {
        await applyLearnerRows(tx, {
          tenantId: ids.a,
          rows: [{ learner: { externalId: "rolled-back", email: "rb@example.com", firstName: "R", lastName: "B", locale: null, responsibleName: null, responsibleEmail: null, active: true }, assignment: { trainingId: s.training.id, assignedAt: now, dueAt: null } }],
          now,
        });
        expect((await rowsOf(tx, { tenantId: ids.a })).length).toBeGreaterThan(before);
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect((await rowsOf(db(), { tenantId: ids.a })).length).toBe(before);
  });

  it("the sweep cancels the pending rows of a plan deactivated behind the use case's back (plan_inactive)", async () => {
    const s = await setup();
    const rp = db().t.reminderPlans;
    await db().orm.update(rp).set({ active: false }).where(eq(rp.id, s.planId));
    const swept = await planDue(db(), { now, tenantId: ids.a });
    expect(swept.cancelled).toBeGreaterThanOrEqual(8);
    expect(new Set((await rowsOf(db(), { assignmentId: s.a0.id })).map((r) => `${r.status}:${r.cancelReason}`))).toEqual(new Set(["cancelled:plan_inactive"]));
  });

  it("a DST day's instants are exactly the preview's (02:30 on spring-forward day becomes 03:30)", async () => {
    const schedule = { anchor: "fixed", startDate: "2027-03-26", sendTime: "02:30", repeatEveryDays: 1, endDate: "2027-03-29", maxSends: null };
    const s = await setup({ plan: schedule });
    const rows = await rowsOf(db(), { assignmentId: s.a0.id });
    const preview = buildPlanPreview({
      schedule: { timezone: TZ, offsetDays: 0, weekdaysOnly: false, escalateAfterSends: null, digestWeekday: null, digestTime: null, ...schedule, anchor: "fixed" },
      templates: defaultTemplateSet(),
      sample: { assignedDate: "2027-03-22", dueInDays: null, locale: null },
      context: { tenantName: "A", tenantLocale: "de", trainingName: null, trainingLink: null },
      locale: "en",
      now,
    });
    const previewInstants = preview.events.filter((e) => e.kind === "reminder").map((e) => e.at);
    expect(rows.map((r) => r.dueAt.toISOString())).toEqual(previewInstants);
    expect(previewInstants).toContain("2027-03-28T01:30:00.000Z"); // 03:30 CEST
  });

  it("the CSV building block plans created assignments and re-plans changed learners in its transaction", async () => {
    const s = await setup({ plan: { active: true } });
    const res = await db().transaction((tx) =>
      applyLearnerRows(tx, {
        tenantId: ids.a,
        rows: [
          { learner: { externalId: "csv-1", email: "csv1@example.com", firstName: "C", lastName: "1", locale: null, responsibleName: null, responsibleEmail: null, active: true }, assignment: { trainingId: s.training.id, assignedAt: new Date("2027-03-22T08:00:00Z"), dueAt: null } },
          { learner: { externalId: s.a0.externalId, email: "changed@example.com", firstName: "L", lastName: "0", locale: null, responsibleName: null, responsibleEmail: null, active: true } },
        ],
        now,
      }),
    );
    expect(res).toEqual(["created", "updated"]);
    const csv = (await getLearner(db(), { tenantId: ids.a, externalId: "csv-1" }))!;
    const d = db().t.deliveries;
    expect((await db().orm.select({ id: d.id }).from(d).where(and(eq(d.learnerId, csv.id), eq(d.status, "planned")))).length).toBe(8);
    expect(new Set((await rowsOf(db(), { assignmentId: s.a0.id })).map((r) => r.recipient))).toEqual(new Set(["changed@example.com"]));
  });

  it("planDue with a tenant plans only that tenant; parallel planners write each row once", async () => {
    const tenantB = { id: ids.b, timezone: "UTC" };
    await putTraining(db(), { tenant: tenantB, actor: CLI_ACTOR, externalId: "TB", input: { name: "B" }, now });
    const training = (await getTrainingByExternalId(db(), { tenantId: ids.b, externalId: "TB" }))!;
    await putLearner(db(), { tenant: tenantB, actor: CLI_ACTOR, externalId: "LB", input: { email: "lb@example.com", firstName: "B", lastName: "B" }, now });
    await putAssignment(db(), { tenant: tenantB, actor: CLI_ACTOR, learnerExternalId: "LB", trainingExternalId: "TB", input: { assignedAt: "2027-03-22T08:00:00Z" }, now });
    // The plan written without the use case (no hook): only a sweep plans it.
    await db().orm.insert(db().t.reminderPlans).values({
      id: crypto.randomUUID(),
      tenantId: ids.b,
      trainingId: training.id,
      name: "raw",
      active: true,
      schedule: { timezone: "UTC", anchor: "assigned", offsetDays: 0, startDate: null, sendTime: "09:00", repeatEveryDays: 1, endDate: "2027-04-30", maxSends: 20, weekdaysOnly: false, escalateAfterSends: null, digestWeekday: null, digestTime: null },
      templates: defaultTemplateSet(),
      spamRisk: "high",
      createdAt: now,
      updatedAt: now,
    });
    await planDue(db(), { now, tenantId: ids.a });
    expect(await rowsOf(db(), { tenantId: ids.b })).toEqual([]);
    const results = await Promise.all([
      planDue(db(), { now, tenantId: ids.b }),
      planDue(db(), { now, tenantId: ids.b, pageSize: 1 }),
      planDue(db(), { now, tenantId: ids.b, pageSize: 2 }),
      planLearners(db(), { tenantId: ids.b, learnerIds: [(await getLearner(db(), { tenantId: ids.b, externalId: "LB" }))!.id], now }),
    ]);
    expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(8);
    expect((await rowsOf(db(), { tenantId: ids.b })).length).toBe(8);
  });
});
