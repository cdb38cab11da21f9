import { writeAuditBy } from "../audit/log";
import { can, type UseCaseActor } from "../auth/policy";
import type { Db } from "../db";
import { fail, ok, outcomeOf, type Outcome } from "../errors";
import { localizedIssues } from "../validation/localize";
import { createTenant as insertTenant, type Tenant } from "./queries";
import { createTenantSchema } from "./schema";

/** Creates a tenant (consultants and the CLI): validation, unique slug, write and audit. */
export async function createTenant(
  db: Db,
  params: { actor: UseCaseActor; input: unknown; now?: Date },
): Promise<Outcome<Tenant>> {
  if (!can(params.actor, "tenants.manage")) return fail("forbidden");
  const parsed = createTenantSchema.safeParse(params.input);
  if (!parsed.success) return fail("invalid", localizedIssues(parsed.error));
  const now = params.now ?? new Date();
  return outcomeOf(async () => {
    const tenant = await db.transaction(async (tx) => {
      const created = await insertTenant(tx, parsed.data);
      await writeAuditBy(
        tx,
        params.actor,
        {
          tenantId: created.id,
          action: "tenant.create",
          targetType: "tenant",
          targetId: created.id,
          details: { slug: created.slug, name: created.name, timezone: created.timezone, locale: created.locale },
        },
        now,
      );
      return created;
    });
    return ok(tenant);
  });
}
