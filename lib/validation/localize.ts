import type { z } from "zod";
import { interpolate, LOCALES, type Locale, type Localized } from "../i18n/locale";
import { validationMessages } from "./messages";

/** Field path → message in the user's language; the first issue per field wins. */
export type FieldErrors = Record<string, string>;

function fallbackKey(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_small":
      return issue.origin === "string" ? (Number(issue.minimum) <= 1 ? "v.required" : "v.tooShort") : "v.tooSmall";
    case "too_big":
      return issue.origin === "string" ? "v.tooLong" : "v.tooBig";
    case "invalid_value":
      return "v.choice";
    case "invalid_type":
      return issue.input === undefined || issue.input === null || issue.input === "" ? "v.required" : "v.invalid";
    case "invalid_format":
      return issue.format === "email" ? "v.email" : "v.invalid";
    default:
      return "v.invalid";
  }
}

/** Translates one issue: its message is a key of validationMessages, or falls back by code. */
export function localizeIssue(issue: z.core.$ZodIssue, locale: Locale): string {
  const key = validationMessages[issue.message] ? issue.message : fallbackKey(issue);
  const template = validationMessages[key]![locale];
  const params: Record<string, string | number> = {};
  if ("minimum" in issue) params.minimum = Number(issue.minimum);
  if ("maximum" in issue) params.maximum = Number(issue.maximum);
  if ("params" in issue && issue.params && typeof issue.params === "object") {
    for (const [k, v] of Object.entries(issue.params as Record<string, unknown>)) {
      if (typeof v === "string" || typeof v === "number") params[k] = v;
    }
  }
  return interpolate(template, params);
}

export function localizeIssues(error: z.ZodError, locale: Locale): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "_form";
    if (!(field in out)) out[field] = localizeIssue(issue, locale);
  }
  return out;
}

/** One issue in every language (for texts that are stored or shown in either). */
export function localizedIssue(issue: z.core.$ZodIssue): Localized {
  return Object.fromEntries(LOCALES.map((l) => [l, localizeIssue(issue, l)])) as Localized;
}

/** Field path → message in every language; the first issue per field wins. */
export function localizedIssues(error: z.ZodError): Record<string, Localized> {
  const out: Record<string, Localized> = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "_form";
    if (!(field in out)) out[field] = localizedIssue(issue);
  }
  return out;
}
