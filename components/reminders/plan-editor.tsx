"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { startTransition, useActionState, useEffect, useMemo, useRef, useState } from "react";
import type { ActionResult } from "@/lib/action-result";
import type { TemplateSet } from "@/lib/reminders/plan-schema";
import type { PlanPreview, SampleLearner } from "@/lib/reminders/preview";
import { Field, FormStatus } from "../field";
import { focusElement, useFocusAfterSave } from "../use-focus-result";
import { PreviewView, SampleLearnerControls, usePlanPreview } from "./plan-preview";
import { applyRemedy, valuesToInput, type PlanValues } from "./plan-values";
import { RemedyContext, SpamRiskInline, type MeterRisk, type RemedyControl, type RemedyKind } from "./spam-risk";
import { fieldId, TemplateEditor } from "./template-editor";

type Action = (prev: ActionResult<{ id: string }> | null, input: Record<string, unknown>) => Promise<ActionResult<{ id: string }>>;

const SCHEDULE_KEYS = [
  "anchor",
  "offsetDays",
  "startDate",
  "sendTime",
  "repeatEveryDays",
  "endDate",
  "maxSends",
  "weekdaysOnly",
  "escalateAfterSends",
  "digestWeekday",
  "digestTime",
];
const isLiveKey = (key: string) => SCHEDULE_KEYS.includes(key) || key.startsWith("templates");

