import type { z } from "zod";
import { interpolate, type Localized } from "../../i18n/locale";
import { validationMessages } from "../../validation/messages";
import { localizedIssue } from "../../validation/localize";
import { assignmentPutSchema, learnerRowSchema, type LearnerRow } from "../schema";
import { parseSheetDate } from "./dates";
import type { ColumnMapping, ImportField } from "./mapping";
import type { CsvRecord } from "./parse";

/**
 * One CSV record → one row for the import (a learner, and an assignment when the
 * training column has a value), or the reasons it is refused, each naming its column in
 * German and English. Validation is the shared schemas' (learnerRowSchema,
 * assignmentPutSchema): the CSV accepts exactly what the API accepts.
 */

/** What applyLearnerRows takes (lib/learners/service.ts, CONTRACT.md). */
export interface CsvImportRow {
  learner: LearnerRow;
  assignment?: { trainingId: string; assignedAt: Date; dueAt: Date | null };
}

export interface RefusedRow {
  line: number;
  /** Who the row is about, as the file says (name or e-mail), to find it again. */
  label: string;
  reasons: Localized[];
}

export interface ImportTraining {
  id: string;
  externalId: string | null;
  name: string;
}

export interface TrainingLookup {
  byExternalId: Map<string, string>;
  byName: Map<string, string>;
}

/** The tenant's trainings by external id (exact) and by name (case-insensitive). */
export function trainingLookup(trainings: readonly ImportTraining[]): TrainingLookup {
  const byExternalId = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const t of trainings) {
    if (t.externalId) byExternalId.set(t.externalId, t.id);
    const key = t.name.trim().toLocaleLowerCase("de");
    if (!byName.has(key)) byName.set(key, t.id);
  }
  return { byExternalId, byName };
}

export interface RowContext {
  headers: readonly string[];
  mapping: ColumnMapping;
  timezone: string;
  trainings: TrainingLookup;
  /** The assignment date of rows that leave it empty. */
  now: Date;
}

export type RowResult = { ok: true; row: CsvImportRow } | { ok: false; refused: RefusedRow };

const TRUE = new Set(["", "1", "ja", "j", "yes", "y", "x", "true", "wahr", "aktiv", "active"]);
const FALSE = new Set(["0", "nein", "n", "no", "false", "falsch", "inaktiv", "inactive", "-"]);
const LOCALE_WORDS: Record<string, string> = {
  de: "de", deutsch: "de", german: "de", ger: "de", "de-de": "de", "de-at": "de", "de-ch": "de",
  en: "en", englisch: "en", english: "en", eng: "en", "en-gb": "en", "en-us": "en",
};

function text(key: string, params: Record<string, string | number> = {}): Localized {
  const m = validationMessages[key]!;
  return { de: interpolate(m.de, params), en: interpolate(m.en, params) };
}

/** "Column "E-Mail": …" in both languages. */
export function cellReason(column: string, message: Localized): Localized {
  return {
    de: interpolate(validationMessages["learnerImport.cell"]!.de, { column, message: message.de }),
    en: interpolate(validationMessages["learnerImport.cell"]!.en, { column, message: message.en }),
  };
}

function cell(record: CsvRecord, mapping: ColumnMapping, field: ImportField): string {
  const index = mapping[field];
  return index === null ? "" : (record.fields[index] ?? "").trim();
}

/** The column a field's error is shown under; the external id falls back to the e-mail's. */
function columnOf(ctx: RowContext, field: string): string {
  const f = (field === "externalId" && ctx.mapping.externalId === null ? "email" : field) as ImportField;
  const index = ctx.mapping[f];
  return index === null || index === undefined ? field : (ctx.headers[index] ?? `#${index + 1}`).trim() || `#${index + 1}`;
}

/** The key that makes two rows the same learner: the external id, else the e-mail. */
export function rowKey(record: CsvRecord, mapping: ColumnMapping): string {
  return mapping.externalId === null ? cell(record, mapping, "email").toLowerCase() : cell(record, mapping, "externalId");
}

function issuesToReasons(ctx: RowContext, error: z.ZodError, reasons: Localized[], seen: Set<string>) {
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "_");
    const column = columnOf(ctx, field);
    if (seen.has(column)) continue;
    seen.add(column);
    reasons.push(cellReason(column, localizedIssue(issue)));
  }
}

