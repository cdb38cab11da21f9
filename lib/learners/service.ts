import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { writeAuditBy } from "../audit/log";
import { can, type UseCaseActor } from "../auth/policy";
import type { Db } from "../db";
import { planAssignments, planLearners } from "../delivery/planner";
import { fail, ok, type FieldErrorKeys, type Outcome } from "../errors";
import type { Localized } from "../i18n/locale";
import type { TenantRef } from "../reminders/service";
import { validationMessages } from "../validation/messages";
import { localizedIssues } from "../validation/localize";
import {
  assignmentInsert,
  findAssignment,
  getLearner,
  getTrainingView,
  learnerIdsByExternalId,
  learnerInsert,
  markCompleted,
  markWithdrawn,
  toAssignmentView,
  toLearnerView,
  updateLearnerActive,
  upsertAssignments,
  upsertLearners,
  upsertTraining,
  type AssignmentView,
  type LearnerView,
  type TrainingView,
  type WriteResult,
} from "./queries";
import {
  assignmentPutSchema,
  completionSchema,
  externalIdSchema,
  learnerBatchSchema,
  learnerPutSchema,
  trainingPutSchema,
  type LearnerRow,
} from "./schema";
import { stopPendingReminders } from "./stop-reminders";

/**
 * The learning platform's writes: idempotent upserts by external id (unique per
 * tenant), each one transaction with exactly one audit entry, and none at all when
 * nothing changed. Closing an assignment or deactivating a learner cancels its pending
 * reminders in the same transaction; a written assignment, a changed learner and a
 * reactivation plan theirs there too (lib/delivery/planner.ts: statements only). The HTTP API, the pages, the CLI and the CSV
 * import (through applyLearnerRows) all write through here.
 */

export type { TenantRef } from "../reminders/service";
export type { WriteResult } from "./queries";

const NO_LEARNER: Localized = {
  de: "Dieser Mandant hat keine lernende Person mit dieser externen ID.",
  en: "This tenant has no learner with this external ID.",
};
const NO_TRAINING: Localized = {
  de: "Dieser Mandant hat keine Schulung mit dieser externen ID.",
  en: "This tenant has no training with this external ID.",
};
const NO_ASSIGNMENT: Localized = {
  de: "Diese Schulung ist dieser Person nicht zugewiesen.",
  en: "This training is not assigned to this learner.",
};

/**
 * Parses the path's external ids and the body with the shared schemas; every bad field
 * is named at once (ids under their own names, body fields under theirs).
 */
function parseRequest<K extends string, S extends z.ZodType>(
  ids: Record<K, unknown>,
  schema: S,
  input: unknown,
): { ok: true; ids: Record<K, string>; input: z.output<S> } | { ok: false; errors: FieldErrorKeys } {
  const out = {} as Record<K, string>;
  const errors: FieldErrorKeys = {};
  for (const [name, value] of Object.entries(ids) as [K, unknown][]) {
    const parsed = externalIdSchema.safeParse(value);
    if (parsed.success) out[name] = parsed.data;
    else errors[name] = localizedIssues(parsed.error)._form!;
  }
  const body = schema.safeParse(input);
  if (!body.success) Object.assign(errors, localizedIssues(body.error));
  return body.success && Object.keys(errors).length === 0 ? { ok: true, ids: out, input: body.data } : { ok: false, errors };
}

// ── Trainings ────────────────────────────────────────────────────────────────

export async function putTraining(
  db: Db,
  params: { tenant: TenantRef; actor: UseCaseActor; externalId: unknown; input: unknown; now?: Date },
): Promise<Outcome<{ training: TrainingView; created: boolean; changed: boolean }>> {
  if (!can(params.actor, "learners.edit")) return fail("forbidden");
  const request = parseRequest({ externalId: params.externalId }, trainingPutSchema, params.input);
  if (!request.ok) return fail("invalid", request.errors);
  const tenantId = params.tenant.id;
  const externalId = request.ids.externalId;
  const now = params.now ?? new Date();
  const { name, link } = request.input;
  const training = await db.transaction(async (tx) => {
    const saved = await upsertTraining(tx, { tenantId, externalId, name, link, now });
    if (saved.result !== "unchanged") {
      await writeAuditBy(
        tx,
        params.actor,
        { tenantId, action: "training.put", targetType: "training", targetId: saved.id, details: { externalId, name, link, created: saved.result === "created" } },
        now,
      );
    }
    return { result: saved.result, view: (await getTrainingView(tx, { tenantId, externalId }))! };
  });
  return ok({ training: training.view, created: training.result === "created", changed: training.result !== "unchanged" });
}

