import path from "node:path";
import { writeAuditBy } from "../audit/log";
import { can, type UseCaseActor } from "../auth/policy";
import type { Db } from "../db";
import { fail, ok, type Outcome } from "../errors";
import { interpolate, type Localized } from "../i18n/locale";
import { localizedIssues } from "../validation/localize";
import { validationMessages } from "../validation/messages";
import type { TenantRef } from "../reminders/service";
import {
  columnMappingSchema,
  decodeCsv,
  detectSeparator,
  duplicateRows,
  learnerGroups,
  IMPORT_FIELDS,
  guessMapping,
  parseCsv,
  parseCsvFrom,
  rowOf,
  trainingLookup,
  withoutSepLine,
  type ColumnMapping,
  type CsvImportRow,
  type CsvPosition,
  type CsvSeparator,
  type CsvRecord,
  type RefusedRow,
  type RowContext,
} from "./csv";
import {
  claimImport,
  finishImport,
  findImport,
  importTrainings,
  insertImport,
  listImportRecords,
  loadContent,
  loadRefusedRows,
  recordCheckProgress,
  recordChunk,
  renewLease,
  saveCheck,
  type ImportRecord,
} from "./import-store";
import { applyLearnerRows } from "./service";

/**
 * The CSV import of learners and assignments: upload (decode, detect, guess the
 * mapping) → check (a dry run with the chosen mapping: what would be created, updated,
 * left unchanged, and every refused row with its reasons) → run (in chunks, each its own
 * short transaction through applyLearnerRows, progress stored after each). The state
 * lives in `learner_imports`, so any process can report progress or pick up an import
 * whose lease ran out (a crash, a restart) without counting a row twice.
 */

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 50_000;
/** Rows per chunk on Postgres, where a chunk's transaction leaves the event loop free while it waits. */
export const CHUNK_ROWS = 500;
/**
 * On SQLite every statement of the process waits while a chunk's transaction runs
 * (one connection, synchronous driver): chunks are sized to about this much work, so
 * another user's request waits at most about that long.
 */
const SQLITE_SLICE_MS = 25;
const PARSE_SLICE_RECORDS = 5000;
export const LEASE_MS = 30_000;
const PREVIEW_ROWS = 5;

/** An import as the page and the poll see it (without the lease's internals). */
export type ImportView = Omit<ImportRecord, "leaseUntil" | "createdBy"> & {
  /** Running, but nobody has renewed the lease in time: the next poll resumes it. */
  stalled: boolean;
};

export interface ImportDetail extends ImportView {
  headers: string[];
  /** The first data rows as the file has them. */
  preview: string[][];
}

export interface RefusedPage {
  total: number;
  offset: number;
  items: RefusedRow[];
}

function viewOf(record: ImportRecord, now: Date): ImportView {
  const { leaseUntil, createdBy: _createdBy, ...view } = record;
  return { ...view, stalled: record.status === "running" && (!leaseUntil || leaseUntil < now) };
}

