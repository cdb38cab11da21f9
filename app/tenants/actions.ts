"use server";

import type { ActionResult } from "@/lib/action-result";
import { writeAudit } from "@/lib/audit/log";
import { createTenant, DuplicateError } from "@/lib/tenants/queries";
import { createTenantSchema } from "@/lib/tenants/schema";
import { translator } from "../_i18n/translator";
import { globalAction, revalidate } from "../_server/guard";

export const createTenantAction = globalAction(
  { schema: createTenantSchema, roles: ["consultant"] },
  async ({ db, actor, locale }, input): Promise<ActionResult<{ slug: string }>> => {
    const t = translator(locale, "tenants");
    try {
      const tenant = await db.transaction(async (tx) => {
        const created = await createTenant(tx, input);
        await writeAudit(tx, {
          tenantId: created.id,
          actorUserId: actor.id,
          action: "tenant.create",
          targetType: "tenant",
          targetId: created.id,
          details: { slug: created.slug, name: created.name, timezone: created.timezone, locale: created.locale },
        });
        return created;
      });
      revalidate("/tenants");
      return { ok: true, data: { slug: tenant.slug }, message: t("created", { name: tenant.name }) };
    } catch (error) {
      if (error instanceof DuplicateError) {
        return { ok: false, error: t("slugTaken"), fieldErrors: { slug: t("slugTaken") } };
      }
      throw error;
    }
  },
);