// ── Learners ─────────────────────────────────────────────────────────────────

export async function putLearner(
  db: Db,
  params: { tenant: TenantRef; actor: UseCaseActor; externalId: unknown; input: unknown; now?: Date },
): Promise<Outcome<{ learner: LearnerView; created: boolean; changed: boolean }>> {
  if (!can(params.actor, "learners.edit")) return fail("forbidden");
  const request = parseRequest({ externalId: params.externalId }, learnerPutSchema, params.input);
  if (!request.ok) return fail("invalid", request.errors);
  const tenantId = params.tenant.id;
  const externalId = request.ids.externalId;
  const now = params.now ?? new Date();
  const row: LearnerRow = { ...request.input, externalId };
  const saved = await db.transaction(async (tx) => {
    const [result] = await applyLearnerRows(tx, { tenantId, rows: [{ learner: row }], now });
    const learner = (await getLearner(tx, { tenantId, externalId }))!;
    if (result !== "unchanged") {
      await writeAuditBy(
        tx,
        params.actor,
        {
          tenantId,
          action: "learner.put",
          targetType: "learner",
          targetId: learner.id,
          details: { externalId, created: result === "created", active: row.active },
        },
        now,
      );
    }
    return { result: result!, learner };
  });
  return ok({ learner: toLearnerView(saved.learner), created: saved.result === "created", changed: saved.result !== "unchanged" });
}

export interface BatchResult {
  created: number;
  updated: number;
  unchanged: number;
  learners: { externalId: string; result: WriteResult }[];
}

const DUPLICATE_IN_BATCH: Localized = validationMessages["learners.duplicateInBatch"]!;

/** POST /api/v1/learners/batch: every row is saved, or (any row invalid) none. */
export async function upsertLearnerBatch(
  db: Db,
  params: { tenant: TenantRef; actor: UseCaseActor; input: unknown; now?: Date },
): Promise<Outcome<BatchResult>> {
  if (!can(params.actor, "learners.edit")) return fail("forbidden");
  const parsed = learnerBatchSchema.safeParse(params.input);
  const errors: FieldErrorKeys = parsed.success ? {} : localizedIssues(parsed.error);
  if (parsed.success) {
    const first = new Map<string, number>();
    parsed.data.learners.forEach((l, i) => {
      if (first.has(l.externalId)) errors[`learners.${i}.externalId`] = DUPLICATE_IN_BATCH;
      else first.set(l.externalId, i);
    });
  }
  if (!parsed.success || Object.keys(errors).length > 0) return fail("invalid", errors);
  const rows = parsed.data.learners;
  const tenantId = params.tenant.id;
  const now = params.now ?? new Date();
  const results = await db.transaction(async (tx) => {
    const out = await applyLearnerRows(tx, { tenantId, rows: rows.map((learner) => ({ learner })), now });
    const counts = countResults(out);
    if (counts.created + counts.updated > 0) {
      await writeAuditBy(tx, params.actor, { tenantId, action: "learner.batch", targetType: "learner", details: { ...counts } }, now);
    }
    return out;
  });
  return ok({ ...countResults(results), learners: rows.map((r, i) => ({ externalId: r.externalId, result: results[i]! })) });
}

function countResults(results: WriteResult[]) {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (const r of results) counts[r]++;
  return counts;
}

/** Activates or deactivates a learner by internal id; deactivating stops their pending reminders. */
export async function setLearnerActive(
  db: Db,
  params: { tenant: TenantRef; actor: UseCaseActor; learnerId: string; active: boolean; now?: Date },
): Promise<Outcome<{ changed: boolean; cancelledReminders: number }>> {
  if (!can(params.actor, "learners.edit")) return fail("forbidden");
  const tenantId = params.tenant.id;
  const now = params.now ?? new Date();
  const { learnerId, active } = params;
  const result = await db.transaction(async (tx) => {
    const learner = await getLearner(tx, { tenantId, id: learnerId });
    if (!learner) return null;
    const changed = await updateLearnerActive(tx, { tenantId, learnerId, active, now });
    if (!changed) return { changed, cancelledReminders: 0 };
    const cancelledReminders = active ? 0 : await stopPendingReminders(tx, { tenantId, learnerId, reason: "learner_inactive", now });
    if (active) await planLearners(tx, { tenantId, learnerIds: [learnerId], now });
    await writeAuditBy(
      tx,
      params.actor,
      {
        tenantId,
        action: active ? "learner.activate" : "learner.deactivate",
        targetType: "learner",
        targetId: learnerId,
        details: { externalId: learner.externalId, cancelledReminders },
      },
      now,
    );
    return { changed, cancelledReminders };
  });
  return result ? ok(result) : fail("notFound");
}

