"use server";

import { z } from "zod";
import { echoValues, type ActionResult } from "@/lib/action-result";
import { config } from "@/lib/config/platform-profile";
import { derivedSecret } from "@/lib/config/secrets";
import { encryptionKeys } from "@/lib/config/encryption";
import { addressProofCodeSchema, testMailRecipientSchema } from "@/lib/sender/sender-schema";
import {
  applySenderSettings,
  requestAddressProof,
  runSmtpCheck,
  senderEnvironment,
  verifyAddressProof,
} from "@/lib/sender/service";
import { localizeIssues } from "@/lib/validation/localize";
import { translator } from "@/app/_i18n/translator";
import { revalidate, tenantAction } from "@/app/_server/guard";

const MANAGERS = ["consultant", "admin"] as const;
const tenantOnly = z.object({ tenantSlug: z.string() });
// The settings schema depends on what the tenant has stored (an empty password field
// keeps the stored one only for the same host and user), so the guard only selects
// the tenant and applySenderSettings parses with senderSettingsSchema — the form's schema.
const settingsForm = z.object({ tenantSlug: z.string() }).loose();

const ACKNOWLEDGEMENTS = new Set(["confirmNoReplyTo", "acknowledgeFreeMail", "acknowledgeNoTls"]);

const proofSecret = () => derivedSecret("address-proof");
const path = (slug: string) => `/t/${slug}/sender`;

export type CheckResult = { success: boolean; message: string; detail: string; ms: number };

export const saveSenderSettingsAction = tenantAction(
  { schema: settingsForm, roles: MANAGERS },
  async ({ db, actor, tenant, locale }, raw): Promise<ActionResult<{ mode: string }>> => {
    const t = translator(locale, "sender");
    const saved = await applySenderSettings(db, {
      tenantId: tenant.id,
      actorUserId: actor.id,
      raw,
      env: senderEnvironment(config()),
      keys: encryptionKeys(),
      now: new Date(),
    });
    if (!saved.ok) {
      const fieldErrors = localizeIssues(saved.error, locale);
      // Name the fields in the summary too: the user may not see every marked field at once.
      // A confirmation checkbox is not a field to fix, and keys without a label are not shown.
      const fields = Object.keys(fieldErrors)
        .filter((f) => !ACKNOWLEDGEMENTS.has(f) && t.has(`formFields.${f}` as "formFields.mode"))
        .map((f) => t(`formFields.${f}` as "formFields.mode"));
      const error = fields.length > 0 ? t("checkFieldsNamed", { fields: fields.join(", ") }) : t("checkAcknowledgement");
      return { ok: false, error, fieldErrors, values: echoValues(raw) };
    }
    const { settings, proofCleared } = saved;
    revalidate(path(tenant.slug));
    const hadProof = proofCleared && saved.previousMode === "customer_domain";
    return { ok: true, data: { mode: settings.mode }, message: hadProof ? t("savedProofCleared") : t("saved") };
  },
);

export const sendProofCodeAction = tenantAction(
  { schema: tenantOnly, roles: MANAGERS },
  async ({ db, actor, tenant, locale }): Promise<ActionResult<null>> => {
    const outcome = await requestAddressProof(db, {
      tenant: { id: tenant.id, name: tenant.name, locale: tenant.locale },
      actorUserId: actor.id,
      env: senderEnvironment(config()),
      secret: proofSecret(),
      now: new Date(),
    });
    revalidate(path(tenant.slug));
    return outcome.ok ? { ok: true, data: null, message: outcome.message[locale] } : { ok: false, error: outcome.message[locale] };
  },
);

export const verifyProofCodeAction = tenantAction(
  { schema: tenantOnly.extend({ code: addressProofCodeSchema }), roles: MANAGERS },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<null>> => {
    const outcome = await verifyAddressProof(db, {
      tenantId: tenant.id,
      actorUserId: actor.id,
      code: input.code,
      secret: proofSecret(),
      now: new Date(),
    });
    revalidate(path(tenant.slug));
    return outcome.ok
      ? { ok: true, data: null, message: outcome.message[locale] }
      : { ok: false, error: outcome.message[locale], fieldErrors: { code: outcome.message[locale] } };
  },
);

async function smtpCheck(
  ctx: { db: Parameters<typeof runSmtpCheck>[0]; actorId: string; tenantId: string; slug: string; locale: "de" | "en" },
  kind: "connection" | "mail",
  to?: string,
): Promise<ActionResult<CheckResult>> {
  const outcome = await runSmtpCheck(ctx.db, {
    tenantId: ctx.tenantId,
    actorUserId: ctx.actorId,
    kind,
    ...(to ? { to } : {}),
    env: senderEnvironment(config()),
    keys: encryptionKeys(),
    locale: ctx.locale,
    now: new Date(),
  });
  revalidate(path(ctx.slug));
  return {
    ok: true,
    data: { success: outcome.ok, message: outcome.message[ctx.locale], detail: outcome.detail, ms: outcome.ms },
  };
}

export const testConnectionAction = tenantAction(
  { schema: tenantOnly, roles: MANAGERS },
  async ({ db, actor, tenant, locale }): Promise<ActionResult<CheckResult>> =>
    smtpCheck({ db, actorId: actor.id, tenantId: tenant.id, slug: tenant.slug, locale }, "connection"),
);

export const sendTestMailAction = tenantAction(
  { schema: tenantOnly.extend({ to: testMailRecipientSchema }), roles: MANAGERS },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<CheckResult>> =>
    smtpCheck({ db, actorId: actor.id, tenantId: tenant.id, slug: tenant.slug, locale }, "mail", input.to),
);
