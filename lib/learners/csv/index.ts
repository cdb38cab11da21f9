/** The CSV side of the learner import: bytes → text → records → rows. Pure, no database. */
export { decodeCsv, encodeWindows1252, type CsvEncoding, type DecodedCsv } from "./decode";
export { detectSeparator, parseCsv, parseCsvFrom, SEPARATORS, withoutSepLine, type CsvPosition, type CsvRecord, type CsvSeparator } from "./parse";
export {
  columnMappingSchema,
  guessMapping,
  headerKey,
  IMPORT_FIELDS,
  REQUIRED_FIELDS,
  type ColumnMapping,
  type ImportField,
} from "./mapping";
export { parseSheetDate } from "./dates";
export {
  cellReason,
  duplicateRows,
  learnerGroups,
  rowKey,
  rowOf,
  trainingLookup,
  type CsvImportRow,
  type ImportTraining,
  type RefusedRow,
  type RowContext,
  type RowResult,
  type TrainingLookup,
} from "./rows";