function message(key: string, params?: Record<string, string | number>): Localized {
  const m = validationMessages[key]!;
  return { de: interpolate(m.de, params), en: interpolate(m.en, params) };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A file name to show: the last path part, at most 200 characters. */
function cleanFileName(value: unknown): string {
  const name = typeof value === "string" ? path.basename(value.replace(/\\/g, "/")).replace(/[\u0000-\u001f]/g, "").trim() : "";
  return name.slice(0, 200) || "import.csv";
}

/** The header and the first data rows of an import's stored text (the page's preview). */
function previewOf(content: string, separator: string, rows: number): { headers: string[]; preview: string[][] } {
  // One more record than shown: the first may be Excel's `sep=` line.
  const [header, ...data] = withoutSepLine(parseCsv(content, separator as CsvSeparator, rows + 2));
  return { headers: header?.fields ?? [], preview: data.slice(0, rows).map((r) => r.fields) };
}

/** All records of a stored text, parsed in slices with a turn of the event loop between them. */
async function readRecords(content: string, separator: string): Promise<{ headers: string[]; data: CsvRecord[] }> {
  const all: CsvRecord[] = [];
  let from: CsvPosition | null = { offset: 0, line: 1 };
  while (from) {
    const slice = parseCsvFrom(content, separator as CsvSeparator, from, PARSE_SLICE_RECORDS);
    for (const r of slice.records) all.push(r);
    from = slice.next;
    if (from) await yieldToEventLoop();
  }
  const [header, ...data] = withoutSepLine(all);
  return { headers: header?.fields ?? [], data };
}

/**
 * Chunk sizes: fixed when asked (tests), 500 rows on Postgres, and on SQLite grown or
 * shrunk after each chunk so that one takes about SQLITE_SLICE_MS.
 */
function chunkSizer(db: Db, fixed: number | undefined) {
  let size = fixed ?? (db.dialect === "sqlite" ? 100 : CHUNK_ROWS);
  const adaptive = fixed === undefined && db.dialect === "sqlite";
  return {
    size: () => size,
    took(rows: number, ms: number) {
      if (!adaptive || rows === 0) return;
      const fitting = (rows * SQLITE_SLICE_MS) / Math.max(ms, 1);
      size = Math.round(Math.min(500, Math.max(50, (size + fitting) / 2)));
    },
  };
}

/** Stores an uploaded file for the next steps: its text, encoding, separator and a guessed mapping. */
export async function uploadImport(
  db: Db,
  params: { tenant: TenantRef; actor: UseCaseActor; fileName: unknown; bytes: Uint8Array; now?: Date },
): Promise<Outcome<ImportDetail>> {
  if (!can(params.actor, "learners.edit")) return fail("forbidden");
  const now = params.now ?? new Date();
  const { bytes } = params;
  if (bytes.byteLength === 0) return fail("invalid", { file: message("learnerImport.noFile") });
  if (bytes.byteLength > MAX_IMPORT_BYTES) {
    return fail("invalid", { file: message("learnerImport.tooLarge", { maximum: MAX_IMPORT_BYTES / 1024 / 1024 }) });
  }
  const { text, encoding } = decodeCsv(bytes);
  const separator = detectSeparator(text);
  const { headers, data } = await readRecords(text, separator);
  if (data.length === 0) return fail("invalid", { file: message("learnerImport.noRows") });
  if (data.length > MAX_IMPORT_ROWS) {
    return fail("invalid", { file: message("learnerImport.tooManyRows", { maximum: MAX_IMPORT_ROWS.toLocaleString("de-DE") }) });
  }
  const mapping = guessMapping(headers);
  const fileName = cleanFileName(params.fileName);
  const id = await db.transaction(async (tx) => {
    const created = await insertImport(
      tx,
      { tenantId: params.tenant.id, createdBy: params.actor.userId, fileName, encoding, separator, content: text, mapping, totalRows: data.length },
      now,
    );
    // What was uploaded, not its rows: the file's personal data stays in the import.
    await writeAuditBy(
      tx,
      params.actor,
      { tenantId: params.tenant.id, action: "learner.import.upload", targetType: "learnerImport", targetId: created, details: { fileName, rows: data.length, encoding, bytes: bytes.byteLength } },
      now,
    );
    return created;
  });
  const record = await findImport(db, { tenantId: params.tenant.id, id });
  return ok({ ...viewOf(record!, now), headers, preview: data.slice(0, PREVIEW_ROWS).map((r) => r.fields) });
}

/** An import of this tenant, for the progress poll; with headers and preview rows on request. */
export async function getImport(
  db: Db,
  params: { tenantId: string; importId: string; now?: Date },
): Promise<ImportView | undefined> {
  const record = await findImport(db, { tenantId: params.tenantId, id: params.importId });
  return record ? viewOf(record, params.now ?? new Date()) : undefined;
}

export async function getImportDetail(
  db: Db,
  params: { tenantId: string; importId: string; now?: Date },
): Promise<ImportDetail | undefined> {
  const view = await getImport(db, params);
  if (!view) return undefined;
  const content = (await loadContent(db, { tenantId: params.tenantId, id: params.importId })) ?? "";
  return { ...view, ...previewOf(content, view.separator, PREVIEW_ROWS) };
}

/** A page of an import's refused rows, in file order. */
export async function getRefusedRows(
  db: Db,
  params: { tenantId: string; importId: string; offset?: number; limit?: number },
): Promise<RefusedPage> {
  const rows = await loadRefusedRows(db, { tenantId: params.tenantId, id: params.importId });
  const offset = Math.max(0, Math.min(params.offset ?? 0, rows.length));
  return { total: rows.length, offset, items: rows.slice(offset, offset + (params.limit ?? 50)) };
}

/** The tenant's latest imports, newest first (the page lists them; a reload finds a running one). */
export async function listImports(db: Db, params: { tenantId: string; limit?: number; now?: Date }): Promise<ImportView[]> {
  const now = params.now ?? new Date();
  return (await listImportRecords(db, { tenantId: params.tenantId, limit: params.limit ?? 10 })).map((r) => viewOf(r, now));
}

/**
 * What rows are read with: the headers, the tenant's trainings and zone, and the
 * assignment date of rows without one — the upload's time, the same in check and run.
 */
async function prepare(db: Db, tenant: TenantRef, content: string, separator: string, mapping: ColumnMapping, uploadedAt: Date) {
  const { headers, data } = await readRecords(content, separator);
  const ctx: RowContext = {
    headers,
    mapping,
    timezone: tenant.timezone,
    trainings: trainingLookup(await importTrainings(db, { tenantId: tenant.id })),
    now: uploadedAt,
  };
  return { headers, data, ctx, duplicates: duplicateRows(data, ctx) };
}

/** Thrown to roll a dry-run chunk back after it has told what it would do. */
class DryRun extends Error {
  constructor(public results: ("created" | "updated" | "unchanged")[]) {
    super("dry run");
  }
}

/**
 * Chunks of whole learner groups of about `size` rows, starting after the first
 * `processed` rows (always a group boundary: progress is stored per chunk).
 */
function* chunksFrom(groups: CsvRecord[][], processed: number, size: () => number): Generator<CsvRecord[]> {
  let i = 0;
  let skipped = 0;
  while (i < groups.length && skipped < processed) skipped += groups[i++]!.length;
  if (skipped !== processed) throw new Error(`import progress ${processed} is not at a learner boundary`);
  while (i < groups.length) {
    const chunk: CsvRecord[] = [];
    const limit = size();
    while (i < groups.length && (chunk.length === 0 || chunk.length + groups[i]!.length <= limit)) chunk.push(...groups[i++]!);
    yield chunk;
  }
}

function tally(results: readonly ("created" | "updated" | "unchanged")[]) {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (const r of results) counts[r]++;
  return counts;
}

/**
 * The dry run: every row goes through applyLearnerRows exactly as in the run, in
 * chunks whose transactions are rolled back, so the counts are the run's by
 * construction. Stores the mapping, the counts and every refused row; while it runs,
 * `processedRows` says how far it has come (the page shows it while it waits).
 */
export async function checkImport(
  db: Db,
  params: { tenant: TenantRef; actor: UseCaseActor; importId: string; mapping: unknown; now?: Date; chunkRows?: number },
): Promise<Outcome<ImportView>> {
  if (!can(params.actor, "learners.edit")) return fail("forbidden");
  const now = params.now ?? new Date();
  const tenantId = params.tenant.id;
  const parsed = columnMappingSchema.safeParse(params.mapping);
  const record = await findImport(db, { tenantId, id: params.importId });
  if (!record) return fail("notFound");
  if (!parsed.success) return fail("invalid", localizedIssues(parsed.error));
  if (record.status !== "uploaded" && record.status !== "checked") return fail("invalid", { _form: message("learnerImport.notNow") });
  const mapping = parsed.data;
  const content = (await loadContent(db, { tenantId, id: record.id })) ?? "";
  const { headers, data, ctx, duplicates } = await prepare(db, params.tenant, content, record.separator, mapping, record.createdAt);
  const outside = IMPORT_FIELDS.filter((f) => mapping[f] !== null && mapping[f]! >= headers.length);
  if (outside.length > 0) return fail("invalid", Object.fromEntries(outside.map((f) => [f, message("learnerImport.columnMissing")])));

  const counts = { created: 0, updated: 0, unchanged: 0 };
  const refused: RefusedRow[] = [];
  let checked = 0;
  const sizer = chunkSizer(db, params.chunkRows);
  for (const chunk of chunksFrom(learnerGroups(data, mapping), 0, sizer.size)) {
    const began = performance.now();
    const rows: CsvImportRow[] = [];
    for (const r of chunk) {
      const duplicate = duplicates.get(r.line);
      if (duplicate) {
        refused.push(duplicate);
        continue;
      }
      const result = rowOf(r, ctx);
      if (result.ok) rows.push(result.row);
      else refused.push(result.refused);
    }
    if (rows.length > 0) {
      try {
        await db.transaction(async (tx) => {
          throw new DryRun(await applyLearnerRows(tx, { tenantId, rows, now }));
        });
      } catch (error) {
        if (!(error instanceof DryRun)) throw error;
        const c = tally(error.results);
        counts.created += c.created;
        counts.updated += c.updated;
        counts.unchanged += c.unchanged;
      }
    }
    sizer.took(chunk.length, performance.now() - began);
    checked += chunk.length;
    await recordCheckProgress(db, { tenantId, id: record.id, processedRows: checked }, now);
    await yieldToEventLoop();
  }
  refused.sort((a, b) => a.line - b.line);
  const saved = await db.transaction(async (tx) => {
    if (!(await saveCheck(tx, { tenantId, id: record.id, mapping, counts, refusedRows: refused }, now))) return false;
    await writeAuditBy(
      tx,
      params.actor,
      { tenantId, action: "learner.import.check", targetType: "learnerImport", targetId: record.id, details: { fileName: record.fileName, mapping, ...counts, refused: refused.length } },
      now,
    );
    return true;
  });
  if (!saved) return fail("invalid", { _form: message("learnerImport.notNow") });
  return ok(viewOf((await findImport(db, { tenantId, id: record.id }))!, now));
}

export interface RunOptions {
  /** The clock (leases, timestamps); tests move it. */
  clock?: () => Date;
  chunkRows?: number;
  leaseMs?: number;
  /** Called after each committed chunk (the benchmark measures; a test crashes here). */
  afterChunk?: (progress: { processedRows: number; totalRows: number }) => void | Promise<void>;
}

/**
 * Runs (or resumes) a checked import to its end. Only the process holding the lease
 * works on it; each chunk renews the lease, applies its rows and stores the progress
 * in one short transaction, then yields to the event loop so other requests are
 * served between chunks. Returns the import as it stands when this call stops: done,
 * or still running in another process's hands. One audit entry when it is done.
 */
export async function runImport(
  db: Db,
  params: { tenant: TenantRef; actor: UseCaseActor; importId: string } & RunOptions,
): Promise<Outcome<ImportView>> {
  if (!can(params.actor, "learners.edit")) return fail("forbidden");
  const clock = params.clock ?? (() => new Date());
  const leaseMs = params.leaseMs ?? LEASE_MS;
  const tenantId = params.tenant.id;
  const id = params.importId;

  const record = await findImport(db, { tenantId, id });
  if (!record) return fail("notFound");
  if (record.status === "uploaded") return fail("invalid", { _form: message("learnerImport.checkFirst") });
  if (record.status === "done" || record.status === "failed" || !record.mapping) return ok(viewOf(record, clock()));

  let now = clock();
  let lease = await claimImport(db, { tenantId, id, leaseUntil: new Date(now.getTime() + leaseMs) }, now);
  if (!lease) return ok(viewOf((await findImport(db, { tenantId, id }))!, now));

  const content = (await loadContent(db, { tenantId, id })) ?? "";
  const refusedLines = new Set((await loadRefusedRows(db, { tenantId, id })).map((r) => r.line));
  const { data, ctx } = await prepare(db, params.tenant, content, record.separator, record.mapping, record.createdAt);
  let processed = (await findImport(db, { tenantId, id }))!.processedRows;

  const sizer = chunkSizer(db, params.chunkRows);
  for (const chunk of chunksFrom(learnerGroups(data, record.mapping), processed, sizer.size)) {
    const began = performance.now();
    now = clock();
    const rows: CsvImportRow[] = [];
    const newlyRefused: RefusedRow[] = [];
    for (const r of chunk) {
      if (refusedLines.has(r.line)) continue;
      // A row the check passed can fail now only if its training was deleted since.
      const result = rowOf(r, ctx);
      if (result.ok) rows.push(result.row);
      else newlyRefused.push(result.refused);
    }
    const next = new Date(now.getTime() + leaseMs);
    const held = lease;
    const from = processed;
    let kept: boolean;
    try {
      kept = await db.transaction(async (tx) => {
        if (!(await renewLease(tx, { tenantId, id, lease: held, processedRows: from, next }, now))) return false;
        const results = rows.length > 0 ? await applyLearnerRows(tx, { tenantId, rows, now }) : [];
        await recordChunk(tx, { tenantId, id, processedRows: from + chunk.length, counts: tally(results), newlyRefused }, now);
        return true;
      });
    } catch (error) {
      // A fault of the data or the database, not of the lease: the import stops
      // visibly instead of being resumed into the same fault again and again.
      await finishImport(db, { tenantId, id, lease: held, status: "failed" }, clock()).catch(() => undefined);
      throw error;
    }
    // Another process took over (our lease had run out): it carries on from its progress.
    if (!kept) return ok(viewOf((await findImport(db, { tenantId, id }))!, clock()));
    sizer.took(chunk.length, performance.now() - began);
    lease = next;
    processed += chunk.length;
    await params.afterChunk?.({ processedRows: processed, totalRows: data.length });
    await yieldToEventLoop();
  }

  now = clock();
  const held = lease;
  const finished = await db.transaction(async (tx) => {
    const done = await finishImport(tx, { tenantId, id, lease: held, status: "done" }, now);
    if (done) {
      await writeAuditBy(
        tx,
        params.actor,
        {
          tenantId,
          action: "learner.import",
          targetType: "learnerImport",
          targetId: id,
          details: {
            fileName: done.fileName,
            rows: done.totalRows,
            created: done.created,
            updated: done.updated,
            unchanged: done.unchanged,
            refused: done.refused,
            uploadedBy: done.createdBy,
          },
        },
        now,
      );
    }
    return done;
  });
  return ok(viewOf(finished ?? (await findImport(db, { tenantId, id }))!, now));
}
