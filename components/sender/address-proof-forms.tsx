"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/action-result";
import { Field, FormStatus } from "../field";

type Action = (prev: ActionResult<null> | null, form: FormData) => Promise<ActionResult<null>>;

/** Ask for a code to the From address, then type it back. */
export function AddressProofForms({
  tenantSlug,
  sendCode,
  verifyCode,
  pending: codePending,
}: {
  tenantSlug: string;
  sendCode: Action;
  verifyCode: Action;
  /** A code was sent and can still be entered. */
  pending: boolean;
}) {
  const t = useTranslations("sender");
  const [sent, sendAction, sending] = useActionState(sendCode, null);
  const [checked, verifyAction, verifying] = useActionState(verifyCode, null);
  const codeError = checked && !checked.ok ? checked.fieldErrors?.code : undefined;
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <form action={sendAction} className="space-y-3">
        <input type="hidden" name="tenantSlug" value={tenantSlug} />
        <p className="text-sm text-slate-700">{t("proofSendHint")}</p>
        <button type="submit" className="btn-secondary" disabled={sending} aria-busy={sending}>
          {sending ? t("proofSending") : codePending ? t("proofResend") : t("proofSend")}
        </button>
        <FormStatus state={sent} />
      </form>
      <form action={verifyAction} className="space-y-3" noValidate>
        <input type="hidden" name="tenantSlug" value={tenantSlug} />
        <Field id="sender-proof-code" label={t("proofCode")} hint={t("proofCodeHint")} error={codeError}>
          {(p) => (
            <input {...p} name="code" className="input max-w-40" inputMode="numeric" autoComplete="one-time-code" maxLength={9} />
          )}
        </Field>
        <button type="submit" className="btn-primary" disabled={verifying} aria-busy={verifying}>
          {verifying ? t("proofVerifying") : t("proofVerify")}
        </button>
        {checked && checked.ok ? <FormStatus state={checked} /> : null}
      </form>
    </div>
  );
}
