import type { ErrorCode, FieldErrorKeys } from "../errors";
import type { Locale, Localized } from "../i18n/locale";

/**
 * Errors of the HTTP API as RFC 9457 problem details (`application/problem+json`):
 * `{type, title, status, detail, errors: [{field, pointer, message}]}`. `type` points at
 * the problem's section of the API reference (/docs/api#problem-…), relative to the
 * server, as RFC 9457 §3.1.1 allows. Texts are English, or German when the request's
 * Accept-Language prefers it.
 */

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export const PROBLEMS = {
  unauthorized: {
    status: 401,
    title: { en: "Missing or invalid API key", de: "API-Schlüssel fehlt oder ist ungültig" },
    detail: {
      en: "Send a valid, unrevoked and unexpired key as `Authorization: Bearer pst_…`.",
      de: "Bitte einen gültigen, nicht widerrufenen und nicht abgelaufenen Schlüssel als `Authorization: Bearer pst_…` senden.",
    },
  },
  notFound: {
    status: 404,
    title: { en: "Not found", de: "Nicht gefunden" },
    detail: { en: "There is no such record in this tenant.", de: "In diesem Mandanten gibt es keinen solchen Eintrag." },
  },
  conflict: {
    status: 409,
    title: { en: "Conflict", de: "Konflikt" },
    detail: { en: "A value that must be unique is already taken.", de: "Ein eindeutiger Wert ist bereits vergeben." },
  },
  payloadTooLarge: {
    status: 413,
    title: { en: "Request body too large", de: "Anfrage zu groß" },
    detail: { en: "The body may hold at most {limit} bytes.", de: "Der Inhalt darf höchstens {limit} Bytes groß sein." },
  },
  unsupportedMediaType: {
    status: 415,
    title: { en: "Unsupported media type", de: "Nicht unterstütztes Format" },
    detail: { en: "Send the body as `Content-Type: application/json`.", de: "Bitte den Inhalt als `Content-Type: application/json` senden." },
  },
  malformed: {
    status: 400,
    title: { en: "Malformed request", de: "Fehlerhafte Anfrage" },
    detail: {
      en: "The body is not a UTF-8 JSON object.",
      de: "Der Inhalt ist kein JSON-Objekt in UTF-8.",
    },
  },
  badQuery: {
    status: 400,
    title: { en: "Invalid query parameters", de: "Ungültige Abfrageparameter" },
    detail: { en: "See `errors` for each parameter.", de: "Siehe `errors` für jeden Parameter." },
  },
  invalid: {
    status: 422,
    title: { en: "Invalid fields", de: "Ungültige Felder" },
    detail: { en: "See `errors` for each field. Nothing was saved.", de: "Siehe `errors` für jedes Feld. Es wurde nichts gespeichert." },
  },
  forbidden: {
    status: 403,
    title: { en: "Not allowed", de: "Nicht erlaubt" },
    detail: { en: "This key may not do this.", de: "Dieser Schlüssel darf das nicht." },
  },
  rateLimited: {
    status: 429,
    title: { en: "Too many requests", de: "Zu viele Anfragen" },
    detail: {
      en: "This key may make {limit} requests a minute. Retry after {seconds} s.",
      de: "Dieser Schlüssel darf {limit} Anfragen je Minute stellen. Bitte nach {seconds} s erneut versuchen.",
    },
  },
  internal: {
    status: 500,
    title: { en: "Unexpected error", de: "Unerwarteter Fehler" },
    detail: { en: "Something went wrong on our side. Please try again.", de: "Bei uns ist etwas schiefgegangen. Bitte erneut versuchen." },
  },
} as const satisfies Record<string, { status: number; title: Localized; detail: Localized }>;

export type ProblemKind = keyof typeof PROBLEMS;

export interface FieldProblem {
  /** The field as a path: `email`, `learners[3].email`. */
  field: string;
  /**
   * The same as a JSON Pointer into the request body (RFC 6901): `/learners/3/email`.
   * Absent for a path parameter (`externalId` of PUT /learners/{externalId}).
   */
  pointer?: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
}

export const problemType = (kind: ProblemKind) => `/docs/api#problem-${kind}`;

const fill = (template: string, params: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, k: string) => (k in params ? String(params[k]) : whole));

/** `learners.3.email` → `learners[3].email` and `/learners/3/email`. */
export function fieldPath(key: string): { field: string; pointer: string } {
  if (key === "_form" || key === "") return { field: "", pointer: "" };
  const parts = key.split(".");
  const field = parts.reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), "");
  const pointer = `/${parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
  return { field, pointer };
}

export function fieldProblems(fieldErrors: FieldErrorKeys | undefined, locale: Locale, pathParams: readonly string[] = []): FieldProblem[] {
  return Object.entries(fieldErrors ?? {}).map(([key, message]) =>
    pathParams.includes(key) ? { field: key, message: message[locale] } : { ...fieldPath(key), message: message[locale] },
  );
}

export function problemBody(
  kind: ProblemKind,
  locale: Locale,
  options: { params?: Record<string, string | number>; detail?: string; errors?: FieldProblem[] } = {},
): ProblemBody {
  const p = PROBLEMS[kind];
  return {
    type: problemType(kind),
    title: p.title[locale],
    status: p.status,
    detail: options.detail ?? fill(p.detail[locale], options.params ?? {}),
    ...(options.errors ? { errors: options.errors } : {}),
  };
}

export function problemResponse(
  kind: ProblemKind,
  locale: Locale,
  options: { params?: Record<string, string | number>; detail?: string; errors?: FieldProblem[]; headers?: Record<string, string> } = {},
): Response {
  const body = problemBody(kind, locale, options);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "Content-Type": PROBLEM_CONTENT_TYPE, "Cache-Control": "no-store", ...options.headers },
  });
}

/** The problem a refused use case answers with; "invalid" names each field. */
export function outcomeProblem(code: ErrorCode, fieldErrors: FieldErrorKeys | undefined, locale: Locale, pathParams: readonly string[] = []): Response {
  const errors = () => fieldProblems(fieldErrors, locale, pathParams);
  switch (code) {
    case "notFound":
      // Identical whether the record is missing or another tenant's: it names which of the
      // request's ids is unknown here, never whether it exists elsewhere.
      return problemResponse("notFound", locale, fieldErrors ? { errors: errors() } : {});
    case "duplicate":
      return problemResponse("conflict", locale, { errors: errors() });
    case "forbidden":
      return problemResponse("forbidden", locale);
    default:
      return problemResponse("invalid", locale, { errors: errors() });
  }
}

/**
 * The API's language: German when the client prefers it (Accept-Language), else English
 * — unlike the pages, whose fallback is German, a program's default is English.
 */
export function apiLocale(acceptLanguage: string | null): Locale {
  if (!acceptLanguage) return "en";
  const ranked = acceptLanguage
    .split(",")
    .map((part) => {
      const [tag = "", ...rest] = part.trim().split(";");
      const q = rest.find((x) => x.trim().startsWith("q="));
      return { lang: tag.trim().toLowerCase().split("-")[0] ?? "", q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((x) => (x.lang === "de" || x.lang === "en") && x.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.lang === "de" ? "de" : "en";
}
