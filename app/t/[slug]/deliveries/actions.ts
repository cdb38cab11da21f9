"use server";

import { z } from "zod";
import { refusedResult, type ActionResult } from "@/lib/action-result";
import { appActor, rolesFor } from "@/lib/auth/policy";
import { resumeTenantSending } from "@/lib/delivery/pause";
import { addSuppression, removeSuppression, suppressionInputSchema } from "@/lib/delivery/suppressions";
import { translator } from "@/app/_i18n/translator";
import { revalidate, tenantAction } from "@/app/_server/guard";
import { serverText } from "@/app/_server/server-text";

const MANAGERS = rolesFor("deliveries.manage");

const tenantOnlySchema = z.object({});
const suppressionIdSchema = z.object({ suppressionId: z.uuid({ error: "v.invalid" }) });

/** Resume a paused sender (lib/delivery/pause.ts): the kept queue goes out again. */
export const resumeSendingAction = tenantAction(
  { schema: tenantOnlySchema, roles: MANAGERS },
  async ({ db, actor, tenant, locale }): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "deliveries");
    const outcome = await resumeTenantSending(db, { actor: appActor(actor), tenantId: tenant.id, now: new Date() });
    if (!outcome.ok) return { ok: false, error: serverText(locale)("forbidden") };
    revalidate(`/t/${tenant.slug}/deliveries`);
    // Someone else resumed first: what the person wanted is done, and says so.
    return { ok: true, data: { id: tenant.id }, message: outcome.data.resumed ? t("pause.resumed") : t("pause.notPaused") };
  },
);

/** Block an address by hand: no more mails to it, its pending ones stop. */
export const addSuppressionAction = tenantAction(
  { schema: suppressionInputSchema, roles: MANAGERS },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<{ id: string }>> => {
    // The use case parses its input again: hand it the form's shape (no note: absent, not null).
    const outcome = await addSuppression(db, { actor: appActor(actor), tenantId: tenant.id, input: { address: input.address, note: input.note ?? undefined }, now: new Date() });
    if (!outcome.ok) return refusedResult(outcome, locale, serverText(locale)("checkFields"));
    revalidate(`/t/${tenant.slug}/deliveries`);
    return { ok: true, data: { id: tenant.id }, message: translator(locale, "deliveries")("suppressions.added", { address: input.address }) };
  },
);

/** Unblock an address: it is mailed again and its learners' reminders are planned again. */
export const removeSuppressionAction = tenantAction(
  { schema: suppressionIdSchema, roles: MANAGERS },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "deliveries");
    const outcome = await removeSuppression(db, { actor: appActor(actor), tenantId: tenant.id, id: input.suppressionId, now: new Date() });
    // Another tenant's id reads like a missing one.
    if (!outcome.ok) return { ok: false, error: t("suppressions.notFound") };
    revalidate(`/t/${tenant.slug}/deliveries`);
    return { ok: true, data: { id: input.suppressionId }, message: t("suppressions.removed", { address: outcome.data.address }) };
  },
);
