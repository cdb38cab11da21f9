import crypto from "node:crypto";
import { and, asc, count, desc, eq, exists, inArray, isNotNull, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db";
import { getTrainingByExternalId } from "../reminders/queries";
import { decodeLearnerCursor, encodeLearnerCursor } from "./cursor";
import { differs, excluded, jsonUpsert, sameTenant } from "./sql";
import type { LearnerListQuery, LearnerRow } from "./schema";
import { assignmentStatus, assignmentStatusWhere, type AssignmentStatus } from "./status";

/**
 * Learners, trainings (by external id) and assignments. Every statement carries the
 * tenant predicate: an external id or id of another tenant behaves like a missing one.
 * Writes are upserts keyed by the unique indexes, so parallel requests for the same
 * new record end in one row (the loser's insert becomes an update or a no-op) and a
 * write that changes nothing touches nothing: "created / updated / unchanged" comes
 * from the statement itself, not from a read before it.
 */

export type WriteResult = "created" | "updated" | "unchanged";

export interface LearnerView {
  externalId: string;
  email: string;
  firstName: string;
  lastName: string;
  locale: "de" | "en" | null;
  responsibleName: string | null;
  responsibleEmail: string | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface TrainingView {
  externalId: string;
  name: string;
  link: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AssignmentView {
  learnerExternalId: string;
  /** null only for a training created in the app without an external id (CSV import). */
  trainingExternalId: string | null;
  assignedAt: Date;
  dueAt: Date | null;
  completedAt: Date | null;
  withdrawnAt: Date | null;
  status: AssignmentStatus;
}

export interface DeliveryView {
  id: string;
  kind: "reminder" | "digest";
  planId: string | null;
  dueAt: Date;
  status: "planned" | "sending" | "retrying" | "deferred" | "sent" | "failed" | "cancelled";
  cancelReason: string | null;
  sentAt: Date | null;
  attempts: number;
}

export type LearnerListItem = LearnerView & { id: string; openCount: number; overdueCount: number; completedCount: number };

export type LearnerDetail = LearnerView & {
  id: string;
  /** `id`: the assignment's internal id (what the page's forms name). */
  assignments: (AssignmentView & { id: string; trainingName: string })[];
  deliveries: DeliveryView[];
};

type Tables = Db["t"];
type LearnerInsert = Tables["learners"]["$inferInsert"] & { id: string; externalId: string };
type AssignmentInsert = Tables["assignments"]["$inferInsert"] & { id: string };

/** What a search matches: "first last email", lower-cased. */
export function searchTextOf(l: { firstName: string; lastName: string; email: string }): string {
  return `${l.firstName} ${l.lastName} ${l.email}`.toLowerCase();
}

// Rows per multi-row statement (and ids per IN list: below both dialects' parameter limits).
const CHUNK = 1000;

function chunks<T>(rows: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Rows in the order of their unique key: two transactions upserting overlapping rows then
 * take the row locks in the same order (Postgres), so they wait for each other instead
 * of deadlocking.
 */
function inKeyOrder<T>(rows: T[], key: (r: T) => string): T[] {
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Sorts an upsert's RETURNING rows: a returned id equal to the id we generated is a new
 * row, another id an existing row that changed; a key not returned was unchanged.
 */
function classify<T extends { id: string }>(sent: T[], returned: T[], key: (r: T) => string) {
  const newIds = new Map(sent.map((r) => [key(r), r.id]));
  const out = new Map<string, { id: string; result: WriteResult }>();
  for (const r of returned) out.set(key(r), { id: r.id, result: newIds.get(key(r)) === r.id ? "created" : "updated" });
  return out;
}

// ── Trainings ────────────────────────────────────────────────────────────────

export async function upsertTraining(
  db: Db,
  params: { tenantId: string; externalId: string; name: string; link: string | null; now: Date },
): Promise<{ id: string; result: WriteResult }> {
  const t = db.t.trainings;
  const id = crypto.randomUUID();
  const [row] = await db.orm
    .insert(t)
    .values({ id, tenantId: params.tenantId, externalId: params.externalId, name: params.name, linkUrl: params.link, createdAt: params.now, updatedAt: params.now })
    .onConflictDoUpdate({
      target: [t.tenantId, t.externalId],
      set: { name: excluded(t.name), linkUrl: excluded(t.linkUrl), updatedAt: excluded(t.updatedAt) },
      setWhere: or(differs(db, t.name), differs(db, t.linkUrl)),
    })
    .returning({ id: t.id });
  if (row) return { id: row.id, result: row.id === id ? "created" : "updated" };
  const existing = await getTrainingByExternalId(db, { tenantId: params.tenantId, externalId: params.externalId });
  return { id: existing!.id, result: "unchanged" };
}

export async function getTrainingView(db: Db, params: { tenantId: string; externalId: string }): Promise<TrainingView | undefined> {
  const row = await getTrainingByExternalId(db, params);
  return row ? { externalId: row.externalId!, name: row.name, link: row.linkUrl, createdAt: row.createdAt, updatedAt: row.updatedAt } : undefined;
}

// ── Learners ─────────────────────────────────────────────────────────────────

export function learnerInsert(tenantId: string, row: LearnerRow, now: Date): LearnerInsert {
  return {
    id: crypto.randomUUID(),
    tenantId,
    externalId: row.externalId,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    locale: row.locale,
    responsibleName: row.responsibleName,
    responsibleEmail: row.responsibleEmail,
    active: row.active,
    searchText: searchTextOf(row),
    deactivatedAt: row.active ? null : now,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Upserts learners (distinct external ids) with multi-row statements. Returns the
 * created and updated ones by external id; an external id missing from the map was
 * unchanged (and not touched: its updatedAt stays).
 */
export async function upsertLearners(db: Db, rows: LearnerInsert[]): Promise<Map<string, { id: string; result: WriteResult }>> {
  const l = db.t.learners;
  const out = new Map<string, { id: string; result: WriteResult }>();
  for (const chunk of chunks(inKeyOrder(rows, (r) => r.externalId))) {
    const returned = await jsonUpsert(db, l, chunk, {
      target: [l.tenantId, l.externalId],
      set: {
        email: excluded(l.email),
        firstName: excluded(l.firstName),
        lastName: excluded(l.lastName),
        locale: excluded(l.locale),
        responsibleName: excluded(l.responsibleName),
        responsibleEmail: excluded(l.responsibleEmail),
        active: excluded(l.active),
        searchText: excluded(l.searchText),
        // Deactivated when it turned inactive; kept while it stays inactive.
        deactivatedAt: sql`case when ${excluded(l.active)} then null when ${l.active} then ${excluded(l.deactivatedAt)} else ${l.deactivatedAt} end`,
        updatedAt: excluded(l.updatedAt),
      },
      setWhere: or(
        differs(db, l.email),
        differs(db, l.firstName),
        differs(db, l.lastName),
        differs(db, l.locale),
        differs(db, l.responsibleName),
        differs(db, l.responsibleEmail),
        differs(db, l.active),
      )!,
      returning: { id: l.id, externalId: l.externalId },
    });
    for (const [k, v] of classify(chunk, returned as { id: string; externalId: string }[], (r) => r.externalId)) out.set(k, v);
  }
  return out;
}

/** Internal ids of this tenant's learners by external id. */
export async function learnerIdsByExternalId(db: Db, params: { tenantId: string; externalIds: string[] }): Promise<Map<string, string>> {
  const l = db.t.learners;
  const out = new Map<string, string>();
  for (const chunk of chunks(params.externalIds)) {
    const rows = await db.orm
      .select({ id: l.id, externalId: l.externalId })
      .from(l)
      .where(and(eq(l.tenantId, params.tenantId), inArray(l.externalId, chunk)));
    for (const r of rows) out.set(r.externalId, r.id);
  }
  return out;
}

const learnerViewColumns = (db: Db) => {
  const l = db.t.learners;
  return {
    id: l.id,
    externalId: l.externalId,
    email: l.email,
    firstName: l.firstName,
    lastName: l.lastName,
    locale: l.locale,
    responsibleName: l.responsibleName,
    responsibleEmail: l.responsibleEmail,
    active: l.active,
    createdAt: l.createdAt,
    updatedAt: l.updatedAt,
  };
};

/** A learner of this tenant by external id or internal id (with the internal id). */
export async function getLearner(
  db: Db,
  params: { tenantId: string; externalId?: string; id?: string },
): Promise<(LearnerView & { id: string }) | undefined> {
  const l = db.t.learners;
  const key = params.id !== undefined ? eq(l.id, params.id) : params.externalId !== undefined ? eq(l.externalId, params.externalId) : undefined;
  if (!key) return undefined;
  const [row] = await db.orm
    .select(learnerViewColumns(db))
    .from(l)
    .where(and(eq(l.tenantId, params.tenantId), key));
  return row;
}

/** The view without the internal id (what the API answers). */
export function toLearnerView(row: LearnerView & { id?: string }): LearnerView {
  const { id: _id, ...view } = row;
  return view;
}

/** Sets active; returns false when nothing changed (already so, or no such learner here). */
export async function updateLearnerActive(
  db: Db,
  params: { tenantId: string; learnerId: string; active: boolean; now: Date },
): Promise<boolean> {
  const l = db.t.learners;
  const changed = await db.orm
    .update(l)
    .set({ active: params.active, deactivatedAt: params.active ? null : params.now, updatedAt: params.now })
    .where(and(eq(l.tenantId, params.tenantId), eq(l.id, params.learnerId), eq(l.active, !params.active)))
    .returning({ id: l.id });
  return changed.length > 0;
}

/** How many active learners the tenant has (the (tenant_id, active) index answers it). */
export async function countActiveLearners(db: Db, params: { tenantId: string }): Promise<number> {
  const l = db.t.learners;
  const [row] = await db.orm
    .select({ n: count() })
    .from(l)
    .where(and(eq(l.tenantId, params.tenantId), eq(l.active, true)));
  return Number(row?.n ?? 0);
}

// ── Assignments ──────────────────────────────────────────────────────────────

export function assignmentInsert(
  tenantId: string,
  a: { learnerId: string; trainingId: string; assignedAt: Date; dueAt: Date | null },
  now: Date,
): AssignmentInsert {
  return {
    id: crypto.randomUUID(),
    tenantId,
    learnerId: a.learnerId,
    trainingId: a.trainingId,
    assignedAt: a.assignedAt,
    dueAt: a.dueAt,
    completedAt: null,
    withdrawnAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

const pairKey = (r: { learnerId: string; trainingId: string }) => `${r.learnerId} ${r.trainingId}`;

/**
 * Upserts assignments (distinct learner × training). A re-sent assignment takes the new
 * dates and is no longer withdrawn; its completion stays. Returns created and updated
 * ones by "learnerId trainingId"; missing from the map = unchanged.
 */
export async function upsertAssignments(db: Db, rows: AssignmentInsert[]): Promise<Map<string, { id: string; result: WriteResult }>> {
  const a = db.t.assignments;
  const out = new Map<string, { id: string; result: WriteResult }>();
  for (const chunk of chunks(inKeyOrder(rows, pairKey))) {
    const returned = await jsonUpsert(db, a, chunk, {
      target: [a.learnerId, a.trainingId],
      set: { assignedAt: excluded(a.assignedAt), dueAt: excluded(a.dueAt), withdrawnAt: sql`null`, updatedAt: excluded(a.updatedAt) },
      setWhere: or(differs(db, a.assignedAt), differs(db, a.dueAt), isNotNull(a.withdrawnAt))!,
      returning: { id: a.id, learnerId: a.learnerId, trainingId: a.trainingId },
    });
    for (const [k, v] of classify(chunk, returned as { id: string; learnerId: string; trainingId: string }[], pairKey)) out.set(k, v);
  }
  return out;
}

/**
 * One assignment of this tenant, by its internal id or by the two external ids, with
 * what its view needs. An id of another tenant's assignment finds nothing.
 */
export async function findAssignment(
  db: Db,
  params: { tenantId: string } & ({ id: string } | { learnerExternalId: string; trainingExternalId: string }),
) {
  const a = db.t.assignments;
  const l = db.t.learners;
  const t = db.t.trainings;
  const key = "id" in params ? eq(a.id, params.id) : and(eq(l.externalId, params.learnerExternalId), eq(t.externalId, params.trainingExternalId));
  const [row] = await db.orm
    .select({
      id: a.id,
      learnerId: a.learnerId,
      trainingId: a.trainingId,
      learnerExternalId: l.externalId,
      trainingExternalId: t.externalId,
      assignedAt: a.assignedAt,
      dueAt: a.dueAt,
      completedAt: a.completedAt,
      withdrawnAt: a.withdrawnAt,
    })
    .from(a)
    .innerJoin(l, and(eq(l.id, a.learnerId), eq(l.tenantId, params.tenantId)))
    .innerJoin(t, and(eq(t.id, a.trainingId), eq(t.tenantId, params.tenantId)))
    .where(and(eq(a.tenantId, params.tenantId), key));
  return row;
}

export function toAssignmentView(
  row: { assignedAt: Date; dueAt: Date | null; completedAt: Date | null; withdrawnAt: Date | null },
  ids: { learnerExternalId: string; trainingExternalId: string | null },
  now: Date,
): AssignmentView {
  return {
    learnerExternalId: ids.learnerExternalId,
    trainingExternalId: ids.trainingExternalId,
    assignedAt: row.assignedAt,
    dueAt: row.dueAt,
    completedAt: row.completedAt,
    withdrawnAt: row.withdrawnAt,
    status: assignmentStatus(row, now),
  };
}

/** Marks an assignment withdrawn; false when it already was. */
export async function markWithdrawn(db: Db, params: { tenantId: string; assignmentId: string; now: Date }): Promise<boolean> {
  const a = db.t.assignments;
  const changed = await db.orm
    .update(a)
    .set({ withdrawnAt: params.now, updatedAt: params.now })
    .where(and(eq(a.tenantId, params.tenantId), eq(a.id, params.assignmentId), isNull(a.withdrawnAt)))
    .returning({ id: a.id });
  return changed.length > 0;
}

/** Records the completion instant; false when exactly this one was recorded already. */
export async function markCompleted(
  db: Db,
  params: { tenantId: string; assignmentId: string; completedAt: Date; now: Date },
): Promise<boolean> {
  const a = db.t.assignments;
  const changed = await db.orm
    .update(a)
    .set({ completedAt: params.completedAt, updatedAt: params.now })
    .where(
      and(
        eq(a.tenantId, params.tenantId),
        eq(a.id, params.assignmentId),
        or(isNull(a.completedAt), ne(a.completedAt, params.completedAt)),
      ),
    )
    .returning({ id: a.id });
  return changed.length > 0;
}

// ── Reading: the list and the detail ─────────────────────────────────────────

/**
 * One page of the tenant's learners by last name, first name, id (keyset: the cursor
 * is the last row's key, so pages neither repeat nor skip rows while others write).
 * One query for the page and one for its learners' assignment counts.
 */
export async function listLearners(
  db: Db,
  params: { tenantId: string; query: LearnerListQuery; now: Date },
): Promise<{ items: LearnerListItem[]; nextCursor: string | null }> {
  const { tenantId, query, now } = params;
  const rows = await learnerPageStatement(db, params);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > query.limit && last ? encodeLearnerCursor(last) : null;

  const counts = await assignmentCounts(db, { tenantId, learnerIds: page.map((r) => r.id), now });
  const items = page.map((r) => ({ ...r, ...(counts.get(r.id) ?? { openCount: 0, overdueCount: 0, completedCount: 0 }) }));
  return { items, nextCursor };
}

/** The page's one statement (limit + 1 rows, to know whether another page follows); exported for the benchmark's query plans. */
export function learnerPageStatement(db: Db, params: { tenantId: string; query: LearnerListQuery; now: Date }) {
  const { tenantId, query, now } = params;
  const l = db.t.learners;
  const a = db.t.assignments;
  const t = db.t.trainings;

  const where: (SQL | undefined)[] = [eq(l.tenantId, tenantId)];
  if (query.q) where.push(searchWhere(db, query.q));

  const ofAssignment: SQL[] = [];
  if (query.training) {
    const training = query.training;
    ofAssignment.push(
      inArray(
        a.trainingId,
        db.orm.select({ id: t.id }).from(t).where(and(eq(t.tenantId, tenantId), or(eq(t.id, training), eq(t.externalId, training)))),
      ),
    );
  }
  const status = query.status;
  if (status === "inactive") where.push(eq(l.active, false));
  if (status === "open" || status === "overdue") where.push(eq(l.active, true));
  if (status && status !== "inactive") ofAssignment.push(assignmentStatusWhere(db, status, now));
  else if (ofAssignment.length > 0) ofAssignment.push(isNull(a.withdrawnAt));
  if (ofAssignment.length > 0) {
    // sameTenant: with a plain tenant predicate SQLite probed the (tenant, training, due)
    // index for every learner instead of the learner's few rows (1.5 s at 10,000 learners).
    where.push(exists(db.orm.select({ one: sql`1` }).from(a).where(and(eq(a.learnerId, l.id), sameTenant(db, a.tenantId, tenantId), ...ofAssignment))));
  }

  if (query.cursor) {
    const c = decodeLearnerCursor(query.cursor);
    if (!c) throw new Error("learner list: undecodable cursor (learnerListQuerySchema refuses it)");
    where.push(sql`(${l.lastName}, ${l.firstName}, ${l.id}) > (${c.lastName}, ${c.firstName}, ${c.id})`);
  }

  return db.orm
    .select(learnerViewColumns(db))
    .from(l)
    .where(and(...where))
    .orderBy(asc(l.lastName), asc(l.firstName), asc(l.id))
    .limit(query.limit + 1);
}

/**
 * The list's search. A search with an "@" after its first character is an e-mail
 * address or its beginning ("anna.berg@", "anna.berg@firma.de"): it matches addresses
 * that start with it, through the (tenant, e-mail) index, so it stays instant at any
 * size. Anything else (names, "@firma.de", fragments) is a case-insensitive substring of
 * "first last email", one LIKE over the tenant's learners.
 */
function searchWhere(db: Db, q: string): SQL {
  const l = db.t.learners;
  const text = q.toLowerCase();
  if (text.indexOf("@") > 0) {
    // Postgres: LIKE 'prefix%' is an index range on the text_pattern_ops index, whatever
    // the database's collation. SQLite: e-mails compare bytewise, so the prefix is the
    // range [prefix, prefix + U+10FFFF).
    return db.dialect === "postgres"
      ? sql`${l.email} like ${`${escapeLike(text)}%`} escape '\\'`
      : sql`${l.email} >= ${text} and ${l.email} < ${`${text}\u{10FFFF}`}`;
  }
  return sql`${l.searchText} like ${`%${escapeLike(text)}%`} escape '\\'`;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

const countWhen = (cond: SQL) => sql<number | string>`sum(case when ${cond} then 1 else 0 end)`;

/** Per learner: open, overdue and completed assignments (all trainings). */
async function assignmentCounts(db: Db, params: { tenantId: string; learnerIds: string[]; now: Date }) {
  const out = new Map<string, { openCount: number; overdueCount: number; completedCount: number }>();
  if (params.learnerIds.length === 0) return out;
  const a = db.t.assignments;
  const rows = await db.orm
    .select({
      learnerId: a.learnerId,
      open: countWhen(assignmentStatusWhere(db, "open", params.now)),
      overdue: countWhen(assignmentStatusWhere(db, "overdue", params.now)),
      completed: countWhen(assignmentStatusWhere(db, "completed", params.now)),
    })
    .from(a)
    .where(and(inArray(a.learnerId, params.learnerIds), sameTenant(db, a.tenantId, params.tenantId)))
    .groupBy(a.learnerId);
  for (const r of rows) {
    out.set(r.learnerId, { openCount: Number(r.open ?? 0), overdueCount: Number(r.overdue ?? 0), completedCount: Number(r.completed ?? 0) });
  }
  return out;
}

/** A learner with every assignment (and its training) and the newest deliveries to them. */
export async function getLearnerDetail(
  db: Db,
  params: { tenantId: string; externalId?: string; id?: string; now: Date; deliveryLimit?: number },
): Promise<LearnerDetail | undefined> {
  const learner = await getLearner(db, params);
  if (!learner) return undefined;
  const a = db.t.assignments;
  const t = db.t.trainings;
  const d = db.t.deliveries;
  const [assignmentRows, deliveryRows] = await Promise.all([
    db.orm
      .select({
        id: a.id,
        assignedAt: a.assignedAt,
        dueAt: a.dueAt,
        completedAt: a.completedAt,
        withdrawnAt: a.withdrawnAt,
        trainingExternalId: t.externalId,
        trainingName: t.name,
      })
      .from(a)
      .innerJoin(t, and(eq(t.id, a.trainingId), eq(t.tenantId, params.tenantId)))
      .where(and(eq(a.tenantId, params.tenantId), eq(a.learnerId, learner.id)))
      .orderBy(asc(t.name), asc(a.id)),
    // The learner page lists mails through lib/delivery (deliveryLimit 0): no query then.
    params.deliveryLimit === 0
      ? Promise.resolve([])
      : db.orm
          .select({
            id: d.id,
            kind: d.kind,
            planId: d.planId,
            dueAt: d.dueAt,
            status: d.status,
            cancelReason: d.cancelReason,
            sentAt: d.sentAt,
            attempts: d.attempts,
          })
          .from(d)
          .where(
            and(
              sameTenant(db, d.tenantId, params.tenantId),
              or(
                eq(d.learnerId, learner.id),
                inArray(d.assignmentId, db.orm.select({ id: a.id }).from(a).where(and(eq(a.learnerId, learner.id), sameTenant(db, a.tenantId, params.tenantId)))),
              ),
            ),
          )
          .orderBy(desc(d.dueAt), asc(d.id))
          .limit(params.deliveryLimit ?? 100),
  ]);
  return {
    ...learner,
    assignments: assignmentRows.map((r) => ({
      ...toAssignmentView(r, { learnerExternalId: learner.externalId, trainingExternalId: r.trainingExternalId }, params.now),
      id: r.id,
      trainingName: r.trainingName,
    })),
    deliveries: deliveryRows,
  };
}
