import crypto from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db";
import type { ColumnMapping, CsvEncoding, CsvSeparator, ImportTraining, RefusedRow } from "./csv";

/**
 * The rows of `learner_imports`: one uploaded file and its progress. Every statement
 * carries the tenant predicate. The lease (`leaseUntil`) says which process works on an
 * import; a process renews it with each chunk and only while it still holds it (the
 * value it wrote last) and the progress is where it left it, so two processes can never
 * both apply a chunk.
 */

export type ImportStatus = "uploaded" | "checked" | "running" | "done" | "failed";

export interface ImportRecord {
  id: string;
  fileName: string;
  encoding: CsvEncoding;
  separator: CsvSeparator;
  status: ImportStatus;
  mapping: ColumnMapping | null;
  totalRows: number;
  processedRows: number;
  /** After a check: what the import would do; while and after running: what it did. */
  created: number;
  updated: number;
  unchanged: number;
  refused: number;
  leaseUntil: Date | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

function columns(db: Db) {
  const t = db.t.learnerImports;
  return {
    id: t.id,
    fileName: t.fileName,
    encoding: t.encoding,
    separator: t.separator,
    status: t.status,
    mapping: t.mapping,
    totalRows: t.totalRows,
    processedRows: t.processedRows,
    created: t.createdCount,
    updated: t.updatedCount,
    unchanged: t.unchangedCount,
    refused: t.refusedCount,
    leaseUntil: t.leaseUntil,
    createdBy: t.createdBy,
    createdAt: t.createdAt,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
  };
}

const byId = (db: Db, tenantId: string, id: string) =>
  and(eq(db.t.learnerImports.tenantId, tenantId), eq(db.t.learnerImports.id, id));

export async function insertImport(
  db: Db,
  params: {
    tenantId: string;
    createdBy: string | null;
    fileName: string;
    encoding: CsvEncoding;
    separator: CsvSeparator;
    content: string;
    mapping: ColumnMapping;
    totalRows: number;
  },
  now: Date,
): Promise<string> {
  const id = crypto.randomUUID();
  await db.orm.insert(db.t.learnerImports).values({
    id,
    ...params,
    status: "uploaded",
    processedRows: 0,
    createdCount: 0,
    updatedCount: 0,
    unchangedCount: 0,
    refusedCount: 0,
    refusedRows: [],
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

export async function findImport(db: Db, params: { tenantId: string; id: string }): Promise<ImportRecord | undefined> {
  const [row] = await db.orm.select(columns(db)).from(db.t.learnerImports).where(byId(db, params.tenantId, params.id));
  return row as ImportRecord | undefined;
}

export async function listImportRecords(db: Db, params: { tenantId: string; limit: number }): Promise<ImportRecord[]> {
  const t = db.t.learnerImports;
  const rows = await db.orm
    .select(columns(db))
    .from(t)
    .where(eq(t.tenantId, params.tenantId))
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(params.limit);
  return rows as ImportRecord[];
}

export async function loadContent(db: Db, params: { tenantId: string; id: string }): Promise<string | undefined> {
  const t = db.t.learnerImports;
  const [row] = await db.orm.select({ content: t.content }).from(t).where(byId(db, params.tenantId, params.id));
  return row?.content;
}

export async function loadRefusedRows(db: Db, params: { tenantId: string; id: string }): Promise<RefusedRow[]> {
  const t = db.t.learnerImports;
  const [row] = await db.orm.select({ rows: t.refusedRows }).from(t).where(byId(db, params.tenantId, params.id));
  return (row?.rows ?? []) as unknown as RefusedRow[];
}

/** How far a running check has come (the page polls it while it waits); only before a run. */
export async function recordCheckProgress(db: Db, params: { tenantId: string; id: string; processedRows: number }, now: Date): Promise<void> {
  const t = db.t.learnerImports;
  await db.orm
    .update(t)
    .set({ processedRows: params.processedRows, updatedAt: now })
    .where(and(byId(db, params.tenantId, params.id), inArray(t.status, ["uploaded", "checked"])));
}

export async function saveCheck(
  db: Db,
  params: {
    tenantId: string;
    id: string;
    mapping: ColumnMapping;
    counts: { created: number; updated: number; unchanged: number };
    refusedRows: RefusedRow[];
  },
  now: Date,
): Promise<boolean> {
  const t = db.t.learnerImports;
  const rows = await db.orm
    .update(t)
    .set({
      status: "checked",
      mapping: params.mapping,
      processedRows: 0,
      createdCount: params.counts.created,
      updatedCount: params.counts.updated,
      unchangedCount: params.counts.unchanged,
      refusedCount: params.refusedRows.length,
      refusedRows: params.refusedRows as unknown as Record<string, unknown>[],
      updatedAt: now,
    })
    .where(and(byId(db, params.tenantId, params.id), inArray(t.status, ["uploaded", "checked"])))
    .returning({ id: t.id });
  return rows.length > 0;
}

/**
 * Takes the lease: a checked import starts (its counts become the run's, the refused
 * rows of the check stay), a running one whose lease has expired is resumed. Returns
 * the lease's value, the token of every later step, or null when another process holds it.
 */
export async function claimImport(db: Db, params: { tenantId: string; id: string; leaseUntil: Date }, now: Date): Promise<Date | null> {
  const t = db.t.learnerImports;
  const started = await db.orm
    .update(t)
    .set({
      status: "running",
      processedRows: 0,
      createdCount: 0,
      updatedCount: 0,
      unchangedCount: 0,
      leaseUntil: params.leaseUntil,
      startedAt: now,
      updatedAt: now,
    })
    .where(and(byId(db, params.tenantId, params.id), eq(t.status, "checked")))
    .returning({ id: t.id });
  if (started.length > 0) return params.leaseUntil;
  const resumed = await db.orm
    .update(t)
    .set({ leaseUntil: params.leaseUntil, updatedAt: now })
    .where(and(byId(db, params.tenantId, params.id), eq(t.status, "running"), or(isNull(t.leaseUntil), lt(t.leaseUntil, now))))
    .returning({ id: t.id });
  return resumed.length > 0 ? params.leaseUntil : null;
}

/**
 * The first statement of a chunk's transaction: renews the lease only if this process
 * still holds it and the progress is where it expects (on Postgres the row lock also
 * makes a competing chunk wait here, then miss).
 */
export async function renewLease(
  db: Db,
  params: { tenantId: string; id: string; lease: Date; processedRows: number; next: Date },
  now: Date,
): Promise<boolean> {
  const t = db.t.learnerImports;
  const rows = await db.orm
    .update(t)
    .set({ leaseUntil: params.next, updatedAt: now })
    .where(
      and(
        byId(db, params.tenantId, params.id),
        eq(t.status, "running"),
        eq(t.leaseUntil, params.lease),
        eq(t.processedRows, params.processedRows),
      ),
    )
    .returning({ id: t.id });
  return rows.length > 0;
}

export async function recordChunk(
  db: Db,
  params: {
    tenantId: string;
    id: string;
    processedRows: number;
    counts: { created: number; updated: number; unchanged: number };
    /** Rows that became invalid since the check (a training was deleted): appended. */
    newlyRefused: RefusedRow[];
  },
  now: Date,
): Promise<void> {
  const t = db.t.learnerImports;
  let refusedRows: RefusedRow[] | undefined;
  if (params.newlyRefused.length > 0) {
    refusedRows = [...(await loadRefusedRows(db, params)), ...params.newlyRefused].sort((a, b) => a.line - b.line);
  }
  await db.orm
    .update(t)
    .set({
      processedRows: params.processedRows,
      createdCount: sql`${t.createdCount} + ${params.counts.created}`,
      updatedCount: sql`${t.updatedCount} + ${params.counts.updated}`,
      unchangedCount: sql`${t.unchangedCount} + ${params.counts.unchanged}`,
      ...(refusedRows
        ? { refusedCount: refusedRows.length, refusedRows: refusedRows as unknown as Record<string, unknown>[] }
        : {}),
      updatedAt: now,
    })
    .where(byId(db, params.tenantId, params.id));
}

/** Marks the import done (or failed) if this process holds the lease; the record as it ends, else undefined. */
export async function finishImport(
  db: Db,
  params: { tenantId: string; id: string; lease: Date; status: "done" | "failed" },
  now: Date,
): Promise<ImportRecord | undefined> {
  const t = db.t.learnerImports;
  const rows = await db.orm
    .update(t)
    .set({ status: params.status, leaseUntil: null, finishedAt: now, updatedAt: now })
    .where(and(byId(db, params.tenantId, params.id), eq(t.status, "running"), eq(t.leaseUntil, params.lease)))
    .returning(columns(db));
  return rows[0] as ImportRecord | undefined;
}

/** The tenant's trainings, for matching the training column. */
export async function importTrainings(db: Db, params: { tenantId: string }): Promise<ImportTraining[]> {
  const t = db.t.trainings;
  return db.orm
    .select({ id: t.id, externalId: t.externalId, name: t.name })
    .from(t)
    .where(eq(t.tenantId, params.tenantId))
    .orderBy(asc(t.name), asc(t.id));
}
