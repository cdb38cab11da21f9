"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/action-result";
import { Field, FormStatus } from "./field";

type Action = (prev: ActionResult<{ id: string }> | null, form: FormData) => Promise<ActionResult<{ id: string }>>;

/** Creates a user; `roles` empty means the role is fixed by the page (consultants). */
export function CreateUserForm({
  action,
  roles,
  tenantSlug,
}: {
  action: Action;
  roles: ("admin" | "trainer")[];
  tenantSlug?: string;
}) {
  const t = useTranslations("users");
  const tc = useTranslations("common");
  const [state, formAction, pending] = useActionState(action, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = state && !state.ok ? (state.values ?? {}) : {};
  return (
    <form action={formAction} className="grid gap-4 sm:grid-cols-2" noValidate>
      {tenantSlug ? <input type="hidden" name="tenantSlug" value={tenantSlug} /> : null}
      <Field id="user-email" label={t("email")} error={errors.email}>
        {(p) => <input {...p} name="email" type="email" className="input" required autoComplete="off" defaultValue={values.email} />}
      </Field>
      <Field id="user-name" label={t("name")} error={errors.name}>
        {(p) => <input {...p} name="name" className="input" autoComplete="off" defaultValue={values.name} />}
      </Field>
      {roles.length > 0 ? (
        <Field id="user-role" label={t("role")} error={errors.role}>
          {(p) => (
            <select {...p} name="role" className="input" defaultValue={values.role ?? roles[roles.length - 1]}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {tc(`roles.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <Field id="user-password" label={t("password")} hint={t("passwordHint")} error={errors.password}>
        {(p) => <input {...p} name="password" type="password" className="input" required autoComplete="new-password" />}
      </Field>
      <div className="space-y-3 sm:col-span-2">
        <FormStatus state={state} />
        <button type="submit" className="btn-primary" disabled={pending} aria-busy={pending}>
          {pending ? tc("creating") : tc("create")}
        </button>
      </div>
    </form>
  );
}
