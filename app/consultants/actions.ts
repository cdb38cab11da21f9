"use server";

import type { ActionResult } from "@/lib/action-result";
import { writeAudit } from "@/lib/audit/log";
import { DuplicateError } from "@/lib/tenants/queries";
import { countActiveConsultants, createUser, getUserById, setConsultantDisabled } from "@/lib/users/queries";
import { createConsultantSchema, setUserDisabledSchema } from "@/lib/users/schema";
import { translator } from "../_i18n/translator";
import { globalAction, revalidate } from "../_server/guard";

export const createConsultantAction = globalAction(
  { schema: createConsultantSchema, roles: ["consultant"] },
  async ({ db, actor, locale }, input): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "users");
    try {
      const user = await db.transaction(async (tx) => {
        const created = await createUser(tx, { ...input, role: "consultant" });
        await writeAudit(tx, {
          tenantId: null,
          actorUserId: actor.id,
          action: "user.create",
          targetType: "user",
          targetId: created.id,
          details: { email: created.email, role: "consultant" },
        });
        return created;
      });
      revalidate("/consultants");
      return { ok: true, data: { id: user.id }, message: t("created", { email: user.email }) };
    } catch (error) {
      if (error instanceof DuplicateError) {
        return { ok: false, error: t("emailTaken"), fieldErrors: { email: t("emailTaken") } };
      }
      throw error;
    }
  },
);

export const setConsultantDisabledAction = globalAction(
  { schema: setUserDisabledSchema, roles: ["consultant"] },
  async ({ db, actor, locale }, input): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "users");
    if (input.userId === actor.id) return { ok: false, error: t("notSelf") };
    const result = await db.transaction(async (tx) => {
      if (input.disabled && (await countActiveConsultants(tx)) <= 1) return "last" as const;
      const ok = await setConsultantDisabled(tx, { userId: input.userId, disabled: input.disabled });
      if (ok) {
        await writeAudit(tx, {
          tenantId: null,
          actorUserId: actor.id,
          action: input.disabled ? "user.disable" : "user.enable",
          targetType: "user",
          targetId: input.userId,
        });
      }
      return ok;
    });
    if (result === "last") return { ok: false, error: t("lastConsultant") };
    if (!result) return { ok: false, error: translator(locale, "common")("notFoundTitle") };
    const user = await getUserById(db, input.userId);
    revalidate("/consultants");
    return {
      ok: true,
      data: { id: input.userId },
      message: t(input.disabled ? "disabledDone" : "enabledDone", { email: user?.email ?? "" }),
    };
  },
);
