"use server";

import { refusedResult, type ActionResult } from "@/lib/action-result";
import { appActor, rolesFor } from "@/lib/auth/policy";
import { getUserById } from "@/lib/users/queries";
import { createConsultantSchema, setUserDisabledSchema } from "@/lib/users/schema";
import { createConsultant, setUserDisabled } from "@/lib/users/service";
import { translator } from "../_i18n/translator";
import { globalAction, revalidate } from "../_server/guard";
import { serverText } from "../_server/server-text";

const ROLES = rolesFor("consultants.manage");

export const createConsultantAction = globalAction(
  { schema: createConsultantSchema, roles: ROLES },
  async ({ db, actor, locale }, input): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "users");
    const outcome = await createConsultant(db, { actor: appActor(actor), input });
    if (!outcome.ok) {
      if (outcome.code === "duplicate") return { ok: false, error: t("emailTaken"), fieldErrors: { email: t("emailTaken") } };
      return refusedResult(outcome, locale, serverText(locale)("checkFields"));
    }
    revalidate("/consultants");
    return { ok: true, data: { id: outcome.data.id }, message: t("created", { email: outcome.data.email }) };
  },
);

export const setConsultantDisabledAction = globalAction(
  { schema: setUserDisabledSchema, roles: ROLES },
  async ({ db, actor, locale }, input): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "users");
    const outcome = await setUserDisabled(db, { tenantId: null, actor: appActor(actor), ...input });
    if (!outcome.ok) {
      const error =
        outcome.code === "notSelf"
          ? t("notSelf")
          : outcome.code === "lastConsultant"
            ? t("lastConsultant")
            : translator(locale, "common")("notFoundTitle");
      return { ok: false, error };
    }
    const user = await getUserById(db, input.userId);
    revalidate("/consultants");
    return {
      ok: true,
      data: { id: input.userId },
      message: t(input.disabled ? "disabledDone" : "enabledDone", { email: user?.email ?? "" }),
    };
  },
);
