"use client";

import { useTranslations } from "next-intl";
import { useActionState, useRef, useState } from "react";
import type { ActionResult } from "@/lib/action-result";
import { Field, FormStatus } from "../field";
import { useFocusResult } from "../use-focus-result";

interface Created {
  id: string;
  name: string;
  prefix: string;
  key: string;
}
type Action = (prev: ActionResult<Created> | null, form: FormData) => Promise<ActionResult<Created>>;

/**
 * The create form, and after a successful creation the key, once: it lives only in this
 * component's state (the action's answer). A reload or "I have stored the key" drops it;
 * the page never gets it again.
 */
export function CreateApiKeyForm({
  action,
  tenantSlug,
  timezone,
  firstDay,
}: {
  action: Action;
  tenantSlug: string;
  timezone: string;
  /** The earliest date the expiry field offers: today in the tenant's zone. */
  firstDay: string;
}) {
  const t = useTranslations("apiKeys");
  const [state, formAction, pending] = useActionState(action, null);
  const [dismissed, setDismissed] = useState<ActionResult<Created> | null>(null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = state && !state.ok ? (state.values ?? {}) : {};
  const created = state && state.ok && state !== dismissed ? state : null;
  return (
    <div className="space-y-4">
      <form action={formAction} className="grid gap-4 sm:grid-cols-2" noValidate>
        <input type="hidden" name="tenantSlug" value={tenantSlug} />
        <Field id="api-key-name" label={t("name")} hint={t("nameHint")} error={errors.name}>
          {(p) => <input {...p} name="name" className="input" required maxLength={100} autoComplete="off" defaultValue={values.name} />}
        </Field>
        <Field id="api-key-expires" label={t("expiresAt")} hint={t("expiresHint", { timezone })} error={errors.expiresAt}>
          {(p) => <input {...p} name="expiresAt" type="date" className="input" min={firstDay} defaultValue={values.expiresAt} />}
        </Field>
        <div className="space-y-3 sm:col-span-2">
          {/* Success is the key box below; the status line carries errors only. */}
          <FormStatus state={state && !state.ok ? state : null} />
          <button type="submit" className="btn-primary" disabled={pending} aria-busy={pending}>
            {pending ? t("creating") : t("create")}
          </button>
        </div>
      </form>
      {created ? <NewKey created={created} onDismiss={() => setDismissed(created)} /> : null}
    </div>
  );
}

function NewKey({ created, onDismiss }: { created: { data: Created; message?: string }; onDismiss: () => void }) {
  const t = useTranslations("apiKeys");
  const box = useFocusResult<HTMLDivElement>(created);
  const field = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const { key } = created.data;

  async function copyKey() {
    try {
      // Missing outside a secure context (plain http on another host): the catch handles it.
      await navigator.clipboard.writeText(key);
      setCopy("copied");
    } catch {
      field.current?.focus();
      field.current?.select();
      setCopy("failed");
    }
  }

  return (
    <div
      ref={box}
      tabIndex={-1}
      className="space-y-3 rounded-md border-2 border-amber-600 bg-amber-50 p-4 focus:outline-none focus-visible:ring-2 focus-visible:ring-amber-700"
      data-testid="new-api-key"
      aria-labelledby="new-api-key-title"
    >
      <p className="text-sm text-emerald-900">{created.message}</p>
      <h3 id="new-api-key-title" className="text-base font-semibold text-slate-900">
        {t("newKeyTitle")}
      </h3>
      <p id="new-api-key-warning" className="text-sm font-medium text-amber-950">
        {t("newKeyWarning")}
      </p>
      <div>
        <label htmlFor="new-api-key-value" className="block text-sm font-medium text-slate-900">
          {t("keyLabel")}
        </label>
        <div className="mt-1 flex flex-wrap gap-2">
          <input
            ref={field}
            id="new-api-key-value"
            readOnly
            value={key}
            onFocus={(e) => e.currentTarget.select()}
            aria-describedby="new-api-key-warning"
            className="input min-w-0 flex-1 font-mono"
            spellCheck={false}
            autoComplete="off"
          />
          <button type="button" className="btn-primary" onClick={copyKey}>
            {t("copy")}
          </button>
        </div>
      </div>
      <p role="status" aria-live="polite" className="text-sm" data-testid="copy-status">
        {copy === "copied" ? <span className="font-medium text-emerald-900">{t("copied")}</span> : null}
        {copy === "failed" ? <span className="font-medium text-red-800">{t("copyFailed")}</span> : null}
      </p>
      <button type="button" className="btn-secondary" onClick={onDismiss}>
        {t("dismiss")}
      </button>
    </div>
  );
}
