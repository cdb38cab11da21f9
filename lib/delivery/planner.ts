import crypto from "node:crypto";
import { and, asc, eq, exists, gt, inArray, isNull, notInArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db";
import { differs, excluded, jsonUpsert, sameTenant } from "../db/sql";
import { MAX_PLAN_DAYS, planScheduleSchema, type PlanSchedule } from "../reminders/plan-schema";
import { computeSchedule } from "../reminders/schedule";
import { digestKey, isoWeekOf } from "./keys";
import { PENDING_STATUSES, type CancelReason } from "./types";

/**
 * The planner: turns the one schedule engine's instants (computeSchedule, the function
 * the plan editor's preview shows) into outbox rows, and keeps them in step with what
 * changed. A reminder row is keyed (plan, assignment, occurrence = the reminder's
 * number), a digest row (tenant, responsible person's address | ISO week); both keys
 * are unique indexes, so every write is an upsert and planning twice changes nothing.
 *
 * What it does per (open assignment, active plan of its training):
 * - occurrences whose instant lies in [now − LATE_GRACE_MS, now + horizon] get a row
 *   (a cancelled one comes back when the reason for it is gone: learner reactivated,
 *   assignment re-sent, suppression removed, occurrence back after an edit);
 * - pending rows (planned / retrying / deferred) follow their occurrence: a moved
 *   instant moves dueAt and nextAttemptAt (a retrying row keeps its backoff), a changed
 *   address moves the recipient, an occurrence that no longer exists — or moved to more
 *   than LATE_GRACE_MS ago — is cancelled `plan_changed`;
 * - sent, failed and sending rows are never touched (at-least-once belongs to the worker).
 * Inactive learners, closed assignments, inactive plans, unsubscribed (plan, learner)
 * pairs and suppressed addresses get no rows; their pending rows are cancelled with
 * the reason. Digests: an escalated learner with a responsible person's address puts
 * the engine's digest instants into that person's row of that week (the earliest
 * instant wins); a row of a past week, or one already sent, is never re-created, and
 * whether it has content is decided when it goes (prepareMails → digest_empty).
 *
 * Every function here that takes `tx` runs inside the caller's transaction and does
 * database work and computation only (no network, no timers): the learner use cases
 * plan in the transaction that writes the learner.
 */

/** Rows are materialised this far ahead; the worker's sweep (planDue) brings the rest in as time passes. */
export const PLANNING_HORIZON_MS = 7 * 86_400_000;
/** An occurrence older than this when first planned is skipped, never sent late in a flood. */
export const LATE_GRACE_MS = 24 * 3_600_000;

export interface PlanningCounts {
  inserted: number;
  updated: number;
  cancelled: number;
}

/** Assignments per page of a sweep (each page one transaction) on Postgres, and the first page's on SQLite. */
const PAGE_SIZE = 200;
/**
 * On SQLite every other statement of the process waits while a page's transaction runs
 * (one connection): pages are sized to about this much work, like the CSV import's chunks.
 */
const SQLITE_SLICE_MS = 25;
/** Ids per IN list and rows per multi-row statement (below both dialects' parameter limits). */
const CHUNK = 1000;

// ── Public entry points ──────────────────────────────────────────────────────

/** Inside the caller's transaction (DB work only). Every active plan of each assignment's training. */
export function planAssignments(
  tx: Db,
  p: { tenantId: string; assignmentIds: string[]; now: Date; horizonMs?: number },
): Promise<PlanningCounts> {
  return planSome(tx, p, p.assignmentIds, (a, ids) => inArray(a.id, ids));
}

/** The learners' open assignments (recipient or locale changed, reactivated, suppression removed). Inside the caller's tx. */
export function planLearners(
  tx: Db,
  p: { tenantId: string; learnerIds: string[]; now: Date; horizonMs?: number },
): Promise<PlanningCounts> {
  return planSome(tx, p, p.learnerIds, (a, ids) => and(inArray(a.learnerId, ids), isNull(a.completedAt), isNull(a.withdrawnAt))!);
}

async function planSome(
  tx: Db,
  p: { tenantId: string; now: Date; horizonMs?: number },
  ids: string[],
  where: (a: AssignmentsTable, ids: string[]) => SQL,
): Promise<PlanningCounts> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return zero();
  const assignments = await loadAssignments(tx, p.tenantId, (a) => where(a, unique));
  const { inserted, updated, cancelled } = await reconcile(tx, { tenantId: p.tenantId, now: p.now, horizonMs: p.horizonMs, assignments });
  return { inserted, updated, cancelled };
}

