import { z } from "zod";
import { IMPORT_FIELDS, REQUIRED_FIELDS, type ColumnMapping, type ImportField } from "./fields";

export { IMPORT_FIELDS, REQUIRED_FIELDS, type ColumnMapping, type ImportField };

const columnSchema = z.union([
  z.null(),
  z.literal("").transform(() => null),
  z.coerce.number({ error: "v.integer" }).int({ error: "v.integer" }).min(0, { error: "v.invalid" }).max(999, { error: "v.invalid" }),
]);

/**
 * The mapping a person chose (form values are strings; "" is "not in the file").
 * E-mail, first and last name are needed; dates need the training column.
 */
export const columnMappingSchema = z
  .object(Object.fromEntries(IMPORT_FIELDS.map((f) => [f, columnSchema.optional().transform((v) => v ?? null)])) as {
    [K in ImportField]: z.ZodPipe<z.ZodOptional<typeof columnSchema>, z.ZodTransform<number | null, number | null | undefined>>;
  })
  .superRefine((m, ctx) => {
    for (const f of REQUIRED_FIELDS) {
      if (m[f] === null) ctx.addIssue({ code: "custom", path: [f], message: "learnerImport.columnRequired" });
    }
    for (const f of ["assignedAt", "dueAt"] as const) {
      if (m[f] !== null && m.training === null) ctx.addIssue({ code: "custom", path: [f], message: "learnerImport.needsTraining" });
    }
  });

/** Header text → comparable key: lower case, no accents, letters and digits only ("Fällig am" → "falligam"). */
export function headerKey(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]/g, "");
}

/** Headers German and English exports use, as headerKey() writes them. */
const ALIASES: Record<Exclude<ImportField, "responsibleName" | "responsibleEmail">, string[]> = {
  email: ["email", "mail", "emailadresse", "mailadresse", "emailaddress", "mailaddress", "eml"],
  firstName: ["vorname", "firstname", "givenname", "first", "rufname"],
  lastName: ["nachname", "lastname", "surname", "familyname", "familienname", "name", "zuname"],
  externalId: [
    "externeid", "externalid", "personalnummer", "personalnr", "persnr", "pnr", "id", "mitarbeiternummer",
    "mitarbeiterid", "employeeid", "employeenumber", "learnerid", "teilnehmerid",
  ],
  locale: ["sprache", "language", "locale", "lang"],
  active: ["aktiv", "active", "status", "aktiviert", "enabled"],
  training: [
    "schulung", "training", "kurs", "course", "schulungsid", "trainingid", "kursid", "courseid", "schulungsname",
    "trainingname", "kursname", "coursename", "externeschulungsid",
  ],
  assignedAt: ["zugewiesenam", "zugewiesen", "zuweisung", "zuweisungsdatum", "assigned", "assignedat", "assignedon", "assigneddate", "assignmentdate"],
  dueAt: ["falligam", "fallig", "faelligam", "faellig", "falligkeit", "faelligkeit", "frist", "due", "duedate", "dueat", "dueon", "deadline"],
};

/** Words of the responsible person's columns; with "mail" in the header it is their e-mail. */
const RESPONSIBLE = ["vorgesetzte", "verantwortlich", "manager", "fuhrungskraft", "fuehrungskraft", "responsible", "supervisor", "linemanager"];

/** Guesses a mapping from the header line; each column feeds at most one field. */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const keys = headers.map(headerKey);
  const mapping = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])) as ColumnMapping;
  const used = new Set<number>();
  const take = (field: ImportField, match: (key: string) => boolean) => {
    if (mapping[field] !== null) return;
    const index = keys.findIndex((k, i) => !used.has(i) && k !== "" && match(k));
    if (index >= 0) {
      mapping[field] = index;
      used.add(index);
    }
  };
  const responsible = (k: string) => RESPONSIBLE.some((w) => k.startsWith(w));
  // The responsible person's columns first: "Vorgesetzte(r) E-Mail" is not the learner's e-mail.
  take("responsibleEmail", (k) => responsible(k) && k.includes("mail"));
  take("responsibleName", (k) => responsible(k) && !k.includes("mail"));
  for (const field of Object.keys(ALIASES) as (keyof typeof ALIASES)[]) take(field, (k) => ALIASES[field].includes(k));
  // Dates without a training column would only be refused by the check: leave them for the person to decide.
  if (mapping.training === null) mapping.assignedAt = mapping.dueAt = null;
  return mapping;
}
