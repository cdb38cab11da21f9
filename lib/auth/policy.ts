/** The roles of the platform (users/schema re-exports them for the forms). */
export const ROLES = ["consultant", "admin", "trainer"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may do what, written once. Actions, pages, the navigation and the CLI ask this
 * module; none of them lists roles of its own. Consultants run the platform, admins
 * run one tenant, trainers only read and preview reminders.
 */
const PERMISSIONS = {
  "tenants.manage": ["consultant"],
  "consultants.manage": ["consultant"],
  "users.manage": ["consultant", "admin"],
  "sender.manage": ["consultant", "admin"],
  "domain.manage": ["consultant", "admin"],
  "reminders.view": ["consultant", "admin", "trainer"],
  "reminders.edit": ["consultant", "admin"],
  "learners.view": ["consultant", "admin", "trainer"],
  "learners.edit": ["consultant", "admin"],
  "apikeys.manage": ["consultant", "admin"],
  "deliveries.view": ["consultant", "admin"],
  /** Resume a paused sender, remove or add suppressed addresses. */
  "deliveries.manage": ["consultant", "admin"],
  /** Read the tenant's audit trail (and export it as CSV). */
  "audit.view": ["consultant", "admin"],
  /** See alerts (an admin: of their tenants; a consultant: all) and mark them read. */
  "alerts.view": ["consultant", "admin"],
  /** The cross-tenant review board /review, review notes and "mark reviewed". */
  "review.manage": ["consultant"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function rolesFor(permission: Permission): readonly Role[] {
  return PERMISSIONS[permission];
}

export function can(actor: { role: Role }, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(actor.role);
}

/**
 * Who performs a use case: the signed-in actor, the CLI (an operator with a consultant's
 * rights), or the learning platform through one of the tenant's API keys (an admin's
 * rights inside that tenant only; the key's id is what the audit log records).
 */
export interface UseCaseActor {
  userId: string | null;
  role: Role;
  via: "app" | "cli" | "api";
  apiKeyId?: string;
}

export const CLI_ACTOR: UseCaseActor = { userId: null, role: "consultant", via: "cli" };

export function apiActor(key: { id: string }): UseCaseActor {
  return { userId: null, role: "admin", via: "api", apiKeyId: key.id };
}

export function appActor(actor: { id: string; role: Role }): UseCaseActor {
  return { userId: actor.id, role: actor.role, via: "app" };
}

/**
 * The sections inside a tenant, in navigation order, what opening each needs, and the
 * path segment of its page under /t/<slug>/.
 */
export const TENANT_SECTIONS = [
  { key: "sender", permission: "sender.manage", path: "sender" },
  { key: "domain", permission: "domain.manage", path: "domain" },
  { key: "reminders", permission: "reminders.view", path: "reminders" },
  { key: "learners", permission: "learners.view", path: "learners" },
  { key: "deliveries", permission: "deliveries.view", path: "deliveries" },
  { key: "users", permission: "users.manage", path: "users" },
  { key: "apiKeys", permission: "apikeys.manage", path: "api-keys" },
  { key: "audit", permission: "audit.view", path: "audit" },
] as const satisfies readonly { key: string; permission: Permission; path: string }[];

export type SectionKey = (typeof TENANT_SECTIONS)[number]["key"];

export function sectionPermission(key: SectionKey): Permission {
  return TENANT_SECTIONS.find((s) => s.key === key)!.permission;
}

/** The sections this actor may open. */
export function visibleSections(actor: { role: Role }) {
  return TENANT_SECTIONS.filter((s) => can(actor, s.permission));
}

/** Roles this actor may give to users of a tenant (nobody creates consultants there). */
export function assignableRoles(actor: { role: Role }): ("admin" | "trainer")[] {
  return can(actor, "users.manage") ? ["admin", "trainer"] : [];
}
