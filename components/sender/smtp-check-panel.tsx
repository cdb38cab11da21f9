"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/action-result";
import { Field } from "../field";
import { useFocusResult } from "../use-focus-result";

export type CheckResult = { success: boolean; message: string; detail: string; ms: number };
type Action = (prev: ActionResult<CheckResult> | null, form: FormData) => Promise<ActionResult<CheckResult>>;

/** A check's outcome in plain words, the raw server reply under "details". */
function CheckOutcome({ state, pending, pendingText, testId }: { state: ActionResult<CheckResult> | null; pending: boolean; pendingText: string; testId: string }) {
  const t = useTranslations("sender");
  const focusRef = useFocusResult<HTMLDivElement>(state);
  return (
    <div aria-live="polite" role="status" data-testid={testId}>
      {pending ? (
        <p className="flex items-center gap-2 text-sm text-slate-800">
          <span className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-brand-700 border-t-transparent" aria-hidden="true" />
          {pendingText}
        </p>
      ) : state && !state.ok ? (
        <div ref={focusRef} tabIndex={-1} className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.error}
        </div>
      ) : state && state.ok ? (
        <div
          ref={focusRef}
          tabIndex={-1}
          className={`rounded-md border px-3 py-2 text-sm ${state.data.success ? "border-emerald-300 bg-emerald-50 text-emerald-900" : "border-red-300 bg-red-50 text-red-800"}`}
        >
          <p>
            <strong>{state.data.success ? t("checkOk") : t("checkFailed")}</strong> {state.data.message}
          </p>
          {state.data.detail ? (
            <details className="mt-2">
              <summary className="cursor-pointer text-slate-800">{t("details")}</summary>
              <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-words rounded bg-white p-2 text-xs text-slate-900">{state.data.detail}</pre>
            </details>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** "Test connection" and "Send test mail" for the saved custom SMTP settings. */
export function SmtpCheckPanel({
  tenantSlug,
  testConnection,
  sendTestMail,
  defaultRecipient,
}: {
  tenantSlug: string;
  testConnection: Action;
  sendTestMail: Action;
  defaultRecipient: string;
}) {
  const t = useTranslations("sender");
  const [conn, connAction, connPending] = useActionState(testConnection, null);
  const [mail, mailAction, mailPending] = useActionState(sendTestMail, null);
  const mailErrors = mail && !mail.ok ? (mail.fieldErrors ?? {}) : {};
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <form action={connAction} className="space-y-3">
        <input type="hidden" name="tenantSlug" value={tenantSlug} />
        <p className="text-sm text-slate-700">{t("testConnectionHint")}</p>
        <button type="submit" className="btn-secondary" disabled={connPending} aria-busy={connPending}>
          {t("testConnection")}
        </button>
        <CheckOutcome state={conn} pending={connPending} pendingText={t("testingConnection")} testId="connection-result" />
      </form>
      <form action={mailAction} className="space-y-3" noValidate>
        <input type="hidden" name="tenantSlug" value={tenantSlug} />
        <Field id="sender-test-to" label={t("testMailTo")} hint={t("testMailToHint")} error={mailErrors.to}>
          {(p) => <input {...p} name="to" type="email" className="input" autoComplete="email" defaultValue={defaultRecipient} />}
        </Field>
        <button type="submit" className="btn-secondary" disabled={mailPending} aria-busy={mailPending}>
          {t("sendTestMail")}
        </button>
        <CheckOutcome state={mail} pending={mailPending} pendingText={t("sendingTestMail")} testId="test-mail-result" />
      </form>
    </div>
  );
}