/**
 * After a plan was saved: re-plans every open assignment of its training in pages (its
 * own transactions); an inactive plan cancels its pending rows (plan_inactive), and a
 * plan moved to another training cancels the rows of the old one's assignments.
 */
export async function planPlan(
  db: Db,
  p: { tenantId: string; planId: string; now: Date; horizonMs?: number; pageSize?: number },
): Promise<PlanningCounts> {
  const { tenantId, planId, now } = p;
  const total = zero();
  const first = await db.transaction(async (tx) => {
    const [plan] = await loadPlans(tx, tenantId, (rp) => eq(rp.id, planId));
    if (!plan) return { plan: undefined, cancelled: 0 };
    const d = tx.t.deliveries;
    const a = tx.t.assignments;
    const pendingOfPlan = and(eq(d.planId, planId), inArray(d.status, [...PENDING_STATUSES]), sameTenant(tx, d.tenantId, tenantId));
    if (!plan.active) return { plan, cancelled: await cancelWhere(tx, pendingOfPlan!, "plan_inactive", now) };
    // Rows of assignments that are not of the plan's training (the plan was moved to another one).
    const ofTraining = tx.orm.select({ id: a.id }).from(a).where(and(eq(a.trainingId, plan.trainingId), eq(a.tenantId, tenantId)));
    return { plan, cancelled: await cancelWhere(tx, and(pendingOfPlan, notInArray(d.assignmentId, ofTraining))!, "plan_changed", now) };
  });
  total.cancelled += first.cancelled;
  if (!first.plan?.active) return total;
  const trainingId = first.plan.trainingId;
  // The ids first (one index range), then pages by id: no page sorts the whole training.
  const a = db.t.assignments;
  const l = db.t.learners;
  const ids = (
    await db.orm
      .select({ id: a.id })
      .from(a)
      .innerJoin(l, and(eq(l.id, a.learnerId), eq(l.tenantId, tenantId)))
      .where(and(eq(a.tenantId, tenantId), eq(a.trainingId, trainingId), openOf(a, l)))
  )
    .map((r) => r.id)
    .sort();
  const pages = pager(db, p.pageSize);
  for (let i = 0; i < ids.length; ) {
    const page = ids.slice(i, (i += pages.size));
    await pages.run(() =>
      db.transaction(async (tx) => {
        // Read again inside the page's transaction: what closed meanwhile is left alone.
        const assignments = await loadAssignments(tx, tenantId, (a, l) => and(inArray(a.id, page), openOf(a, l)));
        add(total, await reconcile(tx, { tenantId, assignments, now, horizonMs: p.horizonMs, onlyPlanId: planId }));
      }),
    );
  }
  return total;
}

/**
 * The sweep the worker runs (every few minutes, one worker at a time via workerLeases
 * "planning"): every tenant (or one), paged, each page one transaction. It brings
 * occurrences into the horizon as time passes and repairs what a failed hook left.
 */
export async function planDue(
  db: Db,
  p: { now: Date; tenantId?: string; horizonMs?: number; pageSize?: number },
): Promise<PlanningCounts & { pairs: number }> {
  const { now, tenantId } = p;
  const total = { ...zero(), pairs: 0 };
  const d = db.t.deliveries;
  const rp = db.t.reminderPlans;
  // A plan deactivated while its hook failed: its pending rows must not go.
  const inactivePlans = db.orm
    .select({ id: rp.id })
    .from(rp)
    .where(and(eq(rp.active, false), tenantId ? eq(rp.tenantId, tenantId) : undefined));
  total.cancelled += await db.transaction((tx) =>
    cancelWhere(tx, and(inArray(d.planId, inactivePlans), tenantId ? eq(d.tenantId, tenantId) : undefined)!, "plan_inactive", now),
  );
  // Pages in primary-key order over every tenant's open assignments of trainings with an
  // active plan: each page is an index range, so the sweep costs O(assignments) in all.
  let after: string | null = null;
  const pages = pager(db, p.pageSize);
  for (;;) {
    const cursor: string | null = after;
    const pageSize = pages.size;
    const page: AssignmentFacts[] = await pages.run(() => db.transaction(async (tx) => {
      const a = tx.t.assignments;
      const plans = tx.t.reminderPlans;
      const withActivePlan = exists(
        tx.orm
          .select({ one: sql`1` })
          .from(plans)
          .where(and(eq(plans.tenantId, a.tenantId), eq(plans.trainingId, a.trainingId), eq(plans.active, true))),
      );
      const rows = await loadAssignments(
        tx,
        tenantId ?? null,
        (a, l) => and(openOf(a, l), withActivePlan, cursor === null ? undefined : gt(a.id, cursor)),
        pageSize,
      );
      for (const [tenant, assignments] of groupBy(rows, (r) => r.tenantId)) {
        const r = await reconcile(tx, { tenantId: tenant, assignments, now, horizonMs: p.horizonMs });
        add(total, r);
        total.pairs += r.pairs;
      }
      return rows;
    }));
    if (page.length < pageSize) return total;
    after = page[page.length - 1]!.id;
  }
}