export function rowOf(record: CsvRecord, ctx: RowContext): RowResult {
  const { mapping } = ctx;
  const reasons: Localized[] = [];
  const seen = new Set<string>();
  const value = (field: ImportField) => cell(record, mapping, field);

  const activeText = value("active").toLowerCase();
  const active = TRUE.has(activeText) ? true : FALSE.has(activeText) ? false : undefined;
  if (active === undefined) {
    seen.add(columnOf(ctx, "active"));
    reasons.push(cellReason(columnOf(ctx, "active"), text("learnerImport.active")));
  }
  const localeText = value("locale").toLowerCase();
  const email = value("email");
  const learnerInput = {
    externalId: mapping.externalId === null ? email.toLowerCase() : value("externalId"),
    email,
    firstName: value("firstName"),
    lastName: value("lastName"),
    locale: localeText === "" ? null : (LOCALE_WORDS[localeText] ?? localeText),
    responsibleName: value("responsibleName") || null,
    responsibleEmail: value("responsibleEmail") || null,
    active: active ?? true,
  };
  const learner = learnerRowSchema.safeParse(learnerInput);
  if (!learner.success) issuesToReasons(ctx, learner.error, reasons, seen);

  let assignment: CsvImportRow["assignment"];
  const trainingText = value("training");
  if (trainingText !== "") {
    const trainingId =
      ctx.trainings.byExternalId.get(trainingText) ?? ctx.trainings.byName.get(trainingText.toLocaleLowerCase("de"));
    if (!trainingId) {
      reasons.push(cellReason(columnOf(ctx, "training"), text("learnerImport.unknownTraining", { value: trainingText })));
    }
    const dates: Record<"assignedAt" | "dueAt", string | null> = { assignedAt: ctx.now.toISOString(), dueAt: null };
    for (const field of ["assignedAt", "dueAt"] as const) {
      const raw = value(field);
      if (raw === "") continue;
      const instant = parseSheetDate(raw, ctx.timezone, field === "dueAt" ? "end" : "start");
      if (instant) dates[field] = instant.toISOString();
      else reasons.push(cellReason(columnOf(ctx, field), text("learnerImport.date")));
    }
    const checked = assignmentPutSchema.safeParse(dates);
    if (!checked.success) issuesToReasons(ctx, checked.error, reasons, seen);
    else if (trainingId) assignment = { trainingId, ...checked.data };
  }

  if (reasons.length > 0 || !learner.success) {
    const name = [learnerInput.firstName, learnerInput.lastName].filter(Boolean).join(" ");
    return { ok: false, refused: { line: record.line, label: (name || email).slice(0, 120), reasons } };
  }
  return { ok: true, row: assignment ? { learner: learner.data, assignment } : { learner: learner.data } };
}

/**
 * Rows that repeat an earlier row's learner and training (or a learner without
 * training): refused with the first line's number, the first one wins as a person
 * reading top-down expects. One learner with several trainings is several rows, each
 * taken; the learner's own fields are then the last row's.
 */
export function duplicateRows(records: readonly CsvRecord[], ctx: RowContext): Map<number, RefusedRow> {
  const first = new Map<string, number>();
  const out = new Map<number, RefusedRow>();
  const column = columnOf(ctx, "externalId");
  for (const record of records) {
    const learner = rowKey(record, ctx.mapping);
    if (learner === "") continue;
    const key = `${learner}\u0000${cell(record, ctx.mapping, "training").toLocaleLowerCase("de")}`;
    const line = first.get(key);
    if (line === undefined) first.set(key, record.line);
    else {
      const name = [cell(record, ctx.mapping, "firstName"), cell(record, ctx.mapping, "lastName")].filter(Boolean).join(" ");
      out.set(record.line, {
        line: record.line,
        label: (name || learner).slice(0, 120),
        reasons: [cellReason(column, text("learnerImport.duplicate", { line }))],
      });
    }
  }
  return out;
}

/**
 * The records grouped by learner, groups in the order of their first row. The import
 * works in chunks of whole groups: the dry run rolls each chunk back, so a learner's
 * second row must see its first in the same chunk to be counted as the run will count it.
 */
export function learnerGroups(records: readonly CsvRecord[], mapping: ColumnMapping): CsvRecord[][] {
  const groups = new Map<string, CsvRecord[]>();
  for (const record of records) {
    const key = rowKey(record, mapping);
    // Rows without a key are refused anyway; each stands alone.
    const id = key === "" ? `\u0000${record.line}` : key;
    const group = groups.get(id);
    if (group) group.push(record);
    else groups.set(id, [record]);
  }
  return [...groups.values()];
}
