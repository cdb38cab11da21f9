import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../db";
import type { Role } from "./policy";

// Session → actor → tenant sits below the features (README: lib/auth is shared), so it
// reads the users, memberships and tenants tables itself instead of importing a feature.

/** The signed-in person as every guard sees them: loaded fresh from the database. */
export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: "de" | "en" | null;
  /** Tenants an admin or trainer belongs to; consultants see every tenant. */
  tenantIds: string[];
}

/** Loads the actor for a session's user id; null when unknown or disabled. */
export async function loadActor(db: Db, userId: string): Promise<Actor | null> {
  const u = db.t.users;
  const m = db.t.memberships;
  const [user] = await db.orm.select().from(u).where(eq(u.id, userId));
  if (!user || user.disabledAt) return null;
  const tenantIds =
    user.role === "consultant"
      ? []
      : (await db.orm.select({ tenantId: m.tenantId }).from(m).where(eq(m.userId, user.id))).map((r) => r.tenantId);
  return { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale, tenantIds };
}

export function canSeeTenant(actor: Actor, tenantId: string): boolean {
  return actor.role === "consultant" || actor.tenantIds.includes(tenantId);
}

/**
 * The tenant a URL slug names, if this actor may see it. A slug only selects among
 * what the actor may see: anything else is "not found", never the data.
 */
export async function resolveTenant(db: Db, actor: Actor, slug: string) {
  const t = db.t.tenants;
  const [tenant] = await db.orm.select().from(t).where(eq(t.slug, slug));
  if (!tenant || !canSeeTenant(actor, tenant.id)) return null;
  return tenant;
}

export function hasRole(actor: Actor, roles: readonly Role[]): boolean {
  return roles.includes(actor.role);
}

export { assignableRoles } from "./policy";

/** Where the actor lands after sign-in. */
export async function homePath(db: Db, actor: Actor): Promise<string> {
  if (actor.role === "consultant") return "/tenants";
  if (actor.tenantIds.length === 0) return "/no-tenant";
  const t = db.t.tenants;
  const [first] = await db.orm.select({ slug: t.slug }).from(t).where(inArray(t.id, actor.tenantIds)).orderBy(asc(t.name)).limit(1);
  return first ? `/t/${first.slug}` : "/no-tenant";
}