// ── Assignments ──────────────────────────────────────────────────────────────

/** The learner's and the training's internal ids, or the notFound field errors. */
async function resolvePair(db: Db, tenantId: string, ids: { learnerExternalId: string; trainingExternalId: string }) {
  const l = db.t.learners;
  const t = db.t.trainings;
  const [[learner], [training]] = await Promise.all([
    db.orm.select({ id: l.id }).from(l).where(and(eq(l.tenantId, tenantId), eq(l.externalId, ids.learnerExternalId))),
    db.orm.select({ id: t.id }).from(t).where(and(eq(t.tenantId, tenantId), eq(t.externalId, ids.trainingExternalId))),
  ]);
  const errors: FieldErrorKeys = {};
  if (!learner) errors.learnerExternalId = NO_LEARNER;
  if (!training) errors.trainingExternalId = NO_TRAINING;
  return learner && training ? { ok: true as const, learnerId: learner.id, trainingId: training.id } : { ok: false as const, errors };
}

export async function putAssignment(
  db: Db,
  params: { tenant: TenantRef; actor: UseCaseActor; learnerExternalId: unknown; trainingExternalId: unknown; input: unknown; now?: Date },
): Promise<Outcome<{ assignment: AssignmentView; created: boolean; changed: boolean }>> {
  if (!can(params.actor, "learners.edit")) return fail("forbidden");
  const request = parseRequest(
    { learnerExternalId: params.learnerExternalId, trainingExternalId: params.trainingExternalId },
    assignmentPutSchema,
    params.input,
  );
  if (!request.ok) return fail("invalid", request.errors);
  const tenantId = params.tenant.id;
  const now = params.now ?? new Date();
  const { ids, input } = request;
  const outcome = await db.transaction(async (tx) => {
    const pair = await resolvePair(tx, tenantId, ids);
    if (!pair.ok) return { notFound: pair.errors };
    const row = assignmentInsert(tenantId, { learnerId: pair.learnerId, trainingId: pair.trainingId, ...input }, now);
    const saved = (await upsertAssignments(tx, [row])).values().next().value;
    const stored = (await findAssignment(tx, { tenantId, ...ids }))!;
    if (saved) {
      await planAssignments(tx, { tenantId, assignmentIds: [stored.id], now });
      await writeAuditBy(
        tx,
        params.actor,
        {
          tenantId,
          action: "assignment.put",
          targetType: "assignment",
          targetId: stored.id,
          details: { ...ids, assignedAt: input.assignedAt.toISOString(), dueAt: input.dueAt?.toISOString() ?? null, created: saved.result === "created" },
        },
        now,
      );
    }
    return { result: saved?.result ?? ("unchanged" as const), stored };
  });
  if ("notFound" in outcome) return fail("notFound", outcome.notFound);
  return ok({
    assignment: toAssignmentView(outcome.stored, ids, now),
    created: outcome.result === "created",
    changed: outcome.result !== "unchanged",
  });
}

/** The assignment of the two external ids, or notFound naming what is missing. */
async function existingAssignment(db: Db, tenantId: string, ids: { learnerExternalId: string; trainingExternalId: string }) {
  const found = await findAssignment(db, { tenantId, ...ids });
  if (found) return { ok: true as const, found };
  const pair = await resolvePair(db, tenantId, ids);
  return { ok: false as const, errors: pair.ok ? { trainingExternalId: NO_ASSIGNMENT } : pair.errors };
}

type FoundAssignment = NonNullable<Awaited<ReturnType<typeof findAssignment>>>;
type Lookup = { ok: true; found: FoundAssignment } | { ok: false; errors?: FieldErrorKeys };

/** How an assignment is closed: completed at an instant, or withdrawn (now). */
export type Closing = { how: "complete"; completedAt: Date } | { how: "withdraw" };

const CLOSING = {
  complete: { action: "assignment.complete", reason: "completed" },
  withdraw: { action: "assignment.withdraw", reason: "withdrawn" },
} as const;

interface Closed {
  changed: boolean;
  cancelledReminders: number;
  assignment: AssignmentView;
}

/**
 * Every way of closing an assignment (the API by external ids, the page by internal id)
 * ends here: one transaction that finds the assignment with `lookup`, marks it, stops
 * its pending reminders and writes one audit entry; nothing (and no audit) when it was
 * closed so already.
 */
