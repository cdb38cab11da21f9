"use server";

import { after } from "next/server";
import type { ActionResult } from "@/lib/action-result";
import { encryptionKeys } from "@/lib/config/encryption";
import {
  createDkimKey,
  dkimKeyInputSchema,
  domainCheckEnvironment,
  domainCheckInputSchema,
  instructionsInputSchema,
  sendInstructions,
  startDomainCheck,
} from "@/lib/domain-check/service";
import { testOverride } from "@/app/_server/request-context";
import { revalidate, tenantAction } from "@/app/_server/guard";
import { sectionRoles } from "../sections";

const ROLES = sectionRoles("domain");

/**
 * Starts a check and answers at once with its id; the page polls the check's route
 * handler for the steps. after() keeps the work alive past the response (outside a
 * Next request — the integration tests — the promise simply runs on).
 */
export const startDomainCheckAction = tenantAction(
  { schema: domainCheckInputSchema, roles: ROLES },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<{ id: string; domain: string }>> => {
    const started = await startDomainCheck(db, {
      tenantId: tenant.id,
      actorUserId: actor.id,
      domain: input.domain,
      ...(input.selector ? { selector: input.selector } : {}),
      env: domainCheckEnvironment(),
    });
    if (!started.ok) return { ok: false, error: started.message[locale] };
    if (!testOverride()) after(() => started.done);
    revalidate(`/t/${tenant.slug}/domain`);
    return { ok: true, data: { id: started.id, domain: input.domain } };
  },
);

export const generateDkimKeyAction = tenantAction(
  { schema: dkimKeyInputSchema, roles: ROLES },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<{ id: string; selector: string }>> => {
    const result = await createDkimKey(db, {
      tenantId: tenant.id,
      actorUserId: actor.id,
      domain: input.domain,
      ...(input.selector ? { selector: input.selector } : {}),
      keys: encryptionKeys(),
      now: new Date(),
    });
    if (!result.ok) {
      const message = result.message[locale];
      return { ok: false, error: message, ...(result.field ? { fieldErrors: { [result.field]: message } } : {}) };
    }
    revalidate(`/t/${tenant.slug}/domain`);
    return { ok: true, data: { id: result.data.id, selector: result.data.selector }, message: result.message[locale] };
  },
);

export const sendInstructionsAction = tenantAction(
  { schema: instructionsInputSchema, roles: ROLES },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<null>> => {
    const result = await sendInstructions(db, {
      tenant: { id: tenant.id, name: tenant.name },
      actor: { id: actor.id, email: actor.email, name: actor.name },
      checkId: input.checkId,
      to: input.to,
      locale,
      env: domainCheckEnvironment(),
      now: new Date(),
    });
    if (!result.ok) return { ok: false, error: result.message[locale] };
    return { ok: true, data: null, message: result.message[locale] };
  },
);
