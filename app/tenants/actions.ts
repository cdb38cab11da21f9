"use server";

import { refusedResult, type ActionResult } from "@/lib/action-result";
import { appActor, rolesFor } from "@/lib/auth/policy";
import { createTenantSchema } from "@/lib/tenants/schema";
import { createTenant } from "@/lib/tenants/service";
import { translator } from "../_i18n/translator";
import { globalAction, revalidate } from "../_server/guard";
import { serverText } from "../_server/server-text";

export const createTenantAction = globalAction(
  { schema: createTenantSchema, roles: rolesFor("tenants.manage") },
  async ({ db, actor, locale }, input): Promise<ActionResult<{ slug: string }>> => {
    const t = translator(locale, "tenants");
    const outcome = await createTenant(db, { actor: appActor(actor), input });
    if (!outcome.ok) {
      if (outcome.code === "duplicate") return { ok: false, error: t("slugTaken"), fieldErrors: { slug: t("slugTaken") } };
      return refusedResult(outcome, locale, serverText(locale)("checkFields"));
    }
    revalidate("/tenants");
    return { ok: true, data: { slug: outcome.data.slug }, message: t("created", { name: outcome.data.name }) };
  },
);
