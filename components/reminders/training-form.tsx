"use client";

import { useTranslations } from "next-intl";
import { useActionState, useRef } from "react";
import type { ActionResult } from "@/lib/action-result";
import { Field, FormStatus } from "../field";
import { useFocusAfterSave } from "../use-focus-result";

type Action = (prev: ActionResult<{ id: string }> | null, form: FormData) => Promise<ActionResult<{ id: string }>>;

/** Creates a training, or edits one (`training` given). */
export function TrainingForm({
  action,
  tenantSlug,
  training,
}: {
  action: Action;
  tenantSlug: string;
  training?: { id: string; name: string; externalId: string | null; linkUrl: string | null };
}) {
  const t = useTranslations("reminders.training");
  const [state, formAction, pending] = useActionState(action, null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusAfterSave(state, formRef);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = state && !state.ok ? (state.values ?? {}) : {};
  const prefix = training ? `training-${training.id.slice(0, 8)}` : "training-new";
  // A created training empties the form (a new key remounts it); an edit keeps its values.
  const formKey = !training && state?.ok ? state.data.id : "form";
  return (
    <form key={formKey} ref={formRef} action={formAction} className="grid gap-4 sm:grid-cols-2" noValidate>
      <input type="hidden" name="tenantSlug" value={tenantSlug} />
      {training ? <input type="hidden" name="id" value={training.id} /> : null}
      <Field id={`${prefix}-name`} label={t("name")} error={errors.name}>
        {(p) => <input {...p} name="name" className="input" required defaultValue={values.name ?? training?.name} />}
      </Field>
      <Field id={`${prefix}-externalId`} label={t("externalId")} hint={t("externalIdHint")} error={errors.externalId}>
        {(p) => <input {...p} name="externalId" className="input" defaultValue={values.externalId ?? training?.externalId ?? ""} />}
      </Field>
      <div className="sm:col-span-2">
        <Field id={`${prefix}-linkUrl`} label={t("linkUrl")} hint={t("linkUrlHint")} error={errors.linkUrl}>
          {(p) => (
            <input {...p} name="linkUrl" type="url" className="input" defaultValue={values.linkUrl ?? training?.linkUrl ?? ""} placeholder="https://" />
          )}
        </Field>
      </div>
      <div className="space-y-3 sm:col-span-2">
        <FormStatus state={state} />
        <button type="submit" className="btn-primary" disabled={pending} aria-busy={pending}>
          {pending ? t("saving") : training ? t("save") : t("create")}
        </button>
      </div>
    </form>
  );
}