// ── Loading ──────────────────────────────────────────────────────────────────

interface AssignmentFacts {
  id: string;
  tenantId: string;
  learnerId: string;
  trainingId: string;
  assignedAt: Date;
  dueAt: Date | null;
  completedAt: Date | null;
  withdrawnAt: Date | null;
  email: string;
  active: boolean;
  responsibleEmail: string | null;
}

interface PlanFacts {
  id: string;
  trainingId: string;
  active: boolean;
  schedule: PlanSchedule;
}

type AssignmentsTable = Db["t"]["assignments"];
type LearnersTable = Db["t"]["learners"];

/**
 * Assignments with what planning needs of their learner, in id order. `tenantId` null:
 * every tenant's (the sweep). The tenant predicate is the unary-plus form on SQLite so
 * that the sweep's page walks the primary key in order instead of sorting the tenant.
 */
async function loadAssignments(
  tx: Db,
  tenantId: string | null,
  where: (a: AssignmentsTable, l: LearnersTable) => SQL | undefined,
  limit?: number,
): Promise<AssignmentFacts[]> {
  const a = tx.t.assignments;
  const l = tx.t.learners;
  const query = tx.orm
    .select({
      id: a.id,
      tenantId: a.tenantId,
      learnerId: a.learnerId,
      trainingId: a.trainingId,
      assignedAt: a.assignedAt,
      dueAt: a.dueAt,
      completedAt: a.completedAt,
      withdrawnAt: a.withdrawnAt,
      email: l.email,
      active: l.active,
      responsibleEmail: l.responsibleEmail,
    })
    .from(a)
    .innerJoin(l, and(eq(l.id, a.learnerId), eq(l.tenantId, a.tenantId)))
    .where(and(tenantId === null ? undefined : sameTenant(tx, a.tenantId, tenantId), where(a, l)))
    .orderBy(asc(a.id));
  return limit === undefined ? query : query.limit(limit);
}

/** Open assignments of active learners (the sweeps skip the rest: their rows were stopped when they closed or turned inactive). */
function openOf(a: AssignmentsTable, l: LearnersTable): SQL {
  return and(isNull(a.completedAt), isNull(a.withdrawnAt), eq(l.active, true))!;
}

async function loadPlans(tx: Db, tenantId: string, where: (rp: Db["t"]["reminderPlans"]) => SQL): Promise<PlanFacts[]> {
  const rp = tx.t.reminderPlans;
  const rows = await tx.orm
    .select({ id: rp.id, trainingId: rp.trainingId, active: rp.active, schedule: rp.schedule })
    .from(rp)
    .where(and(eq(rp.tenantId, tenantId), where(rp)));
  // Stored JSON goes through the shared schema: a row the engine cannot read is refused loudly.
  return rows.map((r) => ({ ...r, schedule: planScheduleSchema.parse(r.schedule) }));
}

async function tenantTimezone(tx: Db, tenantId: string): Promise<string> {
  const tn = tx.t.tenants;
  const [row] = await tx.orm.select({ timezone: tn.timezone }).from(tn).where(eq(tn.id, tenantId));
  if (!row) throw new Error(`planner: no tenant ${tenantId}`);
  return row.timezone;
}

