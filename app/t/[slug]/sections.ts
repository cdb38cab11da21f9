import type { Role } from "@/lib/users/schema";

/** The sections inside a tenant and who may open them. Trainers only look at reminders. */
export const TENANT_SECTIONS = [
  { key: "sender", roles: ["consultant", "admin"] },
  { key: "domain", roles: ["consultant", "admin"] },
  { key: "reminders", roles: ["consultant", "admin", "trainer"] },
  { key: "learners", roles: ["consultant", "admin"] },
  { key: "deliveries", roles: ["consultant", "admin"] },
  { key: "users", roles: ["consultant", "admin"] },
] as const satisfies readonly { key: string; roles: readonly Role[] }[];

export type SectionKey = (typeof TENANT_SECTIONS)[number]["key"];

export function sectionRoles(key: SectionKey): readonly Role[] {
  return TENANT_SECTIONS.find((s) => s.key === key)!.roles;
}
