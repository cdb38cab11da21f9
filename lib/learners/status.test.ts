import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { CLI_ACTOR } from "../auth/policy";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants } from "../testing/tenants";
import { assignmentInsert } from "./queries";
import { putLearner, putTraining } from "./service";
import { ASSIGNMENT_STATUSES, assignmentStatus, assignmentStatusWhere } from "./status";

const now = new Date("2026-12-01T09:00:00Z");
const before = new Date(now.getTime() - 1);
const after = new Date(now.getTime() + 1);

it("withdrawn beats completed beats overdue; due exactly now is still open; no due date is open", () => {
  expect(assignmentStatus({ dueAt: before, completedAt: before, withdrawnAt: before }, now)).toBe("withdrawn");
  expect(assignmentStatus({ dueAt: before, completedAt: before, withdrawnAt: null }, now)).toBe("completed");
  expect(assignmentStatus({ dueAt: before, completedAt: null, withdrawnAt: null }, now)).toBe("overdue");
  expect(assignmentStatus({ dueAt: now, completedAt: null, withdrawnAt: null }, now)).toBe("open");
  expect(assignmentStatus({ dueAt: null, completedAt: null, withdrawnAt: null }, now)).toBe("open");
});

forEachDatabase("assignment status in SQL", (db) => {
  const combos: { dueAt: Date | null; completedAt: Date | null; withdrawnAt: Date | null }[] = [];
  for (const dueAt of [null, before, now, after]) {
    for (const completedAt of [null, before]) for (const withdrawnAt of [null, before]) combos.push({ dueAt, completedAt, withdrawnAt });
  }
  let tenantId = "";

  beforeAll(async () => {
    tenantId = (await seedTwoTenants(db(), { prefix: "sts" })).a;
    const tenant = { id: tenantId, timezone: "UTC" };
    const rows = [];
    for (const i of combos.keys()) {
      await putTraining(db(), { tenant, actor: CLI_ACTOR, externalId: `T${i}`, input: { name: `T${i}` }, now });
    }
    await putLearner(db(), { tenant, actor: CLI_ACTOR, externalId: "L", input: { email: "l@example.com", firstName: "L", lastName: "L" }, now });
    const t = db().t.trainings;
    const l = db().t.learners;
    const [learner] = await db().orm.select({ id: l.id }).from(l).where(eq(l.tenantId, tenantId));
    for (const [i, c] of combos.entries()) {
      const [training] = await db().orm.select({ id: t.id }).from(t).where(and(eq(t.tenantId, tenantId), eq(t.externalId, `T${i}`)));
      rows.push({ ...assignmentInsert(tenantId, { learnerId: learner!.id, trainingId: training!.id, assignedAt: before, dueAt: c.dueAt }, now), ...c, id: `a${i}` });
    }
    await db().orm.insert(db().t.assignments).values(rows);
  });

  it.each(ASSIGNMENT_STATUSES)("%s: the SQL predicate picks exactly the rows the JS rule calls so", async (status) => {
    const a = db().t.assignments;
    const got = await db().orm.select({ id: a.id }).from(a).where(and(eq(a.tenantId, tenantId), assignmentStatusWhere(db(), status, now)));
    const want = combos.flatMap((c, i) => (assignmentStatus(c, now) === status ? [`a${i}`] : []));
    expect(got.map((r) => r.id).sort()).toEqual(want.sort());
    expect(want.length).toBeGreaterThan(0);
  });
});