// ── Reconciling ──────────────────────────────────────────────────────────────

interface PendingRow {
  id: string;
  planId: string | null;
  assignmentId: string | null;
  learnerId: string | null;
  occurrence: number | null;
  recipient: string;
  dueAt: Date;
}

type DeliveryInsert = Db["t"]["deliveries"]["$inferInsert"] & { id: string };

/**
 * The heart: the pending rows these assignments have, the rows they should have, and
 * the statements that turn one into the other. `onlyPlanId` limits it to one plan
 * (planPlan), leaving the rows of the training's other plans alone.
 */
async function reconcile(
  tx: Db,
  p: { tenantId: string; assignments: AssignmentFacts[]; now: Date; horizonMs?: number; onlyPlanId?: string },
): Promise<PlanningCounts & { pairs: number }> {
  const { tenantId, assignments, now, onlyPlanId } = p;
  const out = { ...zero(), pairs: 0 };
  if (assignments.length === 0) return out;
  const lower = now.getTime() - LATE_GRACE_MS;
  const upper = now.getTime() + (p.horizonMs ?? PLANNING_HORIZON_MS);
  const inWindow = (ms: number) => ms >= lower && ms <= upper;

  const trainingIds = [...new Set(assignments.map((a) => a.trainingId))];
  const plans = await loadPlans(tx, tenantId, (rp) => (onlyPlanId ? eq(rp.id, onlyPlanId) : inArray(rp.trainingId, trainingIds)));
  const plansById = new Map(plans.map((pl) => [pl.id, pl]));
  const activeByTraining = groupBy(
    plans.filter((pl) => pl.active),
    (pl) => pl.trainingId,
  );

  const pending = await loadPendingReminders(tx, tenantId, assignments.map((a) => a.id), onlyPlanId);
  const pendingByPair = new Map<string, PendingRow[]>();
  const pendingPlans = new Map<string, Set<string>>();
  for (const row of pending) {
    if (!row.planId || !row.assignmentId || row.occurrence === null) continue;
    const key = `${row.planId} ${row.assignmentId}`;
    const list = pendingByPair.get(key);
    if (list) list.push(row);
    else pendingByPair.set(key, [row]);
    const plansOf = pendingPlans.get(row.assignmentId) ?? new Set<string>();
    pendingPlans.set(row.assignmentId, plansOf.add(row.planId));
  }
  const unsubscribed = await loadUnsubscribed(tx, tenantId, [...new Set(assignments.map((a) => a.learnerId))]);
  const suppressed = await loadSuppressed(tx, tenantId, assignments.flatMap((a) => [a.email, ...(a.responsibleEmail ? [a.responsibleEmail] : [])]));
  const anyResponsible = assignments.some((a) => a.responsibleEmail);
  const timezone = anyResponsible ? await tenantTimezone(tx, tenantId) : "UTC";
  const weekOf = memo((ms: number) => isoWeekOf(new Date(ms), timezone));
  const thisWeek = weekOf(now.getTime());
  // A cohort assigned at one instant shares its schedule: computed once per page.
  const scheduleOf = memo((key: string) => {
    const [planId, assignedAt, dueAt] = key.split(" ");
    return computeSchedule(plansById.get(planId!)!.schedule, { assignedAt: new Date(Number(assignedAt)), dueAt: dueAt ? new Date(Number(dueAt)) : null, completedAt: null });
  });

  const cancels = new Map<CancelReason, string[]>();
  const cancel = (reason: CancelReason, rows: PendingRow[]) => {
    if (rows.length === 0) return;
    const ids = cancels.get(reason) ?? [];
    for (const r of rows) ids.push(r.id);
    cancels.set(reason, ids);
  };
  const reminders: DeliveryInsert[] = [];
  const digests = new Map<string, { recipient: string; at: number }>();

  for (const a of assignments) {
    const closed: CancelReason | null = a.completedAt ? "completed" : a.withdrawnAt ? "withdrawn" : !a.active ? "learner_inactive" : null;
    // The training's active plans, and every plan the assignment still has pending rows of.
    const planIds = new Set([...(onlyPlanId ? [onlyPlanId] : (activeByTraining.get(a.trainingId) ?? []).map((pl) => pl.id)), ...(pendingPlans.get(a.id) ?? [])]);
    for (const planId of planIds) {
      const rows = pendingByPair.get(`${planId} ${a.id}`) ?? [];
      const plan = plansById.get(planId);
      const stop: CancelReason | null =
        closed ??
        (!plan || plan.trainingId !== a.trainingId ? "plan_changed" : !plan.active ? "plan_inactive" : unsubscribed.has(`${planId} ${a.learnerId}`) ? "unsubscribed" : null);
      if (stop || !plan) {
        cancel(stop ?? "plan_changed", rows);
        continue;
      }
      out.pairs++;
      // Nothing pending and nothing that can fall in the window (a finished or far-off series): nothing to do.
      if (rows.length === 0 && !mayFallIn(plan.schedule, a, lower, upper)) continue;
      const schedule = scheduleOf(`${plan.id} ${a.assignedAt.getTime()} ${a.dueAt?.getTime() ?? ""}`);

      if (suppressed.has(a.email.toLowerCase())) cancel("suppressed", rows);
      else {
        const byNumber = new Map(rows.map((r) => [r.occurrence!, r]));
        for (const d of schedule.details) {
          const at = d.at.getTime();
          const row = byNumber.get(d.number);
          byNumber.delete(d.number);
          if (row) {
            const moved = row.dueAt.getTime() !== at;
            // An instant moved to long ago would go out at once, late: dropped like a late first plan.
            if (moved && at < lower) cancel("plan_changed", [row]);
            else if (moved || row.recipient !== a.email || row.learnerId !== a.learnerId) reminders.push(reminderRow(tenantId, plan.id, a, d.number, d.at, now));
          } else if (inWindow(at)) reminders.push(reminderRow(tenantId, plan.id, a, d.number, d.at, now));
        }
        cancel("plan_changed", [...byNumber.values()]);
      }

      if (a.responsibleEmail && !suppressed.has(a.responsibleEmail.toLowerCase())) {
        for (const at of schedule.digests) {
          const ms = at.getTime();
          if (!inWindow(ms)) continue;
          const week = weekOf(ms);
          if (week < thisWeek) continue;
          const key = digestKey(a.responsibleEmail, week);
          const seen = digests.get(key);
          if (!seen || ms < seen.at) digests.set(key, { recipient: a.responsibleEmail.trim(), at: ms });
        }
      }
    }
  }

  for (const [reason, ids] of cancels) out.cancelled += await cancelIds(tx, tenantId, ids, reason, now);
  add(out, await upsertReminders(tx, reminders));
  add(
    out,
    await upsertDigests(
      tx,
      [...digests].map(([key, v]) => newRow(tenantId, { kind: "digest", digestKey: key }, v.recipient, new Date(v.at), now)),
    ),
  );
  return out;
}

