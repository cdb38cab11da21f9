"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import type { Locale } from "@/lib/i18n/locale";
import type { PlanPreview, PreviewMail, SampleLearner } from "@/lib/reminders/preview";
import { Field } from "../field";
import { QueryProvider } from "../query-provider";
import { SpamRiskMeter } from "./spam-risk";

export interface PreviewResponse {
  ok: boolean;
  fieldErrors: Record<string, string>;
  preview?: PlanPreview;
}

/** Why the last preview request failed, worded by PreviewView. */
export type PreviewFailure = "signedOut" | "offline" | "failed";

class PreviewError extends Error {
  constructor(readonly kind: PreviewFailure) {
    super(kind);
  }
}

interface LiveState {
  preview: PlanPreview;
  fieldErrors: Record<string, string>;
  /** The last answer had field errors: `preview` is the last valid one. */
  stale: boolean;
  /** Answers received so far: from the first one on, fieldErrors are current. */
  responses: number;
}

const DEBOUNCE_MS = 300;

/** `value`, once it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The preview of `input` from the server (TanStack Query: debounced, an older answer
 * never replaces a newer one, a repeated state comes from the cache). The engine runs
 * on the server: luxon, mustache and zod would not fit the page's JavaScript budget.
 * Needs a QueryProvider above it.
 */
export function usePlanPreview(tenantSlug: string, input: unknown, sample: SampleLearner, initial: PlanPreview) {
  const body = JSON.stringify({ ...(input as object), sample });
  const [initialBody] = useState(body);
  const debounced = useDebounced(body, DEBOUNCE_MS);
  // Answers with field errors keep showing the last valid preview; written by the
  // query function only, never during render.
  const lastValid = useRef(initial);
  const answers = useRef(0);

  const query = useQuery({
    queryKey: ["plan-preview", tenantSlug, debounced],
    queryFn: async ({ signal }): Promise<LiveState> => {
      let response: Response;
      try {
        response = await fetch(`/t/${tenantSlug}/reminders/preview`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: debounced,
          signal,
        });
      } catch (error) {
        if ((error as Error).name === "AbortError") throw error;
        throw new PreviewError("offline");
      }
      if (response.status === 401 || response.status === 403) throw new PreviewError("signedOut");
      if (!response.ok) throw new PreviewError("failed");
      const data = (await response.json()) as PreviewResponse;
      answers.current += 1;
      if (data.ok && data.preview) lastValid.current = data.preview;
      return { preview: lastValid.current, fieldErrors: data.fieldErrors, stale: !(data.ok && data.preview), responses: answers.current };
    },
    // The page rendered the first state already.
    initialData: debounced === initialBody ? { preview: initial, fieldErrors: {}, stale: false, responses: 0 } : undefined,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
    // A signed-out user or a refused request gets the same answer again.
    retry: (count, error) => error instanceof PreviewError && error.kind === "offline" && count < 2,
  });

  // A failed request has no data: keep showing the last answer (React's "adjust state
  // while rendering" pattern, no effect needed).
  const [shown, setShown] = useState<LiveState>({ preview: initial, fieldErrors: {}, stale: false, responses: 0 });
  if (query.data && query.data !== shown) setShown(query.data);
  const state = query.data ?? shown;
  const failed: PreviewFailure | null = query.isError
    ? query.error instanceof PreviewError
      ? query.error.kind
      : "failed"
    : null;
  return { ...state, pending: query.isFetching || debounced !== body, failed };
}

