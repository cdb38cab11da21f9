import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { CLI_ACTOR } from "../auth/policy";
import type { Db } from "../db";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { getLearner } from "./queries";
import { putAssignment, putLearner, putTraining } from "./service";
import { stopPendingReminders } from "./stop-reminders";

const now = new Date("2026-12-01T09:00:00Z");

async function row(db: Db, p: { tenantId: string; assignmentId: string | null; learnerId: string | null; status: "planned" | "sent" }) {
  const id = crypto.randomUUID();
  await db.orm.insert(db.t.deliveries).values({
    id,
    tenantId: p.tenantId,
    kind: "reminder",
    planId: null,
    assignmentId: p.assignmentId,
    learnerId: p.learnerId,
    occurrence: null,
    recipient: "x@example.com",
    dueAt: now,
    status: p.status,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

forEachDatabase("stopPendingReminders", (db) => {
  let ids: TwoTenants;
  let learnerId = "";
  let assignmentId = "";

  beforeAll(async () => {
    ids = await seedTwoTenants(db(), { prefix: "stp" });
    const tenant = { id: ids.a, timezone: "UTC" };
    await putTraining(db(), { tenant, actor: CLI_ACTOR, externalId: "T", input: { name: "T" }, now });
    await putLearner(db(), { tenant, actor: CLI_ACTOR, externalId: "L", input: { email: "l@example.com", firstName: "L", lastName: "L" }, now });
    await putAssignment(db(), { tenant, actor: CLI_ACTOR, learnerExternalId: "L", trainingExternalId: "T", input: { assignedAt: "2026-11-01T00:00:00Z" }, now });
    learnerId = (await getLearner(db(), { tenantId: ids.a, externalId: "L" }))!.id;
    const a = db().t.assignments;
    assignmentId = (await db().orm.select({ id: a.id }).from(a).where(eq(a.learnerId, learnerId)))[0]!.id;
  });

  async function statusOf(id: string) {
    const d = db().t.deliveries;
    return (await db().orm.select({ status: d.status, reason: d.cancelReason }).from(d).where(eq(d.id, id)))[0];
  }

  it("by learner: rows naming only the learner and rows of the learner's assignments; sent ones stay; another tenant's id changes nothing", async () => {
    const onlyLearner = await row(db(), { tenantId: ids.a, assignmentId: null, learnerId, status: "planned" });
    const onlyAssignment = await row(db(), { tenantId: ids.a, assignmentId, learnerId: null, status: "planned" });
    const sent = await row(db(), { tenantId: ids.a, assignmentId, learnerId, status: "sent" });
    expect(await stopPendingReminders(db(), { tenantId: ids.b, learnerId, reason: "learner_inactive", now })).toBe(0);
    expect(await stopPendingReminders(db(), { tenantId: ids.a, learnerIds: [learnerId], reason: "unsubscribed", now })).toBe(2);
    expect(await statusOf(onlyLearner)).toEqual({ status: "cancelled", reason: "unsubscribed" });
    expect(await statusOf(onlyAssignment)).toEqual({ status: "cancelled", reason: "unsubscribed" });
    expect(await statusOf(sent)).toEqual({ status: "sent", reason: null });
    expect(await stopPendingReminders(db(), { tenantId: ids.a, learnerId, reason: "learner_inactive", now })).toBe(0);
  });

  it("nothing named, nothing cancelled", async () => {
    await row(db(), { tenantId: ids.a, assignmentId, learnerId, status: "planned" });
    expect(await stopPendingReminders(db(), { tenantId: ids.a, assignmentIds: [], reason: "completed", now })).toBe(0);
  });
});
