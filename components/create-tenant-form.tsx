"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/action-result";
import { Field, FormStatus } from "./field";

type Action = (prev: ActionResult<{ slug: string }> | null, form: FormData) => Promise<ActionResult<{ slug: string }>>;

export function CreateTenantForm({ action }: { action: Action }) {
  const t = useTranslations("tenants");
  const tc = useTranslations("common");
  const [state, formAction, pending] = useActionState(action, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = state && !state.ok ? (state.values ?? {}) : {};
  return (
    <form action={formAction} className="grid gap-4 sm:grid-cols-2" noValidate>
      <Field id="tenant-name" label={t("name")} error={errors.name}>
        {(p) => <input {...p} name="name" className="input" required autoComplete="organization" defaultValue={values.name} />}
      </Field>
      <Field id="tenant-slug" label={t("slug")} hint={t("slugHint")} error={errors.slug}>
        {(p) => <input {...p} name="slug" className="input" required defaultValue={values.slug} />}
      </Field>
      <Field id="tenant-timezone" label={t("timezone")} hint={t("timezoneHint")} error={errors.timezone}>
        {(p) => <input {...p} name="timezone" className="input" defaultValue={values.timezone ?? "Europe/Berlin"} required />}
      </Field>
      <Field id="tenant-locale" label={t("locale")} error={errors.locale}>
        {(p) => (
          <select {...p} name="locale" className="input" defaultValue={values.locale ?? "de"}>
            <option value="de">{tc("german")}</option>
            <option value="en">{tc("english")}</option>
          </select>
        )}
      </Field>
      <div className="sm:col-span-2 space-y-3">
        <FormStatus state={state} />
        <button type="submit" className="btn-primary" disabled={pending} aria-busy={pending}>
          {pending ? tc("creating") : tc("create")}
        </button>
      </div>
    </form>
  );
}
