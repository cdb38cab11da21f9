"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/action-result";
import type { Locale } from "@/lib/i18n/locale";
import { rootCause, type RootCause } from "@/lib/domain-check/root-cause";
import type { CheckView, StepView } from "@/lib/domain-check/service";
import { Field, FormStatus } from "../field";
import { CopyButton } from "./copy-button";
import { formatWhen } from "./format";
import { StatusBadge, type BadgeTone } from "./status-badge";

type InstructionsAction = (prev: ActionResult<null> | null, form: FormData) => Promise<ActionResult<null>>;

const LOOKUP_LIMIT = 10;

/** One check: the verdict on top, then each step with its findings; the technical detail one click away. */
export function CheckResult({
  view,
  locale,
  timeZone,
  tenantSlug,
  instructionsAction,
  relayConfigured,
}: {
  view: CheckView;
  locale: Locale;
  timeZone: string;
  tenantSlug: string;
  instructionsAction: InstructionsAction;
  relayConfigured: boolean;
}) {
  const t = useTranslations("domain");
  const doneCount = view.steps.filter((s) => s.done).length;
  const current = view.steps.find((s) => !s.done);
  // A domain that does not resolve: one root cause, the follow-on steps collapsed under it.
  const cause = view.status === "done" ? rootCause(view) : null;
  const stepItem = (step: StepView) => (
    <Step key={step.step} step={step} view={view} locale={locale} isCurrent={view.status === "running" && current?.step === step.step} />
  );
  return (
    <section className="card space-y-5" aria-labelledby="check-result-heading" data-testid="check-result" data-status={view.status}>
      <div className="space-y-1">
        <h2 id="check-result-heading" className="text-lg font-semibold">
          {t("resultTitle", { domain: view.domain })}
        </h2>
        <p className="text-sm text-slate-700">
          {view.finishedAt
            ? t("checkedAt", { when: formatWhen(view.finishedAt, locale, timeZone) })
            : t("startedAt", { when: formatWhen(view.startedAt, locale, timeZone) })}
        </p>
      </div>
      <Verdict view={view} cause={cause} locale={locale} />
      <p className="sr-only" role="status" aria-live="polite">
        {view.status === "running" ? t("progress", { done: doneCount, total: view.steps.length }) : ""}
      </p>
      {cause ? (
        <>
          <ol className="space-y-3" aria-label={t("stepsLabel")}>
            {view.steps.filter((s) => !cause.followOn.includes(s.step)).map(stepItem)}
          </ol>
          <details className="rounded-md border border-slate-200 p-3" data-testid="follow-on-steps">
            <summary className="cursor-pointer text-sm font-medium text-slate-800">{t("rootCauseFollowOn", { n: cause.followOn.length })}</summary>
            <ol className="mt-3 space-y-3" aria-label={t("stepsLabel")}>
              {view.steps.filter((s) => cause.followOn.includes(s.step)).map(stepItem)}
            </ol>
          </details>
        </>
      ) : (
        <ol className="space-y-3" aria-label={t("stepsLabel")}>
          {view.steps.map(stepItem)}
        </ol>
      )}
      {view.status === "done" && view.suggestion && !cause ? (
        <Suggestion view={view} tenantSlug={tenantSlug} instructionsAction={instructionsAction} relayConfigured={relayConfigured} />
      ) : null}
    </section>
  );
}

function Verdict({ view, cause, locale }: { view: CheckView; cause: RootCause | null; locale: Locale }) {
  const t = useTranslations("domain");
  let tone = "border-slate-300 bg-slate-50 text-slate-900";
  let title: string;
  let text: string;
  if (view.status === "running") {
    title = t("verdictRunning", { domain: view.domain });
    text = t("verdictRunningText");
  } else if (view.status === "failed") {
    title = t("verdictInterrupted");
    text = t("verdictInterruptedText");
  } else if (cause) {
    tone = "border-red-300 bg-red-50 text-red-950";
    title = cause.title[locale];
    text = cause.action[locale];
  } else if (view.verdict === "green") {
    tone = "border-emerald-300 bg-emerald-50 text-emerald-950";
    title = t("verdictGreen", { domain: view.domain });
    text = t("verdictGreenText");
  } else if (view.verdict === "temporary") {
    tone = "border-sky-300 bg-sky-50 text-sky-950";
    title = t("verdictTemporary");
    text = t("verdictTemporaryText");
  } else {
    tone = "border-red-300 bg-red-50 text-red-950";
    title = t("verdictNotReady", { n: Math.max(1, view.problems) });
    text = t("verdictNotReadyText", { domain: view.domain });
  }
  return (
    <div className={`rounded-md border px-4 py-3 ${tone}`} role="status" aria-live="polite" data-testid="verdict" data-verdict={view.verdict ?? view.status} data-root-cause={cause?.code}>
      <p className="text-base font-semibold">{title}</p>
      <p className="mt-1 text-sm">{text}</p>
    </div>
  );
}

