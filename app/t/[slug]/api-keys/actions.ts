"use server";

import { refusedResult, type ActionResult } from "@/lib/action-result";
import { apiKeyInputSchema, revokeApiKeySchema } from "@/lib/api-keys/schema";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/service";
import { appActor, rolesFor } from "@/lib/auth/policy";
import { translator } from "@/app/_i18n/translator";
import { revalidate, tenantAction } from "@/app/_server/guard";
import { serverText } from "@/app/_server/server-text";

const MANAGERS = rolesFor("apikeys.manage");

/** What the page receives once: the key itself, never stored or logged anywhere. */
export interface CreatedApiKey {
  id: string;
  name: string;
  prefix: string;
  key: string;
}

export const createApiKeyAction = tenantAction(
  { schema: apiKeyInputSchema, roles: MANAGERS },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<CreatedApiKey>> => {
    const outcome = await createApiKey(db, { tenant, actor: appActor(actor), input });
    if (!outcome.ok) return refusedResult(outcome, locale, serverText(locale)("checkFields"));
    revalidate(`/t/${tenant.slug}/api-keys`);
    return {
      ok: true,
      data: { ...outcome.data, name: input.name },
      message: translator(locale, "apiKeys")("created", { name: input.name }),
    };
  },
);

export const revokeApiKeyAction = tenantAction(
  { schema: revokeApiKeySchema, roles: MANAGERS },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "apiKeys");
    const outcome = await revokeApiKey(db, { tenantId: tenant.id, actor: appActor(actor), keyId: input.keyId });
    // A key of another tenant is "not found", exactly like a missing one.
    if (!outcome.ok) return { ok: false, error: t("notFound") };
    revalidate(`/t/${tenant.slug}/api-keys`);
    return { ok: true, data: { id: input.keyId } };
  },
);
