import type { Outcome } from "../../errors";
import { CliUsageError } from "../types";

/**
 * A use case's refusal as the CLI reports it: exit code 2 and each field named as the
 * flag (or file field) the operator wrote, in English.
 */
export function refusal(
  outcome: Extract<Outcome<unknown>, { ok: false }>,
  options: { flagOf?: (field: string) => string; what?: Partial<Record<string, string>> } = {},
): CliUsageError {
  const flagOf = options.flagOf ?? ((f: string) => `--${f}`);
  const fields = Object.entries(outcome.fieldErrors ?? {}).map(([field, message]) => `${flagOf(field)}: ${message.en}`);
  const text = options.what?.[outcome.code] ?? (fields.length ? fields.join("; ") : `refused (${outcome.code})`);
  return new CliUsageError(text);
}