async function closeFound(
  db: Db,
  params: { tenantId: string; actor: UseCaseActor; closing: Closing; now: Date; lookup: (tx: Db) => Promise<Lookup> },
): Promise<Outcome<Closed>> {
  const { tenantId, closing, now } = params;
  const outcome = await db.transaction(async (tx) => {
    const existing = await params.lookup(tx);
    if (!existing.ok) return { notFound: existing.errors };
    const { found } = existing;
    const assignmentId = found.id;
    const changed =
      closing.how === "complete"
        ? await markCompleted(tx, { tenantId, assignmentId, completedAt: closing.completedAt, now })
        : await markWithdrawn(tx, { tenantId, assignmentId, now });
    if (!changed) return { changed, cancelledReminders: 0, stored: found };
    const { action, reason } = CLOSING[closing.how];
    const cancelledReminders = await stopPendingReminders(tx, { tenantId, assignmentIds: [assignmentId], reason, now });
    const ids = { learnerExternalId: found.learnerExternalId, trainingExternalId: found.trainingExternalId };
    const when = closing.how === "complete" ? { completedAt: closing.completedAt.toISOString() } : {};
    await writeAuditBy(
      tx,
      params.actor,
      { tenantId, action, targetType: "assignment", targetId: assignmentId, details: { ...ids, ...when, cancelledReminders } },
      now,
    );
    const stored = closing.how === "complete" ? { ...found, completedAt: closing.completedAt } : { ...found, withdrawnAt: now };
    return { changed, cancelledReminders, stored };
  });
  if ("notFound" in outcome) return fail("notFound", outcome.notFound);
  const { changed, cancelledReminders, stored } = outcome;
  return ok({ changed, cancelledReminders, assignment: toAssignmentView(stored, stored, now) });
}

/** DELETE of an assignment: withdrawn (kept for the record), its pending reminders cancelled. */
export async function withdrawAssignment(
  db: Db,
  params: { tenant: TenantRef; actor: UseCaseActor; learnerExternalId: unknown; trainingExternalId: unknown; now?: Date },
): Promise<Outcome<{ withdrawn: boolean; cancelledReminders: number }>> {
  if (!can(params.actor, "learners.edit")) return fail("forbidden");
  const request = parseRequest({ learnerExternalId: params.learnerExternalId, trainingExternalId: params.trainingExternalId }, z.unknown(), undefined);
  if (!request.ok) return fail("invalid", request.errors);
  const tenantId = params.tenant.id;
  const outcome = await closeFound(db, {
    tenantId,
    actor: params.actor,
    closing: { how: "withdraw" },
    now: params.now ?? new Date(),
    lookup: (tx) => existingAssignment(tx, tenantId, request.ids),
  });
  return outcome.ok ? ok({ withdrawn: outcome.data.changed, cancelledReminders: outcome.data.cancelledReminders }) : outcome;
}

/** POST /api/v1/completions: records when the training was completed and stops its reminders. */
export async function recordCompletion(
  db: Db,
  params: { tenant: TenantRef; actor: UseCaseActor; input: unknown; now?: Date },
): Promise<Outcome<Closed>> {
  if (!can(params.actor, "learners.edit")) return fail("forbidden");
  const parsed = completionSchema.safeParse(params.input);
  if (!parsed.success) return fail("invalid", localizedIssues(parsed.error));
  const { learnerExternalId, trainingExternalId, completedAt } = parsed.data;
  const tenantId = params.tenant.id;
  return closeFound(db, {
    tenantId,
    actor: params.actor,
    closing: { how: "complete", completedAt },
    now: params.now ?? new Date(),
    lookup: (tx) => existingAssignment(tx, tenantId, { learnerExternalId, trainingExternalId }),
  });
}

/**
 * The learner page's "mark completed" and "withdraw": the assignment named by its
 * internal id, so one to a training without an external id (created in the app, assigned
 * by the CSV import) can be closed too. Another tenant's assignment is notFound, exactly
 * like a missing one. Completion defaults to `now`.
 */
export async function closeAssignment(
  db: Db,
  params: { tenant: TenantRef; actor: UseCaseActor; assignmentId: string; how: Closing["how"]; completedAt?: Date; now?: Date },
): Promise<Outcome<Closed>> {
  if (!can(params.actor, "learners.edit")) return fail("forbidden");
  const tenantId = params.tenant.id;
  const now = params.now ?? new Date();
  const closing: Closing = params.how === "complete" ? { how: "complete", completedAt: params.completedAt ?? now } : { how: "withdraw" };
  return closeFound(db, {
    tenantId,
    actor: params.actor,
    closing,
    now,
    lookup: async (tx) => {
      const found = await findAssignment(tx, { tenantId, id: params.assignmentId });
      return found ? { ok: true, found } : { ok: false };
    },
  });
}

