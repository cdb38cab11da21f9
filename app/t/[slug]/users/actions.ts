"use server";

import type { ActionResult } from "@/lib/action-result";
import { writeAudit } from "@/lib/audit/log";
import { assignableRoles } from "@/lib/auth/access";
import { DuplicateError } from "@/lib/tenants/queries";
import { createUser, getUserById, setTenantUserDisabled } from "@/lib/users/queries";
import { createTenantUserSchema, setUserDisabledSchema } from "@/lib/users/schema";
import { translator } from "@/app/_i18n/translator";
import { revalidate, tenantAction } from "@/app/_server/guard";

const MANAGERS = ["consultant", "admin"] as const;

export const createTenantUserAction = tenantAction(
  { schema: createTenantUserSchema, roles: MANAGERS },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "users");
    if (!assignableRoles(actor).includes(input.role)) {
      return { ok: false, error: t("createTitle"), fieldErrors: { role: t("role") } };
    }
    try {
      const user = await db.transaction(async (tx) => {
        const created = await createUser(tx, { ...input, tenantId: tenant.id });
        await writeAudit(tx, {
          tenantId: tenant.id,
          actorUserId: actor.id,
          action: "user.create",
          targetType: "user",
          targetId: created.id,
          details: { email: created.email, role: created.role },
        });
        return created;
      });
      revalidate(`/t/${tenant.slug}/users`);
      return { ok: true, data: { id: user.id }, message: t("created", { email: user.email }) };
    } catch (error) {
      if (error instanceof DuplicateError) {
        return { ok: false, error: t("emailTaken"), fieldErrors: { email: t("emailTaken") } };
      }
      throw error;
    }
  },
);

export const setTenantUserDisabledAction = tenantAction(
  { schema: setUserDisabledSchema, roles: MANAGERS },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "users");
    if (input.userId === actor.id) return { ok: false, error: t("notSelf") };
    const changed = await db.transaction(async (tx) => {
      const ok = await setTenantUserDisabled(tx, { tenantId: tenant.id, userId: input.userId, disabled: input.disabled });
      if (ok) {
        await writeAudit(tx, {
          tenantId: tenant.id,
          actorUserId: actor.id,
          action: input.disabled ? "user.disable" : "user.enable",
          targetType: "user",
          targetId: input.userId,
        });
      }
      return ok;
    });
    // A user id outside this tenant is "not found", exactly like a missing one.
    if (!changed) return { ok: false, error: translator(locale, "common")("notFoundTitle") };
    const user = await getUserById(db, input.userId);
    revalidate(`/t/${tenant.slug}/users`);
    return {
      ok: true,
      data: { id: input.userId },
      message: t(input.disabled ? "disabledDone" : "enabledDone", { email: user?.email ?? "" }),
    };
  },
);