async function loadPendingReminders(tx: Db, tenantId: string, assignmentIds: string[], onlyPlanId?: string): Promise<PendingRow[]> {
  const d = tx.t.deliveries;
  const out: PendingRow[] = [];
  for (const ids of chunks(assignmentIds)) {
    const rows = await tx.orm
      .select({
        id: d.id,
        planId: d.planId,
        assignmentId: d.assignmentId,
        learnerId: d.learnerId,
        occurrence: d.occurrence,
        recipient: d.recipient,
        dueAt: d.dueAt,
      })
      .from(d)
      .where(
        and(
          inArray(d.assignmentId, ids),
          inArray(d.status, [...PENDING_STATUSES]),
          sameTenant(tx, d.tenantId, tenantId),
          onlyPlanId ? eq(d.planId, onlyPlanId) : undefined,
        ),
      );
    out.push(...rows);
  }
  return out;
}

async function loadUnsubscribed(tx: Db, tenantId: string, learnerIds: string[]): Promise<Set<string>> {
  const u = tx.t.unsubscribes;
  const out = new Set<string>();
  for (const ids of chunks(learnerIds)) {
    const rows = await tx.orm
      .select({ planId: u.planId, learnerId: u.learnerId })
      .from(u)
      .where(and(inArray(u.learnerId, ids), sameTenant(tx, u.tenantId, tenantId)));
    for (const r of rows) out.add(`${r.planId} ${r.learnerId}`);
  }
  return out;
}

