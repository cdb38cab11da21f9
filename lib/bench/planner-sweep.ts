/**
 * The cost of the worker's planning sweep (planDue) over N assignment × plan pairs, on
 * SQLite and Postgres:
 *
 *   npx tsx lib/bench/planner-sweep.ts [--pairs 10000] [--dialects sqlite,postgres] [--page N]
 *
 * One tenant (Europe/Berlin), two trainings with one active plan each — weekly on
 * weekdays (at most 5) and daily escalating after 3 reminders into the weekly digest of
 * one of 50 responsible people — and N/2 learners assigned to both, each at another
 * instant of the past 30 days (so no two share a schedule). The plans are written without the use case, so the first sweep
 * materialises everything (cold); then the same sweep again with nothing to do (warm,
 * what the worker pays every few minutes), and one a day later (a day's occurrences
 * enter the horizon). Then the hook's share of a write: the CSV import's building block
 * (applyLearnerRows, one transaction) with 1,000 new learners each assigned to a
 * training without a plan, and 1,000 more to the training with the daily plan (the
 * planner writes their rows in the same transaction). Postgres runs when TEST_DATABASE_URL answers, with statistics
 * (ANALYZE after seeding, as autovacuum keeps them in a running installation).
 */
import os from "node:os";
import { count, eq, sql } from "drizzle-orm";
import type { Db, Dialect } from "../db";
import { planDue } from "../delivery/planner";
import { assignmentInsert, learnerInsert, upsertAssignments, upsertLearners } from "../learners/queries";
import { applyLearnerRows } from "../learners/service";
import { defaultTemplateSet } from "../reminders/defaults";
import { createPlan, createTraining } from "../reminders/queries";
import { createTenant } from "../tenants/queries";
import { createTestDb, postgresAvailable } from "../testing/databases";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const PAIRS = Number(flag("pairs", "10000"));
/** Empty: the planner's own page sizes (200 on Postgres; on SQLite about 25 ms of work a page). */
const PAGE = flag("page", "") ? Number(flag("page", "")) : undefined;
const DIALECTS = flag("dialects", "sqlite,postgres").split(",") as Dialect[];

const DAY = 86_400_000;
const now = new Date("2027-03-22T09:00:00Z");
const TZ = "Europe/Berlin";

async function seed(db: Db): Promise<{ tenantId: string; trainingIds: string[] }> {
  const tenant = await createTenant(db, { slug: "bench-plan", name: "Bench", timezone: TZ, locale: "de" });
  const learners = PAIRS / 2;
  const rows = Array.from({ length: learners }, (_, i) =>
    learnerInsert(
      tenant.id,
      {
        externalId: `L${i}`,
        email: `l${i}@example.com`,
        firstName: "F",
        lastName: `L${i}`,
        locale: null,
        responsibleName: null,
        responsibleEmail: `boss${i % 50}@example.com`,
        active: true,
      },
      now,
    ),
  );
  const saved = await upsertLearners(db, rows);
  const base = { timezone: TZ, anchor: "assigned" as const, offsetDays: 1, startDate: null, sendTime: "08:30", endDate: "2027-06-30" };
  const plans = [
    { ...base, repeatEveryDays: 7, maxSends: 5, weekdaysOnly: true, escalateAfterSends: null, digestWeekday: null, digestTime: null },
    { ...base, repeatEveryDays: 1, maxSends: null, weekdaysOnly: false, escalateAfterSends: 3, digestWeekday: 1, digestTime: "07:00" },
  ];
  const trainingIds: string[] = [];
  for (const [i, schedule] of plans.entries()) {
    const training = await createTraining(db, { tenantId: tenant.id, name: `T${i}`, externalId: `T${i}`, linkUrl: null }, now);
    trainingIds.push(training.id);
    const assignments = rows.map((r, k) =>
      assignmentInsert(tenant.id, { learnerId: saved.get(r.externalId)!.id, trainingId: training.id, assignedAt: new Date(now.getTime() - Math.round((k * 30 * DAY) / learners)), dueAt: null }, now),
    );
    await upsertAssignments(db, assignments);
    await createPlan(
      db,
      { tenantId: tenant.id, trainingId: training.id, name: `P${i}`, active: true, schedule, templates: defaultTemplateSet(), spamRisk: "low", highRiskConfirmedAt: null, highRiskConfirmedBy: null },
      now,
    );
  }
  return { tenantId: tenant.id, trainingIds };
}

