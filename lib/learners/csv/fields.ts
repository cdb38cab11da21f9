// No zod here: the import page's client island imports these.

/**
 * The fields a CSV column can feed, in the order the mapping form shows them, and the
 * column mapping: target field → column index (0-based) or null (not in the file).
 */
export const IMPORT_FIELDS = [
  "email",
  "firstName",
  "lastName",
  "externalId",
  "locale",
  "responsibleName",
  "responsibleEmail",
  "active",
  "training",
  "assignedAt",
  "dueAt",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const REQUIRED_FIELDS: readonly ImportField[] = ["email", "firstName", "lastName"];

export type ColumnMapping = Record<ImportField, number | null>;