/** The plan form with its live preview; the server validates with the same schema. */
export function PlanEditor({
  tenantSlug,
  planId,
  trainings,
  timezone,
  initialValues,
  initialPreview,
  initialSample,
  variables,
  starterTemplates,
  canSend,
  action,
}: {
  tenantSlug: string;
  planId: string | null;
  trainings: { id: string; name: string }[];
  timezone: string;
  initialValues: PlanValues;
  initialPreview: PlanPreview;
  initialSample: SampleLearner;
  variables: readonly string[];
  /** Texts a remedy "add a variant" draws from (the default templates). */
  starterTemplates: TemplateSet;
  /** Whether the tenant can send now: an active plan otherwise waits for the sender setup. */
  canSend: boolean;
  action: Action;
}) {
  const t = useTranslations("reminders.editor");
  const tw = useTranslations("reminders.weekdays");
  const router = useRouter();
  const [values, setValues] = useState(initialValues);
  const [sample, setSample] = useState(initialSample);
  const [confirm, setConfirm] = useState(false);
  const [state, dispatch, saving] = useActionState(action, null);
  const input = useMemo(() => valuesToInput(values), [values]);
  const live = usePlanPreview(tenantSlug, input, sample, initialPreview);
  const set = <K extends keyof PlanValues>(key: K, value: PlanValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const formRef = useRef<HTMLFormElement>(null);
  // A created plan moves to its own page; its "created" message is server markup, focused
  // here once the editor is there (no client code of its own in the page's first load).
  useFocusAfterSave(state?.ok && !planId ? null : state, formRef);
  useEffect(() => focusElement(document.querySelector<HTMLElement>("[data-focus-after-save]")), []);
  const remedies = useMemo<RemedyControl>(
    () => ({
      repeatEveryDays: typeof input.repeatEveryDays === "number" ? input.repeatEveryDays : null,
      escalateAfterSends: typeof input.escalateAfterSends === "number" ? input.escalateAfterSends : null,
      apply: (kind: RemedyKind) => setValues((v) => applyRemedy(v, kind, starterTemplates)),
    }),
    [input.repeatEveryDays, input.escalateAfterSends, starterTemplates],
  );

  useEffect(() => {
    if (state?.ok && !planId) router.replace(`/t/${tenantSlug}/reminders/plans/${state.data.id}?saved=1`);
  }, [state, planId, router, tenantSlug]);

  // Schedule and template fields are checked live with the server's schema; the last
  // save's messages stand for the others, and only while the value is unchanged.
  const saved = state && !state.ok ? state : null;
  const errors: Record<string, string | undefined> = {};
  for (const [key, message] of Object.entries(saved?.fieldErrors ?? {})) {
    if (isLiveKey(key) && live.responses > 0) continue;
    if (key === "name" && values.name !== saved?.values?.name) continue;
    if (key === "confirmHighRisk" && confirm) continue;
    errors[key] = message;
  }
  Object.assign(errors, live.fieldErrors);
  const risk: MeterRisk = live.preview.risk;
  const high = risk.level === "high";
  // The confirmation's message stands once, beside its checkbox: not again in the
  // summary of fields to fix, nor as the form's status.
  const status = state && !state.ok && state.error === state.fieldErrors?.confirmHighRisk ? null : state;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    startTransition(() => dispatch({ tenantSlug, id: planId ?? "", ...input, confirmHighRisk: high && confirm }));
  };

  const errorList = Object.entries(errors).filter((e): e is [string, string] => Boolean(e[1]) && e[0] !== "confirmHighRisk");
  const num = (key: "offsetDays" | "repeatEveryDays" | "maxSends" | "escalateAfterSends", label: string, hint?: string) => (
    <Field id={`plan-${key}`} label={label} hint={hint} error={errors[key]}>
      {(p) => (
        <input
          {...p}
          type="number"
          inputMode="numeric"
          className="input w-32"
          value={values[key]}
          onChange={(e) => set(key, e.target.value)}
        />
      )}
    </Field>
  );

  return (
    <RemedyContext.Provider value={remedies}>
      <div className="grid gap-6 xl:grid-cols-2">
        <form ref={formRef} onSubmit={submit} noValidate className="space-y-6" aria-label={t("formLabel")}>
          <section className="card space-y-4" aria-labelledby="plan-basics">
            <h2 id="plan-basics" className="text-lg font-semibold">
              {t("basics")}
            </h2>
            <Field id="plan-name" label={t("name")} error={errors.name}>
              {(p) => <input {...p} className="input" value={values.name} onChange={(e) => set("name", e.target.value)} />}
            </Field>
            <Field id="plan-trainingId" label={t("training")} error={errors.trainingId}>
              {(p) => (
                <select {...p} className="input" value={values.trainingId} onChange={(e) => set("trainingId", e.target.value)}>
                  {trainings.map((tr) => (
                    <option key={tr.id} value={tr.id}>
                      {tr.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={values.active} onChange={(e) => set("active", e.target.checked)} />
              {t(canSend ? "active" : "activeBlocked")}
            </label>
          </section>

          <section className="card space-y-4" aria-labelledby="plan-schedule">
            <h2 id="plan-schedule" className="text-lg font-semibold">
              {t("schedule")}
            </h2>
            <p className="text-sm text-slate-700">{t("timezone", { timezone })}</p>
            <fieldset>
              <legend className="text-sm font-medium">{t("anchor")}</legend>
              <div className="mt-1 space-y-1">
                {(["assigned", "due", "fixed"] as const).map((a) => (
                  <label key={a} className="flex items-center gap-2 text-sm">
                    <input type="radio" name="anchor" value={a} checked={values.anchor === a} onChange={() => set("anchor", a)} />
                    {t(`anchors.${a}`)}
                  </label>
                ))}
              </div>
              {errors.anchor ? <p className="mt-1 text-sm text-red-800">{errors.anchor}</p> : null}
            </fieldset>
            {values.anchor === "fixed" ? (
              <Field id="plan-startDate" label={t("startDate")} error={errors.startDate}>
                {(p) => <input {...p} type="date" className="input w-48" value={values.startDate} onChange={(e) => set("startDate", e.target.value)} />}
              </Field>
            ) : (
              num("offsetDays", values.anchor === "assigned" ? t("offsetAfter") : t("offsetBefore"))
            )}
            <Field id="plan-sendTime" label={t("sendTime")} hint={t("sendTimeHint")} error={errors.sendTime}>
              {(p) => <input {...p} type="time" className="input w-36" value={values.sendTime} onChange={(e) => set("sendTime", e.target.value)} />}
            </Field>

            <label className="flex items-center gap-2 text-sm font-medium">
              <input type="checkbox" checked={values.repeat} onChange={(e) => set("repeat", e.target.checked)} />
              {t("repeat")}
            </label>
            {values.repeat ? num("repeatEveryDays", t("repeatEveryDays")) : null}
            <Field
              id="plan-endDate"
              label={values.repeat || values.escalate ? t("endDateRequired") : t("endDate")}
              hint={values.repeat ? t("endDateHintRepeat") : t("endDateHint")}
              error={errors.endDate}
            >
              {(p) => (
                <input
                  {...p}
                  type="date"
                  className="input w-48"
                  required={values.repeat || values.escalate}
                  aria-required={values.repeat || values.escalate}
                  value={values.endDate}
                  onChange={(e) => set("endDate", e.target.value)}
                />
              )}
            </Field>
            {values.repeat ? num("maxSends", t("maxSends"), t("maxSendsHint")) : null}
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={values.weekdaysOnly} onChange={(e) => set("weekdaysOnly", e.target.checked)} />
              {t("weekdaysOnly")}
            </label>

            <label className="flex items-center gap-2 text-sm font-medium">
              <input type="checkbox" checked={values.escalate} onChange={(e) => set("escalate", e.target.checked)} />
              {t("escalate")}
            </label>
            {values.escalate ? (
              <div className="space-y-4 border-l-4 border-slate-200 pl-4">
                {num("escalateAfterSends", t("escalateAfterSends"), t("escalateHint"))}
                <Field id="plan-digestWeekday" label={t("digestWeekday")} error={errors.digestWeekday}>
                  {(p) => (
                    <select {...p} className="input w-48" value={values.digestWeekday} onChange={(e) => set("digestWeekday", e.target.value)}>
                      {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                        <option key={d} value={String(d)}>
                          {tw(String(d))}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id="plan-digestTime" label={t("digestTime")} error={errors.digestTime}>
                  {(p) => <input {...p} type="time" className="input w-36" value={values.digestTime} onChange={(e) => set("digestTime", e.target.value)} />}
                </Field>
              </div>
            ) : null}
          </section>

          <SpamRiskInline risk={risk} className="xl:hidden" />

          <section className="card space-y-4" aria-labelledby="plan-templates">
            <h2 id="plan-templates" className="text-lg font-semibold">
              {t("templates")}
            </h2>
            <TemplateEditor templates={values.templates} variables={variables} onChange={(next) => set("templates", next)} errors={errors} />
          </section>

          <section className="card space-y-4" aria-labelledby="plan-save">
            <h2 id="plan-save" className="text-lg font-semibold">
              {t("save")}
            </h2>
            {high ? (
              <div className="rounded-md border border-red-700 bg-red-50 p-3">
                <label className="flex items-start gap-2 text-sm text-red-900">
                  <input
                    id="plan-confirmHighRisk"
                    type="checkbox"
                    className="mt-1"
                    checked={confirm}
                    onChange={(e) => setConfirm(e.target.checked)}
                    aria-invalid={errors.confirmHighRisk ? true : undefined}
                    aria-describedby={errors.confirmHighRisk ? "plan-confirmHighRisk-error" : undefined}
                  />
                  <span>{t("confirmHighRisk")}</span>
                </label>
                {errors.confirmHighRisk ? (
                  <p id="plan-confirmHighRisk-error" className="mt-1 text-sm font-medium text-red-800">
                    {errors.confirmHighRisk}
                  </p>
                ) : null}
              </div>
            ) : null}
            {errorList.length > 0 ? (
              <div className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid="error-summary" data-error-summary>
                <p className="font-medium">{t("errorSummary")}</p>
                <ul className="mt-1 list-disc space-y-1 pl-5">
                  {errorList.map(([key, message]) => (
                    <li key={key}>
                      <a className="underline" href={`#${anchorOf(key)}`}>
                        {labelOf(key, t)}
                      </a>
                      : {message}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            <FormStatus state={status} />
            <button type="submit" className="btn-primary" disabled={saving} aria-busy={saving}>
              {saving ? t("saving") : t("saveButton")}
            </button>
          </section>
        </form>

        <aside className="card space-y-5 self-start xl:sticky xl:top-4" aria-labelledby="preview-heading">
          <h2 id="preview-heading" className="text-lg font-semibold">
            {t("preview")}
          </h2>
          <SampleLearnerControls sample={sample} onChange={setSample} />
          <PreviewView preview={live.preview} stale={live.stale} pending={live.pending} failed={live.failed} />
        </aside>
      </div>
    </RemedyContext.Provider>
  );
}

function anchorOf(key: string): string {
  const m = /^templates\.(de|en)\.(\d+)\.(subject|body)$/.exec(key);
  if (m) return fieldId(m[1] as "de" | "en", Number(m[2]), m[3] as "subject" | "body");
  if (key.startsWith("templates")) return "plan-templates";
  if (key === "anchor") return "plan-schedule";
  return `plan-${key}`;
}

function labelOf(key: string, t: ReturnType<typeof useTranslations>): string {
  const m = /^templates\.(de|en)\.(\d+)\.(subject|body)$/.exec(key);
  if (m) {
    return t(m[3] === "subject" ? "fields.subjectOf" : "fields.bodyOf", {
      n: Number(m[2]) + 1,
      language: t(`fields.language.${m[1]}`),
    });
  }
  if (key.startsWith("templates")) return t("fields.templates");
  return t.has(`fields.${key}`) ? t(`fields.${key}`) : key;
}
