"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/action-result";
import { Field, FormStatus } from "../field";

type Action = (prev: ActionResult<{ id: string }> | null, form: FormData) => Promise<ActionResult<{ id: string }>>;

/** Block an address by hand (deliveries.manage): the list above shows it after the save. */
export function SuppressionForm({ action, tenantSlug }: { action: Action; tenantSlug: string }) {
  const t = useTranslations("deliveries.suppressions");
  const [state, formAction, pending] = useActionState(action, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = state && !state.ok ? (state.values ?? {}) : {};
  return (
    <form action={formAction} className="max-w-md space-y-3" noValidate data-testid="suppression-form">
      <input type="hidden" name="tenantSlug" value={tenantSlug} />
      <Field id="suppression-address" label={t("addLabel")} hint={t("addHint")} error={errors.address}>
        {(p) => <input {...p} name="address" type="email" className="input" required maxLength={254} autoComplete="off" defaultValue={values.address} />}
      </Field>
      <Field id="suppression-note" label={t("noteLabel")} hint={t("noteHint")} error={errors.note}>
        {(p) => <input {...p} name="note" className="input" maxLength={500} autoComplete="off" defaultValue={values.note} />}
      </Field>
      <FormStatus state={state} />
      <button type="submit" className="btn-secondary" disabled={pending} aria-busy={pending}>
        {pending ? t("adding") : t("add")}
      </button>
    </form>
  );
}
