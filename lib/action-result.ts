import type { Outcome } from "./errors";
import type { Locale } from "./i18n/locale";

/** The one result type of every server action. Texts are already in the user's language. */
export type ActionResult<T = unknown> =
  | { ok: true; data: T; message?: string }
  | {
      ok: false;
      error: string;
      fieldErrors?: Record<string, string>;
      /** What the user entered (never secrets), so the form can show it again. */
      values?: Record<string, string>;
    };

const SECRET_FIELD = /pass(word)?|secret|token|code|key/i;

/** The submitted text fields without secrets, for redisplay after an error. */
export function echoValues(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === "string" && !SECRET_FIELD.test(key)) out[key] = value;
  }
  return out;
}

/**
 * A use case's refusal as an action result: `error` is the caller's sentence for the
 * code, field messages come from the outcome in the user's language.
 */
export function refusedResult(outcome: Extract<Outcome<unknown>, { ok: false }>, locale: Locale, error: string): ActionResult<never> {
  const entries = Object.entries(outcome.fieldErrors ?? {});
  if (entries.length === 0) return { ok: false, error };
  return { ok: false, error, fieldErrors: Object.fromEntries(entries.map(([field, message]) => [field, message[locale]])) };
}