/** The tenant's suppressed addresses among these (lower-cased). */
async function loadSuppressed(tx: Db, tenantId: string, addresses: string[]): Promise<Set<string>> {
  const s = tx.t.suppressions;
  const out = new Set<string>();
  for (const list of chunks([...new Set(addresses.map((x) => x.trim().toLowerCase()))])) {
    const rows = await tx.orm
      .select({ address: s.address })
      .from(s)
      .where(and(eq(s.tenantId, tenantId), inArray(s.address, list)));
    for (const r of rows) out.add(r.address);
  }
  return out;
}

// ── Writing ──────────────────────────────────────────────────────────────────

const pendingSql = (tx: Db) => inArray(tx.t.deliveries.status, [...PENDING_STATUSES]);

async function cancelWhere(tx: Db, where: SQL, reason: CancelReason, now: Date): Promise<number> {
  const d = tx.t.deliveries;
  const rows = await tx.orm
    .update(d)
    .set({ status: "cancelled", cancelReason: reason, updatedAt: now })
    .where(and(where, pendingSql(tx)))
    .returning({ id: d.id });
  return rows.length;
}

async function cancelIds(tx: Db, tenantId: string, ids: string[], reason: CancelReason, now: Date): Promise<number> {
  let n = 0;
  // Sorted: two transactions cancelling overlapping rows take the locks in one order.
  for (const list of chunks([...ids].sort())) {
    n += await cancelWhere(tx, and(inArray(tx.t.deliveries.id, list), sameTenant(tx, tx.t.deliveries.tenantId, tenantId))!, reason, now);
  }
  return n;
}

/** A new outbox row: planned for `at`. */
function newRow(
  tenantId: string,
  key: { kind: "reminder"; planId: string; assignmentId: string; learnerId: string; occurrence: number } | { kind: "digest"; digestKey: string },
  recipient: string,
  at: Date,
  now: Date,
): DeliveryInsert {
  return {
    planId: null,
    assignmentId: null,
    learnerId: null,
    occurrence: null,
    digestKey: null,
    ...key,
    id: crypto.randomUUID(),
    tenantId,
    recipient,
    dueAt: at,
    nextAttemptAt: at,
    status: "planned",
    attempts: 0,
    createdAt: now,
    updatedAt: now,
  };
}

function reminderRow(tenantId: string, planId: string, a: AssignmentFacts, occurrence: number, at: Date, now: Date): DeliveryInsert {
  return newRow(tenantId, { kind: "reminder", planId, assignmentId: a.id, learnerId: a.learnerId, occurrence }, a.email, at, now);
}

/**
 * What an upsert that hits an existing row writes: the new instant (a retrying row
 * keeps its backoff's nextAttemptAt), and a cancelled row comes back as planned with a
 * fresh give-up clock. Everything is evaluated against the row as it was.
 */
function upsertSet(tx: Db): Record<string, SQL> {
  const d = tx.t.deliveries;
  return {
    dueAt: excluded(d.dueAt),
    nextAttemptAt: sql`case when ${d.status} = 'retrying' then ${d.nextAttemptAt} else ${excluded(d.nextAttemptAt)} end`,
    status: sql`case when ${d.status} = 'cancelled' then 'planned' else ${d.status} end`,
    cancelReason: sql`null`,
    firstAttemptAt: sql`case when ${d.status} = 'cancelled' then null else ${d.firstAttemptAt} end`,
    updatedAt: excluded(d.updatedAt),
  };
}

/** Rows in the order of their unique key, so concurrent planners lock in one order (Postgres). */
function inKeyOrder(rows: DeliveryInsert[]): DeliveryInsert[] {
  const key = (r: DeliveryInsert) => `${r.planId ?? ""} ${r.assignmentId ?? ""} ${String(r.occurrence ?? 0).padStart(3, "0")} ${r.digestKey ?? ""}`;
  return [...rows].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
}

async function upsertReminders(tx: Db, rows: DeliveryInsert[]): Promise<PlanningCounts> {
  const d = tx.t.deliveries;
  const out = zero();
  for (const chunk of chunks(inKeyOrder(rows))) {
    const returned = await jsonUpsert(tx, d, chunk, {
      target: [d.planId, d.assignmentId, d.occurrence],
      set: { ...upsertSet(tx), recipient: excluded(d.recipient), learnerId: excluded(d.learnerId) },
      // Never sent, failed or sending rows; a pending row only when something differs.
      setWhere: sql`(${pendingSql(tx)} and (${differs(tx, d.dueAt)} or ${differs(tx, d.recipient)} or ${differs(tx, d.learnerId)})) or ${d.status} = 'cancelled'`,
      returning: { id: d.id },
    });
    tally(out, chunk, returned);
  }
  return out;
}

