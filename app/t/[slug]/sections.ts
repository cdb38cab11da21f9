import { rolesFor, sectionPermission, TENANT_SECTIONS as SECTIONS, type SectionKey } from "@/lib/auth/policy";
import type { Role } from "@/lib/users/schema";

export type { SectionKey };

/** The tenant's sections with the roles that open them (lib/auth/policy decides). */
export const TENANT_SECTIONS = SECTIONS.map((s) => ({ key: s.key, roles: rolesFor(s.permission) }));

export function sectionRoles(key: SectionKey): readonly Role[] {
  return rolesFor(sectionPermission(key));
}
