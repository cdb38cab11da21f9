/**
 * The one outcome type of every use case (lib/<feature>/service.ts), and the closed
 * set of reasons a use case refuses. Codes are for programs (actions, CLI, API);
 * the words a person reads are chosen by the caller in the person's language.
 * Field errors are worded in every language (Localized), so the CLI (English) and
 * the pages (the user's language) pick theirs without a second catalog lookup;
 * callers may still replace them with their own words for a code.
 */
import type { Localized } from "./i18n/locale";

export const ERROR_CODES = [
  /** Input failed the schema or a field-level rule; see fieldErrors. */
  "invalid",
  /** No such record in this tenant (or one the actor may not see: same answer). */
  "notFound",
  /** A unique value (slug, e-mail, external id) is taken; see fieldErrors. */
  "duplicate",
  /** The actor's role does not allow this. */
  "forbidden",
  /** A high-risk reminder plan was saved without the explicit confirmation. */
  "highRiskUnconfirmed",
  /** Disabling this consultant would leave the platform without one. */
  "lastConsultant",
  /** Users cannot disable themselves. */
  "notSelf",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Field path → message in every language. */
export type FieldErrorKeys = Record<string, Localized>;

export type Outcome<T> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode; fieldErrors?: FieldErrorKeys; details?: Record<string, unknown> };

export const ok = <T>(data: T): Outcome<T> => ({ ok: true, data });

export function fail<T = never>(
  code: ErrorCode,
  fieldErrors?: FieldErrorKeys,
  details?: Record<string, unknown>,
): Outcome<T> {
  return { ok: false, code, ...(fieldErrors ? { fieldErrors } : {}), ...(details ? { details } : {}) };
}

/**
 * A unique value is already taken. Thrown by query functions (inside a transaction it
 * rolls the transaction back); use cases turn it into a "duplicate" outcome.
 */
export class DuplicateError extends Error {
  constructor(public field: string) {
    super(`duplicate ${field}`);
  }
}

/**
 * A refusal that has to leave a transaction body (which rolls back) and become an
 * outcome outside it. Internals stay in `message`; callers show only the code's words.
 */
export class AppError extends Error {
  constructor(
    public code: ErrorCode,
    public fieldErrors?: FieldErrorKeys,
    message?: string,
  ) {
    super(message ?? code);
  }
}

/** Runs a use-case body and turns the expected refusals into outcomes; anything else is rethrown. */
export async function outcomeOf<T>(body: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof DuplicateError) return fail("duplicate", { [error.field]: TAKEN });
    if (error instanceof AppError) return fail(error.code, error.fieldErrors);
    throw error;
  }
}

const TAKEN: Localized = { de: "Dieser Wert ist bereits vergeben.", en: "This value is already taken." };