export function SampleLearnerControls({
  sample,
  onChange,
}: {
  sample: SampleLearner;
  onChange: (next: SampleLearner) => void;
}) {
  const t = useTranslations("reminders.preview");
  return (
    <fieldset className="grid gap-3 sm:grid-cols-3">
      <legend className="mb-2 text-sm font-semibold text-slate-900">{t("sampleLearner")}</legend>
      <Field id="sample-assigned" label={t("assignedOn")} hint={t("assignedOnHint")}>
        {(p) => (
          <input
            {...p}
            type="date"
            className="input"
            value={sample.assignedDate ?? ""}
            onChange={(e) => onChange({ ...sample, assignedDate: e.target.value || null })}
          />
        )}
      </Field>
      <Field id="sample-due" label={t("dueInDays")} hint={t("dueInDaysHint")}>
        {(p) => (
          <input
            {...p}
            type="number"
            min={0}
            max={365}
            className="input"
            value={sample.dueInDays ?? ""}
            onChange={(e) => {
              const n = Number.parseInt(e.target.value, 10);
              onChange({ ...sample, dueInDays: Number.isNaN(n) ? null : Math.min(365, Math.max(0, n)) });
            }}
          />
        )}
      </Field>
      <Field id="sample-locale" label={t("learnerLanguage")}>
        {(p) => (
          <select
            {...p}
            className="input"
            value={sample.locale ?? ""}
            onChange={(e) => onChange({ ...sample, locale: (e.target.value || null) as Locale | null })}
          >
            <option value="">{t("tenantLanguage")}</option>
            <option value="de">Deutsch</option>
            <option value="en">English</option>
          </select>
        )}
      </Field>
    </fieldset>
  );
}

