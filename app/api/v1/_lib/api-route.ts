import type { z } from "zod";
import { authenticateApiKey } from "@/lib/api-keys/service";
import { API_RATE_SCOPE, API_RATE_WINDOW_MS, BODY_LIMIT_BYTES } from "@/lib/api/limits";
import { apiLocale, fieldProblems, outcomeProblem, problemResponse } from "@/lib/api/problem";
import { apiActor, type UseCaseActor } from "@/lib/auth/policy";
import { config } from "@/lib/config/platform-profile";
import { getDb, type Db } from "@/lib/db";
import type { Outcome } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/locale";
import { takeSlot } from "@/lib/limits/fixed-window";
import { localizedIssues } from "@/lib/validation/localize";
import { isJsonObject, readJsonBody } from "@/app/_server/read-body";

/**
 * The one wrapper of every /api/v1 handler: bearer key → tenant, the key's rate (counted
 * in the database), the JSON body (2 MB, streamed and counted), and problem answers for
 * every refusal. Handlers get a tenant that comes only from the key, never from the
 * request, so every answer carries only that tenant's data.
 */

export interface ApiContext {
  db: Db;
  tenant: { id: string; slug: string; timezone: string; locale: string };
  key: { id: string; tenantId: string; prefix: string };
  actor: UseCaseActor;
  locale: Locale;
  now: Date;
  url: URL;
}

type Params = Record<string, string>;
type RouteContext = { params: Promise<unknown> };

const NO_STORE = { "Cache-Control": "no-store" };

/** Route params must be strings (Next gives them so; a direct caller could hand anything). */
function stringParams(raw: unknown): Params | null {
  if (raw === undefined) return {};
  if (!isJsonObject(raw)) return null;
  const out: Params = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== "string") return null;
    out[k] = v;
  }
  return out;
}

async function guarded(request: Request, run: (locale: Locale) => Promise<Response>): Promise<Response> {
  const locale = apiLocale(request.headers.get("accept-language"));
  try {
    const response = await run(locale);
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("Vary", "Authorization, Accept-Language");
    return response;
  } catch (error) {
    // Internals go to the log; the client gets the generic problem.
    console.error("api route failed", error);
    return problemResponse("internal", locale);
  }
}

/**
 * An authenticated /api/v1 handler. With `body: true` the handler receives the parsed
 * JSON object; otherwise the request is not read.
 */
export function apiRoute(
  options: { body: boolean },
  handler: (ctx: ApiContext, input: { body: Record<string, unknown>; params: Params }) => Promise<Response>,
) {
  return (request: Request, context?: RouteContext): Promise<Response> =>
    guarded(request, async (locale) => {
      const db = await getDb();
      const now = new Date();
      const auth = await authenticateApiKey(db, { authorization: request.headers.get("authorization"), now });
      if (!auth.ok) {
        return problemResponse("unauthorized", locale, {
          headers: { "WWW-Authenticate": auth.reason === "missing" ? 'Bearer realm="postillion"' : 'Bearer realm="postillion", error="invalid_token"' },
        });
      }
      const limit = config().API_RATE_PER_MINUTE;
      const slot = await takeSlot(db, { scope: API_RATE_SCOPE, limit, windowMs: API_RATE_WINDOW_MS }, auth.key.id, now);
      if (!slot.allowed) {
        const seconds = Math.max(1, Math.ceil(slot.retryAfterMs / 1000));
        return problemResponse("rateLimited", locale, { params: { limit, seconds }, headers: { "Retry-After": String(seconds) } });
      }
      const params = stringParams(await context?.params);
      if (!params) return problemResponse("notFound", locale);

      let body: Record<string, unknown> = {};
      if (options.body) {
        const read = await readJsonBody(request, BODY_LIMIT_BYTES);
        if (!read.ok) {
          const status = read.response.status;
          if (status === 413) return problemResponse("payloadTooLarge", locale, { params: { limit: BODY_LIMIT_BYTES } });
          if (status === 415) return problemResponse("unsupportedMediaType", locale);
          return problemResponse("malformed", locale);
        }
        if (!isJsonObject(read.value)) return problemResponse("malformed", locale);
        body = read.value;
      }
      const ctx: ApiContext = {
        db,
        tenant: auth.tenant,
        key: auth.key,
        actor: apiActor(auth.key),
        locale,
        now,
        url: new URL(request.url),
      };
      return handler(ctx, { body, params });
    });
}

/** A handler that needs no key (the OpenAPI document). */
export function publicRoute(handler: (locale: Locale) => Promise<Response>) {
  return (request: Request): Promise<Response> => guarded(request, handler);
}

/** Parses the query string with a schema; 400 naming each bad parameter. */
export function parseQuery<S extends z.ZodType>(
  ctx: ApiContext,
  schema: S,
): { ok: true; query: z.output<S> } | { ok: false; response: Response } {
  const raw: Record<string, string> = {};
  // A repeated parameter is one value too many: the last one would silently win.
  for (const [k, v] of ctx.url.searchParams) raw[k] = k in raw ? `${raw[k]},${v}` : v;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, query: parsed.data };
  return { ok: false, response: problemResponse("badQuery", ctx.locale, { errors: fieldProblems(localizedIssues(parsed.error), ctx.locale) }) };
}

/**
 * A refused outcome as its problem (errors naming path parameters carry no body pointer);
 * an accepted one through `ok`.
 */
export function answer<T>(outcome: Outcome<T>, ctx: { locale: Locale; params: Params }, ok: (data: T) => Response): Response {
  return outcome.ok ? ok(outcome.data) : outcomeProblem(outcome.code, outcome.fieldErrors, ctx.locale, Object.keys(ctx.params));
}

export const json = (body: unknown, status = 200) => Response.json(body, { status, headers: NO_STORE });