// ── The CSV import's building block ──────────────────────────────────────────

export interface ImportRow {
  learner: LearnerRow;
  assignment?: { trainingId: string; assignedAt: Date; dueAt: Date | null };
}

/**
 * Writes learners and their assignments with multi-row upserts, inside the caller's
 * transaction (no authorization, no audit: the caller does both). The same learner may
 * appear in several rows (one per training): the last row's values win, its first row
 * carries the learner's result, and a row is "updated" when only its assignment changed.
 * Learners that turned inactive have their pending reminders cancelled; changed learners
 * and the assignments written are planned (lib/delivery/planner.ts).
 */
export async function applyLearnerRows(
  tx: Db,
  params: { tenantId: string; rows: ImportRow[]; now: Date },
): Promise<WriteResult[]> {
  const { tenantId, rows, now } = params;
  const learners = new Map<string, ReturnType<typeof learnerInsert>>();
  for (const r of rows) learners.set(r.learner.externalId, learnerInsert(tenantId, r.learner, now));
  const learnerResults = await upsertLearners(tx, [...learners.values()]);

  const withAssignment = rows.filter((r) => r.assignment);
  const pairResults = new Map<string, WriteResult>();
  /** Written assignments (created or updated) by learner id. */
  const written = new Map<string, string[]>();
  if (withAssignment.length > 0) {
    await assertTrainingsOfTenant(tx, tenantId, withAssignment.map((r) => r.assignment!.trainingId));
    const ids = new Map([...learnerResults].map(([ext, v]) => [ext, v.id]));
    const missing = [...new Set(withAssignment.map((r) => r.learner.externalId).filter((ext) => !ids.has(ext)))];
    for (const [ext, id] of await learnerIdsByExternalId(tx, { tenantId, externalIds: missing })) ids.set(ext, id);
    const pairs = new Map<string, ReturnType<typeof assignmentInsert>>();
    for (const r of withAssignment) {
      const learnerId = ids.get(r.learner.externalId)!;
      pairs.set(`${r.learner.externalId} ${r.assignment!.trainingId}`, assignmentInsert(tenantId, { learnerId, ...r.assignment! }, now));
    }
    const saved = await upsertAssignments(tx, [...pairs.values()]);
    for (const [key, row] of pairs) {
      const s = saved.get(`${row.learnerId} ${row.trainingId}`);
      if (!s) continue;
      pairResults.set(key, s.result);
      written.set(row.learnerId, [...(written.get(row.learnerId) ?? []), s.id]);
    }
  }

  const deactivated = [...learners.values()].filter((l) => !l.active && learnerResults.has(l.externalId));
  if (deactivated.length > 0) {
    await stopPendingReminders(tx, {
      tenantId,
      learnerIds: deactivated.map((l) => learnerResults.get(l.externalId)!.id),
      reason: "learner_inactive",
      now,
    });
  }
  // A changed learner (address, responsible person, language, reactivated) re-plans all
  // their open assignments; the other written assignments are planned one by one.
  const changed = [...learners.values()].filter((l) => l.active && learnerResults.get(l.externalId)?.result === "updated").map((l) => learnerResults.get(l.externalId)!.id);
  await planLearners(tx, { tenantId, learnerIds: changed, now });
  for (const id of changed) written.delete(id);
  await planAssignments(tx, { tenantId, assignmentIds: [...written.values()].flat(), now });

  const seen = new Set<string>();
  return rows.map((r) => {
    const ext = r.learner.externalId;
    const learnerResult = seen.has(ext) ? "unchanged" : (learnerResults.get(ext)?.result ?? "unchanged");
    seen.add(ext);
    // A changed assignment counts once, on the first row that names it.
    const assignmentChanged = r.assignment ? pairResults.delete(`${ext} ${r.assignment.trainingId}`) : false;
    return learnerResult !== "unchanged" ? learnerResult : assignmentChanged ? "updated" : "unchanged";
  });
}

/** Import rows name trainings by internal id: refuse one of another tenant loudly. */
async function assertTrainingsOfTenant(tx: Db, tenantId: string, trainingIds: string[]) {
  const wanted = [...new Set(trainingIds)];
  const t = tx.t.trainings;
  const found = await tx.orm
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.tenantId, tenantId), inArray(t.id, wanted)));
  if (found.length !== wanted.length) throw new Error("applyLearnerRows: a training id that is not this tenant's");
}
