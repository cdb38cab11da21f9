"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/action-result";
import type { DkimKeyView } from "@/lib/domain-check/service";
import { Field, FormStatus } from "../field";
import { CopyButton } from "./copy-button";
import { StatusBadge } from "./status-badge";

type GenerateAction = (prev: ActionResult<{ id: string; selector: string }> | null, form: FormData) => Promise<ActionResult<{ id: string; selector: string }>>;

/** DKIM keys of the domain: the records to publish, and a form for a new key. The private key never comes here. */
export function DkimPanel({ tenantSlug, domain, keys, action }: { tenantSlug: string; domain: string; keys: DkimKeyView[]; action: GenerateAction }) {
  const t = useTranslations("domain");
  const [state, formAction, pending] = useActionState(action, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = state && !state.ok ? (state.values ?? {}) : {};
  return (
    <section className="card space-y-4" aria-labelledby="dkim-heading" data-testid="dkim-panel">
      <div>
        <h2 id="dkim-heading" className="text-lg font-semibold">
          {t("dkimTitle")}
        </h2>
        <p className="mt-1 text-sm text-slate-700">{t("dkimIntro", { domain })}</p>
      </div>
      {keys.length > 0 ? (
        <ul className="space-y-4">
          {keys.map((k) => (
            <li key={k.id} className="space-y-2 rounded-md border border-slate-200 p-4" data-testid={`dkim-key-${k.selector}`}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <p className="font-medium">{t("dkimSelector", { selector: k.selector })}</p>
                <StatusBadge tone={k.verifiedAt ? "ok" : "pending"} label={k.verifiedAt ? t("dkimVerified") : t("dkimNotVerified")} />
              </div>
              <p className="text-sm text-slate-800">{t("dkimRecordName")}</p>
              <pre className="overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2 font-mono text-xs text-slate-900">{k.name}</pre>
              <CopyButton text={k.name} label={t("copyName")} />
              <p className="text-sm text-slate-800">{t("dkimRecordValue")}</p>
              <pre className="overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2 font-mono text-xs text-slate-900" data-testid="dkim-value">
                {k.value}
              </pre>
              <CopyButton text={k.value} label={t("copyValue")} />
              <details className="text-sm">
                <summary className="cursor-pointer text-slate-800">{t("dkimZoneFile")}</summary>
                <pre className="mt-2 overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2 font-mono text-xs text-slate-900">{k.zoneFile}</pre>
              </details>
            </li>
          ))}
        </ul>
      ) : null}
      <form action={formAction} className="space-y-3" noValidate>
        <input type="hidden" name="tenantSlug" value={tenantSlug} />
        <input type="hidden" name="domain" value={domain} />
        <Field id="dkim-selector" label={t("selectorLabel")} hint={t("dkimSelectorHint")} error={errors.selector ?? errors.domain}>
          {(p) => <input {...p} name="selector" className="input max-w-xs" autoComplete="off" spellCheck={false} defaultValue={values.selector ?? ""} />}
        </Field>
        <FormStatus state={state} />
        <button type="submit" className="btn-secondary" disabled={pending} aria-busy={pending}>
          {pending ? t("dkimGenerating") : t("dkimGenerate")}
        </button>
      </form>
    </section>
  );
}