function stepTone(step: StepView, view: CheckView, isCurrent: boolean): { tone: BadgeTone; key: string } {
  if (!step.done) {
    if (view.status === "running") return isCurrent ? { tone: "running", key: "stepRunning" } : { tone: "waiting", key: "stepWaiting" };
    return { tone: "waiting", key: "stepNotChecked" };
  }
  return { tone: step.status, key: `status.${step.status}` };
}

function Step({ step, view, locale, isCurrent }: { step: StepView; view: CheckView; locale: Locale; isCurrent: boolean }) {
  const t = useTranslations("domain");
  const { tone, key } = stepTone(step, view, isCurrent);
  const raw = [...step.findings.flatMap((f) => f.raw ?? []), ...(view.technical[step.step] ?? [])];
  const unique = raw.filter((line, i) => raw.indexOf(line) === i);
  return (
    <li className="rounded-md border border-slate-200 p-4" data-testid={`step-${step.step}`} data-status={step.done ? step.status : tone}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-medium">{step.title[locale]}</h3>
        <StatusBadge tone={tone} label={t(key)} />
      </div>
      {step.done ? (
        <ul className="mt-2 space-y-3">
          {step.findings.map((f, i) => (
            <li key={`${f.code}-${i}`} data-code={f.code}>
              <p className="flex flex-wrap items-start gap-2">
                {step.findings.length > 1 ? <StatusBadge tone={f.status} label={t(`status.${f.status}`)} /> : null}
                <span className="font-medium text-slate-900">{f.title[locale]}</span>
              </p>
              <p className="mt-1 text-sm text-slate-700">{f.detail[locale]}</p>
              {f.action ? (
                <p className="mt-1 text-sm text-slate-900">
                  <span className="font-semibold">{t("whatToDo")} </span>
                  {f.action[locale]}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {step.done && unique.length > 0 ? (
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer text-slate-800">{t("technicalDetails")}</summary>
          <pre className="mt-2 overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-3 font-mono text-xs text-slate-900">
            {unique.join("\n")}
          </pre>
        </details>
      ) : null}
    </li>
  );
}

function Suggestion({
  view,
  tenantSlug,
  instructionsAction,
  relayConfigured,
}: {
  view: CheckView;
  tenantSlug: string;
  instructionsAction: InstructionsAction;
  relayConfigured: boolean;
}) {
  const t = useTranslations("domain");
  const s = view.suggestion!;
  const [state, formAction, pending] = useActionState(instructionsAction, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <section className="space-y-3 rounded-md border border-brand-600 bg-brand-50 p-4" aria-labelledby="suggestion-heading" data-testid="spf-suggestion">
      <h3 id="suggestion-heading" className="font-semibold">
        {t("suggestionTitle")}
      </h3>
      <p className="text-sm text-slate-800">
        {s.kind === "create" ? t("suggestionCreate", { domain: view.domain }) : s.kind === "merge" ? t("suggestionMerge", { n: s.replaces.length }) : t("suggestionReplace")}
      </p>
      {s.replaces.length > 0 ? (
        <div className="text-sm">
          <p className="text-slate-800">{t("suggestionReplaces")}</p>
          <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all rounded bg-white p-2 font-mono text-xs text-slate-900">{s.replaces.join("\n")}</pre>
        </div>
      ) : null}
      <div>
        <p className="text-sm font-medium text-slate-900">{t("suggestionNew")}</p>
        <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all rounded border border-slate-300 bg-white p-3 font-mono text-sm text-slate-900" data-testid="spf-record">
          {s.record}
        </pre>
      </div>
      <p className={`text-sm ${s.overLookupLimit ? "font-medium text-red-800" : "text-slate-800"}`}>
        {s.overLookupLimit ? t("suggestionLookupsOver", { n: s.lookups, limit: LOOKUP_LIMIT }) : t("suggestionLookups", { n: s.lookups, limit: LOOKUP_LIMIT })}
      </p>
      <CopyButton text={s.record} label={t("copyRecord")} />
      <form action={formAction} className="space-y-3 border-t border-brand-100 pt-3" noValidate>
        <h4 className="text-sm font-semibold">{t("instructionsTitle")}</h4>
        <input type="hidden" name="tenantSlug" value={tenantSlug} />
        <input type="hidden" name="checkId" value={view.id} />
        <Field id="instructions-to" label={t("instructionsTo")} hint={relayConfigured ? t("instructionsHint") : t("instructionsNoRelay")} error={errors.to}>
          {(p) => <input {...p} name="to" type="email" className="input max-w-md" autoComplete="off" required />}
        </Field>
        <FormStatus state={state} />
        <button type="submit" className="btn-secondary" disabled={pending || !relayConfigured} aria-busy={pending}>
          {pending ? t("instructionsSending") : t("instructionsSend")}
        </button>
      </form>
    </section>
  );
}
