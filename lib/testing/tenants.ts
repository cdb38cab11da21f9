import type { Db } from "../db";
import { createTenant } from "../tenants/queries";
import { createUser } from "../users/queries";

export const TEST_PASSWORD = "long-enough-pass";

export interface TwoTenants {
  a: string;
  b: string;
  adminA: string;
  trainerA: string;
  adminB: string;
  consultant: string;
}

interface TenantSpec {
  name?: string;
  timezone?: string;
}

/**
 * The tenant-isolation fixture the integration tests share: tenants `<prefix>-a` (German)
 * and `<prefix>-b` (English), an admin and a trainer in A, an admin in B, and a
 * consultant. E-mails are `admin@<prefix>-a<tag>.example` and so on.
 */
export async function seedTwoTenants(
  db: Db,
  options: { prefix: string; emailTag?: string; a?: TenantSpec; b?: TenantSpec; adminAName?: string; consultantName?: string },
): Promise<TwoTenants> {
  const { prefix, emailTag = "" } = options;
  const a = await createTenant(db, {
    slug: `${prefix}-a`,
    name: options.a?.name ?? "A",
    timezone: options.a?.timezone ?? "Europe/Berlin",
    locale: "de",
  });
  const b = await createTenant(db, {
    slug: `${prefix}-b`,
    name: options.b?.name ?? "B",
    timezone: options.b?.timezone ?? "UTC",
    locale: "en",
  });
  const user = async (email: string, role: "admin" | "trainer" | "consultant", tenantId?: string, name = "") =>
    (await createUser(db, { email, name, role, password: TEST_PASSWORD, tenantId })).id;
  return {
    a: a.id,
    b: b.id,
    adminA: await user(`admin@${prefix}-a${emailTag}.example`, "admin", a.id, options.adminAName),
    trainerA: await user(`trainer@${prefix}-a${emailTag}.example`, "trainer", a.id),
    adminB: await user(`admin@${prefix}-b${emailTag}.example`, "admin", b.id),
    consultant: await user(`consultant@${prefix}${emailTag}.example`, "consultant", undefined, options.consultantName),
  };
}
