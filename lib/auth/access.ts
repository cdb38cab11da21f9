import type { Db } from "../db";
import { getTenantBySlug, getTenantsByIds } from "../tenants/queries";
import { getUserById, tenantIdsOfUser } from "../users/queries";
import type { Role } from "./policy";

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
  const user = await getUserById(db, userId);
  if (!user || user.disabledAt) return null;
  const tenantIds = user.role === "consultant" ? [] : await tenantIdsOfUser(db, user.id);
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
  const tenant = await getTenantBySlug(db, slug);
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
  const [first] = await getTenantsByIds(db, actor.tenantIds);
  return first ? `/t/${first.slug}` : "/no-tenant";
}