/** The sends of one sample learner, the count, the notes, the meter and the mails. */
export function PreviewView({
  preview,
  stale,
  pending,
  failed,
}: {
  preview: PlanPreview;
  stale: boolean;
  pending: boolean;
  failed: PreviewFailure | null;
}) {
  const t = useTranslations("reminders.preview");
  const failure = { signedOut: t("failedSignedOut"), offline: t("failedOffline"), failed: t("failed") };
  return (
    <div className="space-y-5" data-testid="plan-preview" aria-busy={pending}>
      <div aria-live="polite" role="status" className="space-y-1">
        <p className="font-medium text-slate-900" data-testid="preview-summary">
          {preview.summary}
        </p>
        {stale ? <p className="text-sm text-amber-900">{t("stale")}</p> : null}
        {failed ? <p className="text-sm text-red-800">{failure[failed]}</p> : null}
        {pending ? <p className="text-sm text-slate-600">{t("updating")}</p> : null}
      </div>
      <p className="text-sm text-slate-700">
        {preview.learner.dueLabel
          ? t("learnerLine", { assigned: preview.learner.assignedLabel, due: preview.learner.dueLabel })
          : t("learnerLineNoDue", { assigned: preview.learner.assignedLabel })}
      </p>

      <SpamRiskMeter risk={preview.risk} />

      <section aria-labelledby="timeline-heading">
        <h3 id="timeline-heading" className="text-base font-semibold">
          {t("timeline")}
        </h3>
        {preview.events.length === 0 ? (
          <p className="mt-2 text-sm text-slate-700">{t("noSends")}</p>
        ) : (
          <ol className="mt-2 max-h-96 space-y-1 overflow-y-auto rounded-md border border-slate-200 p-2 text-sm" data-testid="timeline" tabIndex={0} aria-label={t("timeline")}>
            {preview.events.map((e) => (
              <li
                key={`${e.kind}-${e.at}`}
                data-kind={e.kind}
                className={
                  e.kind === "reminder"
                    ? "flex flex-wrap gap-x-3 rounded px-2 py-1"
                    : e.kind === "escalation"
                      ? "flex flex-wrap gap-x-3 rounded bg-amber-50 px-2 py-1 text-amber-950"
                      : "flex flex-wrap gap-x-3 rounded bg-slate-100 px-2 py-1"
                }
              >
                <span className="w-36 tabular-nums">{e.date}</span>
                <span className="w-24 tabular-nums">{e.time}</span>
                <span>
                  {e.kind === "reminder"
                    ? t("reminderItem", { number: e.number ?? 0, variant: e.variant ?? 1 })
                    : e.kind === "escalation"
                      ? t("escalationItem", { number: e.number ?? 0 })
                      : t("digestItem")}
                  {e.movedFrom ? ` ${t("movedFrom", { date: e.movedFrom })}` : ""}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>

      {preview.notes.length > 0 ? (
        <section aria-labelledby="notes-heading">
          <h3 id="notes-heading" className="text-base font-semibold">
            {t("notes")}
          </h3>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-800" data-testid="preview-notes">
            {preview.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </section>
      ) : null}

      <MailPreview mails={preview.mails} learnerLocale={preview.learner.locale} />
    </div>
  );
}

function MailPreview({ mails, learnerLocale }: { mails: PreviewMail[]; learnerLocale: Locale }) {
  const t = useTranslations("reminders.preview");
  const [chosen, setChosen] = useState<string | null>(null);
  const [showHtml, setShowHtml] = useState(false);
  if (mails.length === 0) return null;
  const key = (m: PreviewMail) => `${m.locale}-${m.variant}`;
  const current = mails.find((m) => key(m) === chosen) ?? mails.find((m) => m.locale === learnerLocale) ?? mails[0]!;
  return (
    <section aria-labelledby="mail-heading" className="space-y-3">
      <h3 id="mail-heading" className="text-base font-semibold">
        {t("mail")}
      </h3>
      <div>
        <label htmlFor="mail-choice" className="block text-sm font-medium">
          {t("mailChoice")}
        </label>
        <select id="mail-choice" className="input mt-1" value={key(current)} onChange={(e) => setChosen(e.target.value)}>
          {mails.map((m) => (
            <option key={key(m)} value={key(m)}>
              {t("mailOption", {
                language: m.locale === "de" ? "Deutsch" : "English",
                variant: m.variant,
                used: m.usedBy.length ? m.usedBy.join(", ") : "–",
              })}
            </option>
          ))}
        </select>
      </div>
      {"errors" in current ? (
        <ul className="list-disc pl-5 text-sm text-red-800">
          {current.errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : (
        <div className="space-y-3" data-testid="mail-preview">
          <p className="text-sm">
            <span className="font-medium">{t("subject")}: </span>
            <span data-testid="mail-subject">{current.subject}</span>
          </p>
          <details>
            <summary className="cursor-pointer text-sm font-medium">{t("textPart")}</summary>
            <pre className="mt-2 whitespace-pre-wrap rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">{current.text}</pre>
          </details>
          <button
            type="button"
            className="btn-secondary"
            aria-expanded={showHtml}
            onClick={() => setShowHtml((v) => !v)}
          >
            {showHtml ? t("hideHtml") : t("showHtml")}
          </button>
          {/* The HTML part in an iframe without any permission (no scripts, forms or
              navigation), mounted on request only: a frame nobody looks at costs a document. */}
          {showHtml ? (
            <iframe
              id="mail-html"
              title={t("htmlPart")}
              sandbox=""
              srcDoc={current.html}
              className="h-96 w-full rounded-md border border-slate-200 bg-white"
            />
          ) : null}
        </div>
      )}
    </section>
  );
}

interface PanelProps {
  tenantSlug: string;
  input: unknown;
  initial: PlanPreview;
  initialSample: SampleLearner;
}

/** The preview for a fixed plan (read-only view): sample learner controls plus the view. */
export function PlanPreviewPanel(props: PanelProps) {
  return (
    <QueryProvider>
      <LivePreviewPanel {...props} />
    </QueryProvider>
  );
}

function LivePreviewPanel({ tenantSlug, input, initial, initialSample }: PanelProps) {
  const [sample, setSample] = useState(initialSample);
  const live = usePlanPreview(tenantSlug, input, sample, initial);
  return (
    <div className="space-y-5">
      <SampleLearnerControls sample={sample} onChange={setSample} />
      <PreviewView preview={live.preview} stale={live.stale} pending={live.pending} failed={live.failed} />
    </div>
  );
}
