import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { echoValues, type ActionResult } from "@/lib/action-result";
import { hasRole, loadActor, resolveTenant, type Actor } from "@/lib/auth/access";
import { getDb, type Db } from "@/lib/db";
import type { Locale } from "@/lib/i18n/locale";
import type { Role } from "@/lib/users/schema";
import { localizeIssues } from "@/lib/validation/localize";
import { resolveLocale } from "../_i18n/locale";
import { authOptions } from "./auth";
import { testOverride } from "./request-context";
import { serverText } from "./server-text";

type Tenant = NonNullable<Awaited<ReturnType<typeof resolveTenant>>>;

/** The signed-in actor, loaded fresh from the database; null without a valid session. */
export async function currentActor(db: Db): Promise<Actor | null> {
  const override = testOverride();
  let userId: string | null | undefined;
  if (override) userId = override.userId;
  else {
    const session = (await getServerSession(authOptions())) as { userId?: string } | null;
    userId = session?.userId;
  }
  return userId ? loadActor(db, userId) : null;
}

/** For pages: the actor, or a redirect to the sign-in page. */
export async function requireActor(): Promise<{ db: Db; actor: Actor }> {
  const db = await getDb();
  const actor = await currentActor(db);
  if (!actor) redirect("/login");
  return { db, actor };
}

/**
 * For pages inside /t/<slug>/: the tenant if this actor may see it (and has one of
 * `roles`), else 404 — the same answer whether the tenant exists or not.
 */
export async function requireTenantPage(
  slug: string,
  roles?: readonly Role[],
): Promise<{ db: Db; actor: Actor; tenant: Tenant }> {
  const { db, actor } = await requireActor();
  const tenant = await resolveTenant(db, actor, slug);
  if (!tenant || (roles && !hasRole(actor, roles))) notFound();
  return { db, actor, tenant };
}

export interface ActionContext {
  db: Db;
  actor: Actor;
  locale: Locale;
}

type Handler<S extends z.ZodType, C, R> = (ctx: C, input: z.output<S>) => Promise<ActionResult<R>>;

function formToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    if (typeof value !== "string") continue;
    out[key] = value;
  }
  return out;
}

/**
 * What the schema sees: the form's text fields, or a plain object. Anything else a
 * client can post to an action endpoint (null, arrays, numbers) becomes an empty form,
 * which the schema then refuses with field errors.
 */
function inputObject(raw: unknown): Record<string, unknown> {
  if (raw instanceof FormData) return formToObject(raw);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return {};
  const proto = Object.getPrototypeOf(raw);
  return proto === Object.prototype || proto === null ? (raw as Record<string, unknown>) : {};
}

async function runGuarded<S extends z.ZodType, R>(
  schema: S,
  roles: readonly Role[],
  raw: unknown,
  next: (base: ActionContext, input: z.output<S>, raw: Record<string, unknown>) => Promise<ActionResult<R>>,
): Promise<ActionResult<R>> {
  const locale = await resolveLocale();
  const t = serverText(locale);
  const data = inputObject(raw);
  try {
    const db = await getDb();
    const actor = await currentActor(db);
    if (!actor) return { ok: false, error: t("signedOut") };
    if (!hasRole(actor, roles)) return { ok: false, error: t("forbidden") };
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      return {
        ok: false,
        error: t("checkFields"),
        fieldErrors: localizeIssues(parsed.error, locale),
        values: echoValues(data),
      };
    }
    const result = await next({ db, actor, locale }, parsed.data, data);
    return result.ok ? result : { ...result, values: result.values ?? echoValues(data) };
  } catch (error) {
    // Internals go to the log, the user gets words they can act on.
    console.error("action failed", error);
    return { ok: false, error: t("unexpected"), values: echoValues(data) };
  }
}

/**
 * Wraps a server action that works inside one tenant: session, role, tenant (the
 * `tenantSlug` field only selects among the actor's tenants; others are "not found"),
 * and the zod schema. Use with useActionState: (previous, formData) => result.
 */
export function tenantAction<S extends z.ZodType, R>(
  options: { schema: S; roles: readonly Role[] },
  handler: Handler<S, ActionContext & { tenant: Tenant }, R>,
) {
  return async (_previous: ActionResult<R> | null, formData: FormData | Record<string, unknown>) =>
    runGuarded(options.schema, options.roles, formData, async (base, input, raw) => {
      const slug = typeof raw.tenantSlug === "string" ? raw.tenantSlug : "";
      const tenant = await resolveTenant(base.db, base.actor, slug);
      if (!tenant) return { ok: false, error: serverText(base.locale)("notFound") };
      return handler({ ...base, tenant }, input);
    });
}

/** Wraps a server action that is not bound to one tenant (consultant work). */
export function globalAction<S extends z.ZodType, R>(
  options: { schema: S; roles: readonly Role[] },
  handler: Handler<S, ActionContext, R>,
) {
  return async (_previous: ActionResult<R> | null, formData: FormData | Record<string, unknown>) =>
    runGuarded(options.schema, options.roles, formData, (base, input) => handler(base, input));
}

/** revalidatePath, skipped when a test calls the action outside a Next request. */
export function revalidate(path: string): void {
  if (testOverride()) return;
  revalidatePath(path);
}

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * Wraps a route handler inside one tenant, with the same checks as tenantAction:
 * session (401 without one), tenant among the actor's tenants and role (404 otherwise,
 * never the data). Answers are never cached.
 */
export function tenantRoute<P extends { slug: string }>(
  roles: readonly Role[],
  handler: (ctx: ActionContext & { tenant: Tenant }, request: Request, params: P) => Promise<Response>,
) {
  return async (request: Request, { params }: { params: Promise<P> }): Promise<Response> => {
    try {
      const resolved = await params;
      const db = await getDb();
      const actor = await currentActor(db);
      if (!actor) return Response.json({ error: "unauthorized" }, { status: 401, headers: NO_STORE });
      // Params come from the URL; a caller of the handler could still hand over anything.
      const tenant = typeof resolved?.slug === "string" ? await resolveTenant(db, actor, resolved.slug) : null;
      if (!tenant || !hasRole(actor, roles)) return Response.json({ error: "not found" }, { status: 404, headers: NO_STORE });
      const response = await handler({ db, actor, tenant, locale: await resolveLocale() }, request, resolved);
      response.headers.set("Cache-Control", "no-store");
      return response;
    } catch (error) {
      console.error("route failed", error);
      return Response.json({ error: "unexpected" }, { status: 500, headers: NO_STORE });
    }
  };
}
