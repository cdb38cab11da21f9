"use server";

import { refusedResult, type ActionResult } from "@/lib/action-result";
import { appActor, rolesFor } from "@/lib/auth/policy";
import { getUserById } from "@/lib/users/queries";
import { createTenantUserSchema, setUserDisabledSchema } from "@/lib/users/schema";
import { createTenantUser, setUserDisabled } from "@/lib/users/service";
import { translator } from "@/app/_i18n/translator";
import { revalidate, tenantAction } from "@/app/_server/guard";
import { serverText } from "@/app/_server/server-text";

const MANAGERS = rolesFor("users.manage");

export const createTenantUserAction = tenantAction(
  { schema: createTenantUserSchema, roles: MANAGERS },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "users");
    const outcome = await createTenantUser(db, { tenantId: tenant.id, actor: appActor(actor), input });
    if (!outcome.ok) {
      if (outcome.code === "duplicate") return { ok: false, error: t("emailTaken"), fieldErrors: { email: t("emailTaken") } };
      return refusedResult(outcome, locale, serverText(locale)("checkFields"));
    }
    revalidate(`/t/${tenant.slug}/users`);
    return { ok: true, data: { id: outcome.data.id }, message: t("created", { email: outcome.data.email }) };
  },
);

export const setTenantUserDisabledAction = tenantAction(
  { schema: setUserDisabledSchema, roles: MANAGERS },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "users");
    const outcome = await setUserDisabled(db, { tenantId: tenant.id, actor: appActor(actor), ...input });
    if (!outcome.ok) {
      // A user id outside this tenant is "not found", exactly like a missing one.
      return { ok: false, error: outcome.code === "notSelf" ? t("notSelf") : translator(locale, "common")("notFoundTitle") };
    }
    const user = await getUserById(db, input.userId);
    revalidate(`/t/${tenant.slug}/users`);
    return {
      ok: true,
      data: { id: input.userId },
      message: t(input.disabled ? "disabledDone" : "enabledDone", { email: user?.email ?? "" }),
    };
  },
);