/** applyLearnerRows in one transaction: 1,000 new learners, each assigned to `trainingId`. */
async function importBatch(db: Db, tenantId: string, trainingId: string, tag: string) {
  const rows = Array.from({ length: 1000 }, (_, i) => ({
    learner: { externalId: `${tag}-${i}`, email: `${tag}.${i}@example.com`, firstName: "F", lastName: `${tag}${i}`, locale: null, responsibleName: null, responsibleEmail: null, active: true },
    assignment: { trainingId, assignedAt: new Date(now.getTime() - i * 60_000), dueAt: null },
  }));
  return timed(() => db.transaction((tx) => applyLearnerRows(tx, { tenantId, rows, now })));
}

/** Wall time, and this process's CPU time (user + system: the planner's share, less disturbed by a busy machine). */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; result: T }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, result };
}

async function measure(dialect: Dialect) {
  const handle = await createTestDb(dialect);
  try {
    const db = handle.db;
    const { tenantId, trainingIds } = await seed(db);
    if (dialect === "postgres") await db.orm.execute(sql`analyze`);
    const cold = await timed(() => planDue(db, { now, pageSize: PAGE }));
    const warm = await timed(() => planDue(db, { now: new Date(now.getTime() + 5 * 60_000), pageSize: PAGE }));
    const nextDay = await timed(() => planDue(db, { now: new Date(now.getTime() + DAY), pageSize: PAGE }));
    const d = db.t.deliveries;
    const [rows] = await db.orm.select({ n: count() }).from(d).where(eq(d.tenantId, tenantId));
    const line = (name: string, r: { ms: number; cpuMs: number; result: Awaited<ReturnType<typeof planDue>> }) =>
      `  ${name.padEnd(34)} ${r.ms.toFixed(0).padStart(6)} ms (node CPU ${r.cpuMs.toFixed(0)} ms)  (${r.result.pairs} pairs, ${r.result.inserted} inserted, ${r.result.updated} updated, ${r.result.cancelled} cancelled; ${(r.ms / Math.max(1, r.result.pairs) * 1000).toFixed(0)} µs/pair)`;
    console.log(`${dialect} (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs): planDue over ${PAIRS} assignment × plan pairs, pages ${PAGE ? `of ${PAGE}` : "as the planner sizes them"}; ${rows?.n} outbox rows at the end`);
    console.log(line("cold (materialise the horizon)", cold));
    console.log(line("warm (nothing changed)", warm));
    console.log(line("a day later (new occurrences)", nextDay));
    const bare = await createTraining(db, { tenantId, name: "No plan", externalId: "TX", linkUrl: null }, now);
    const without = [await importBatch(db, tenantId, bare.id, "a"), await importBatch(db, tenantId, bare.id, "b")];
    const withPlan = [await importBatch(db, tenantId, trainingIds[1]!, "c"), await importBatch(db, tenantId, trainingIds[1]!, "d")];
    const best = (r: { ms: number }[]) => Math.min(...r.map((x) => x.ms)).toFixed(0);
    const [after] = await db.orm.select({ n: count() }).from(d).where(eq(d.tenantId, tenantId));
    console.log(
      `  applyLearnerRows, 1,000 new learners with an assignment (one transaction, best of 2): no plan ${best(without)} ms; daily plan ${best(withPlan)} ms (${Number(after?.n) - Number(rows?.n)} rows planned by the two)`,
    );
  } finally {
    await handle.dispose();
  }
}

for (const dialect of DIALECTS) {
  if (dialect === "postgres" && !(await postgresAvailable())) {
    console.log("postgres: skipped, it does not answer");
    continue;
  }
  await measure(dialect);
}
