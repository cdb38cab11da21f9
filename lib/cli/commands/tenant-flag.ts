import type { Db } from "../../db";
import { getTenantBySlug } from "../../tenants/queries";
import { tenantSlugSchema } from "../../tenants/schema";
import { CliUsageError } from "../types";

/** The tenant `--tenant S` names, or exit 2 naming the flag. */
export async function cliTenant(db: Db, slug: string) {
  const parsed = tenantSlugSchema.safeParse(slug);
  const tenant = parsed.success ? await getTenantBySlug(db, parsed.data) : undefined;
  if (!tenant) throw new CliUsageError(`--tenant: no tenant "${slug}"`);
  return tenant;
}