async function upsertDigests(tx: Db, rows: DeliveryInsert[]): Promise<PlanningCounts> {
  const d = tx.t.deliveries;
  const out = zero();
  for (const chunk of chunks(inKeyOrder(rows))) {
    const returned = await jsonUpsert(tx, d, chunk, {
      target: [d.tenantId, d.digestKey],
      set: upsertSet(tx),
      // The week's earliest instant wins; a row already tried (retrying) stays. A cancelled
      // row comes back for a later instant (found empty earlier that week) or when the
      // reason it was cancelled for is gone (suppression removed).
      setWhere: sql`(${d.status} in ('planned', 'deferred') and ${excluded(d.dueAt)} < ${d.dueAt})
        or (${d.status} = 'cancelled' and (${d.cancelReason} is null or ${d.cancelReason} <> 'digest_empty' or ${excluded(d.dueAt)} > ${d.dueAt}))`,
      returning: { id: d.id },
    });
    tally(out, chunk, returned);
  }
  return out;
}

/** An upsert's RETURNING: the id we generated = a new row, another id = an existing row it changed. */
function tally(out: PlanningCounts, sent: DeliveryInsert[], returned: Record<string, unknown>[]) {
  const fresh = new Set(sent.map((r) => r.id));
  for (const r of returned) {
    if (fresh.has(r.id as string)) out.inserted++;
    else out.updated++;
  }
}

/**
 * False when no reminder or digest of the plan for this assignment can lie in
 * [lower, upper]: bounds from the schedule's dates alone (D0, the end date, the 365-day
 * cap), widened by three days for the zone, the send time and the weekend rule.
 */
function mayFallIn(s: PlanSchedule, a: { assignedAt: Date; dueAt: Date | null }, lower: number, upper: number): boolean {
  const slack = 3 * DAY_MS;
  let first: number;
  if (s.anchor === "assigned") first = a.assignedAt.getTime() + s.offsetDays * DAY_MS;
  else if (s.anchor === "due") {
    if (!a.dueAt) return false;
    first = a.dueAt.getTime() - s.offsetDays * DAY_MS;
  } else {
    if (!s.startDate) return false;
    first = Date.parse(`${s.startDate}T00:00:00Z`);
  }
  let last = s.repeatEveryDays === null && s.escalateAfterSends === null ? first : first + MAX_PLAN_DAYS * DAY_MS;
  if (s.endDate) last = Math.min(last, Date.parse(`${s.endDate}T00:00:00Z`) + DAY_MS);
  return first - slack <= upper && last + slack >= lower;
}

// ── Small helpers ────────────────────────────────────────────────────────────

/**
 * Page sizes of a sweep: `fixed` when given; else PAGE_SIZE, which on SQLite adapts after
 * each page so that a page's transaction takes about SQLITE_SLICE_MS (timed around the
 * transaction, never inside it).
 */
function pager(db: Db, fixed: number | undefined) {
  let size = fixed ?? PAGE_SIZE;
  const adapt = fixed === undefined && db.dialect === "sqlite";
  return {
    get size() {
      return size;
    },
    async run<T>(page: () => Promise<T>): Promise<T> {
      const start = performance.now();
      const out = await page();
      if (adapt) {
        const ms = Math.max(1, performance.now() - start);
        size = Math.max(20, Math.min(1000, 2 * size, Math.round((size * SQLITE_SLICE_MS) / ms)));
      }
      return out;
    },
  };
}

const DAY_MS = 86_400_000;

function memo<K, V>(fn: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, fn(key));
    return cache.get(key)!;
  };
}

function zero(): PlanningCounts {
  return { inserted: 0, updated: 0, cancelled: 0 };
}

function add(total: PlanningCounts, c: PlanningCounts) {
  total.inserted += c.inserted;
  total.updated += c.updated;
  total.cancelled += c.cancelled;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(key(item));
    if (list) list.push(item);
    else out.set(key(item), [item]);
  }
  return out;
}

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
