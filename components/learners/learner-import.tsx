"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import type { ImportDetail, ImportView, RefusedPage } from "@/lib/learners/import";
import { IMPORT_FIELDS, REQUIRED_FIELDS, type ColumnMapping, type ImportField } from "@/lib/learners/csv/fields";
import { focusElement } from "../use-focus-result";

/** What the island uses of an import (its dates arrive as strings from the poll: not used here). */
type Dates = "createdAt" | "startedAt" | "finishedAt";
type View = Omit<ImportView, Dates>;
type Detail = Omit<ImportDetail, Dates>;

interface Props {
  tenantSlug: string;
  /** The import to show on load (the latest unfinished one, or one opened from the list). */
  initial: Detail | null;
  initialRefused: RefusedPage | null;
}

const POLL_MS = 500;
type Errors = Record<string, string>;

/**
 * The CSV import, step by step: upload → detected encoding, separator, preview and the
 * guessed mapping → check (dry run) with every refused row → import with a progress
 * bar, polled from the route handler → report. A reload finds a running import again
 * (the page hands it over as `initial`).
 */
export function LearnerImport({ tenantSlug, initial, initialRefused }: Props) {
  const t = useTranslations("learnerImport");
  const locale = useLocale();
  const base = `/t/${tenantSlug}/learners/import`;
  const [detail, setDetail] = useState<Detail | null>(initial);
  const [view, setView] = useState<View | null>(initial);
  const [mapping, setMapping] = useState<ColumnMapping | null>(initial?.mapping ?? null);
  const [refused, setRefused] = useState<RefusedPage | null>(initialRefused);
  const [busy, setBusy] = useState<"upload" | "check" | "run" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Errors>({});
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);

  const status = view?.status;
  const running = status === "running";

  // After each step, the focus goes to its result (or to the first field in error).
  useEffect(() => {
    if (!focusKey) return;
    const frame = requestAnimationFrame(() => {
      const container = root.current;
      const target =
        container?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
        container?.querySelector<HTMLElement>(`[data-focus="${focusKey}"]`) ??
        null;
      focusElement(target);
    });
    return () => cancelAnimationFrame(frame);
  }, [focusKey]);

  // While the check (a request of its own) runs: show how far it has come.
  const [checkProgress, setCheckProgress] = useState<number | null>(null);
  const checkingId = busy === "check" ? detail?.id : undefined;
  useEffect(() => {
    if (!checkingId) return;
    let stopped = false;
    const timer = setInterval(async () => {
      const result = await fetchJson<{ import: View }>(`${base}/${checkingId}`).catch(() => null);
      if (!stopped && result?.ok) setCheckProgress(result.body.import.processedRows);
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      setCheckProgress(null);
    };
  }, [checkingId, base]);

  // While running: poll the progress. The poll also resumes an import whose process died.
  const viewId = view?.id;
  useEffect(() => {
    if (!running || !viewId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let unclaimed = 0;
    const poll = async () => {
      try {
        const done = await fetchJson<{ import: View }>(`${base}/${viewId}`);
        if (stopped) return;
        // The run starts in the server after its answer: "checked" a moment longer is
        // not yet taken up. After ~20 s the check comes back, to start it again.
        if (done.ok && !(done.body.import.status === "checked" && unclaimed++ < 40)) {
          setView(done.body.import);
          if (done.body.import.status !== "running") {
            const page = await fetchJson<{ refused: RefusedPage }>(`${base}/${viewId}?refused=0`);
            if (!stopped && page.ok) setRefused(page.body.refused);
            setFocusKey(`report-${Date.now()}`);
            return;
          }
        }
      } catch {
        // A failed poll is retried at the next tick.
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [running, viewId, base]);

  const fail = (body: { error?: string; fieldErrors?: Errors } | null) => {
    setError(body?.error ?? t("errors.unexpected"));
    setFieldErrors(body?.fieldErrors ?? {});
    setFocusKey(`error-${Date.now()}`);
  };

  async function upload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy("upload");
    setError(null);
    setFieldErrors({});
    try {
      const response = await fetch(`${base}/upload`, { method: "POST", body: new FormData(event.currentTarget) });
      const body = (await response.json().catch(() => null)) as (Detail & { error?: string; fieldErrors?: Errors }) | null;
      if (!response.ok || !body) return fail(body);
      setDetail(body);
      setView(body);
      setMapping(body.mapping);
      setRefused(null);
      setFocusKey(`file-${Date.now()}`);
    } catch {
      fail(null);
    } finally {
      setBusy(null);
    }
  }

  async function check(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!detail || !mapping) return;
    setBusy("check");
    setError(null);
    setFieldErrors({});
    try {
      const result = await fetchJson<{ import: View; refused: RefusedPage }>(`${base}/${detail.id}`, { step: "check", mapping });
      if (!result.ok) return fail(result.body);
      setView(result.body.import);
      setRefused(result.body.refused);
      setFocusKey(`check-${Date.now()}`);
    } catch {
      fail(null);
    } finally {
      setBusy(null);
    }
  }

  async function run() {
    if (!detail) return;
    setBusy("run");
    setError(null);
    try {
      const result = await fetchJson<{ import: View }>(`${base}/${detail.id}`, { step: "run" });
      if (!result.ok) return fail(result.body);
      // The server continues after its answer; show the bar at once and poll it.
      setView({ ...result.body.import, status: "running" });
      setFocusKey(`progress-${Date.now()}`);
    } catch {
      fail(null);
    } finally {
      setBusy(null);
    }
  }

  async function page(offset: number) {
    if (!view) return;
    const result = await fetchJson<{ refused: RefusedPage }>(`${base}/${view.id}?refused=${offset}`);
    if (result.ok) {
      setRefused(result.body.refused);
      setFocusKey(`refused-${Date.now()}`);
    }
  }

  function reset() {
    setDetail(null);
    setView(null);
    setMapping(null);
    setRefused(null);
    setError(null);
    setFieldErrors({});
    setFocusKey(`upload-${Date.now()}`);
  }

  const editable = status === "uploaded" || status === "checked";

  return (
    <div ref={root} className="space-y-6">
      <div aria-live="polite" role="status" data-testid="import-status">
        {error ? (
          <p data-focus={focusKey?.startsWith("error") ? focusKey : undefined} className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
            {error}
          </p>
        ) : null}
      </div>

      {!detail ? (
        <section className="card space-y-3" aria-labelledby="import-upload-heading">
          <h2 id="import-upload-heading" className="text-lg font-semibold" data-focus={focusKey?.startsWith("upload") ? focusKey : undefined}>
            {t("upload.heading")}
          </h2>
          <form onSubmit={upload} className="space-y-3" encType="multipart/form-data">
            <div>
              <label htmlFor="import-file" className="block text-sm font-medium text-slate-900">
                {t("upload.label")}
              </label>
              <p id="import-file-hint" className="mt-0.5 text-xs text-slate-600">
                {t("upload.hint")}
              </p>
              <input
                id="import-file"
                name="file"
                type="file"
                required
                accept=".csv,.txt,text/csv,text/plain"
                aria-describedby={fieldErrors.file ? "import-file-hint import-file-error" : "import-file-hint"}
                aria-invalid={fieldErrors.file ? true : undefined}
                className="mt-1 block text-sm"
              />
              {fieldErrors.file ? (
                <p id="import-file-error" className="mt-1 text-sm text-red-800">
                  {fieldErrors.file}
                </p>
              ) : null}
            </div>
            <button type="submit" className="btn-primary" disabled={busy !== null} aria-busy={busy === "upload"}>
              {busy === "upload" ? t("upload.pending") : t("upload.submit")}
            </button>
          </form>
        </section>
      ) : (
        <FileSection detail={detail} focusKey={focusKey} />
      )}

      {detail && mapping && editable ? (
        <section className="card space-y-3" aria-labelledby="import-mapping-heading">
          <h2 id="import-mapping-heading" className="text-lg font-semibold">
            {t("mapping.heading")}
          </h2>
          <p className="text-sm text-slate-700">{t("mapping.help")}</p>
          <form onSubmit={check} className="space-y-4">
            <div className="grid gap-3 sm:grid-cols-2">
              {IMPORT_FIELDS.map((field) => (
                <MappingSelect
                  key={field}
                  field={field}
                  headers={detail.headers}
                  value={mapping[field]}
                  error={fieldErrors[field]}
                  onChange={(value) => setMapping({ ...mapping, [field]: value })}
                />
              ))}
            </div>
            {busy === "check" ? (
              <Progress
                processed={checkProgress ?? 0}
                total={detail.totalRows}
                label={t("check.progressLabel")}
                text={t("check.progress", { processed: (checkProgress ?? 0).toLocaleString(locale), total: detail.totalRows.toLocaleString(locale) })}
                testId="check-progress"
              />
            ) : null}
            <div className="flex flex-wrap gap-3">
              <button type="submit" className="btn-secondary" disabled={busy !== null} aria-busy={busy === "check"}>
                {busy === "check" ? t("check.pending") : t("check.submit")}
              </button>
              <button type="button" className="btn-secondary" onClick={reset} disabled={busy !== null}>
                {t("otherFile")}
              </button>
            </div>
          </form>
        </section>
      ) : null}

      {view && status === "checked" ? (
        <section className="card space-y-3" aria-labelledby="import-check-heading">
          <h2 id="import-check-heading" className="text-lg font-semibold" data-focus={focusKey?.startsWith("check") ? focusKey : undefined}>
            {t("check.heading")}
          </h2>
          <Counts view={view} />
          <p className="text-sm text-slate-700" data-testid="check-summary">
            {t("check.summary", numbers(view, locale))} {t("check.nothingSaved")}
          </p>
          <RefusedRows page={refused} onPage={page} focusKey={focusKey} />
          <button type="button" className="btn-primary" onClick={run} disabled={busy !== null} aria-busy={busy === "run"}>
            {busy === "run" ? t("run.pending") : t("run.submit")}
          </button>
        </section>
      ) : null}

      {view && (running || status === "done" || status === "failed") ? (
        <section className="card space-y-3" aria-labelledby="import-run-heading">
          <h2 id="import-run-heading" className="text-lg font-semibold" data-focus={focusKey?.startsWith("progress") ? focusKey : undefined}>
            {t("run.heading")}
          </h2>
          <Progress
            processed={view.processedRows}
            total={view.totalRows}
            label={t("run.progressLabel")}
            text={t("run.progress", { processed: view.processedRows.toLocaleString(locale), total: view.totalRows.toLocaleString(locale) })}
            testId="import-progress"
          />
          {running ? <p className="text-sm text-slate-700">{t("run.running")}</p> : null}
          {status === "done" || status === "failed" ? (
            <div className="space-y-3" data-testid="import-report">
              <h3 className="font-semibold" data-focus={focusKey?.startsWith("report") ? focusKey : undefined}>
                {t("report.heading")}
              </h3>
              {status === "failed" ? <p className="text-sm text-red-800">{t("report.failed")}</p> : null}
              <Counts view={view} />
              <p className="text-sm text-slate-700">{t("report.summary", numbers(view, locale))}</p>
              <RefusedRows page={refused} onPage={page} focusKey={focusKey} />
              <div className="flex flex-wrap gap-3">
                <a className="btn-secondary" href={`/t/${tenantSlug}/learners`}>
                  {t("back")}
                </a>
                <button type="button" className="btn-secondary" onClick={reset}>
                  {t("again")}
                </button>
              </div>
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

function numbers(view: View, locale: string) {
  const n = (v: number) => v.toLocaleString(locale);
  return { created: n(view.created), updated: n(view.updated), unchanged: n(view.unchanged), refused: n(view.refused) };
}

async function fetchJson<T>(url: string, body?: unknown): Promise<{ ok: true; body: T } | { ok: false; body: { error?: string; fieldErrors?: Errors } | null }> {
  const response = await fetch(url, body === undefined
    ? { cache: "no-store" }
    : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), cache: "no-store" });
  const json = (await response.json().catch(() => null)) as unknown;
  return response.ok && json ? { ok: true, body: json as T } : { ok: false, body: json as { error?: string; fieldErrors?: Errors } | null };
}

function separatorKey(separator: string) {
  return separator === ";" ? "semicolon" : separator === "\t" ? "tab" : "comma";
}

function FileSection({ detail, focusKey }: { detail: Detail; focusKey: string | null }) {
  const t = useTranslations("learnerImport");
  const locale = useLocale();
  return (
    <section className="card space-y-3" aria-labelledby="import-file-heading">
      <h2 id="import-file-heading" className="text-lg font-semibold" data-focus={focusKey?.startsWith("file") ? focusKey : undefined}>
        {t("file.heading")}
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="import-detected">
        <dt className="font-medium">{t("file.name")}</dt>
        <dd>{detail.fileName}</dd>
        <dt className="font-medium">{t("file.rows")}</dt>
        <dd>{detail.totalRows.toLocaleString(locale)}</dd>
        <dt className="font-medium">{t("file.encoding")}</dt>
        <dd data-testid="import-encoding">{t(`encodings.${detail.encoding as "utf-8"}`)}</dd>
        <dt className="font-medium">{t("file.separator")}</dt>
        <dd data-testid="import-separator">{t(`separators.${separatorKey(detail.separator)}`)}</dd>
      </dl>
      <Region label={t("preview.region")}>
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t("preview.caption")}</caption>
          <thead className="border-b border-slate-200 text-slate-700">
            <tr>
              {detail.headers.map((h, i) => (
                <th key={i} scope="col" className="py-1 pr-4 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {detail.preview.map((row, r) => (
              <tr key={r} className="border-b border-slate-100">
                {detail.headers.map((_, i) => (
                  <td key={i} className="py-1 pr-4">
                    {row[i] ?? ""}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </Region>
    </section>
  );
}

function Region({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className="overflow-x-auto rounded-md focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-700">
      {children}
    </div>
  );
}

function MappingSelect({
  field,
  headers,
  value,
  error,
  onChange,
}: {
  field: ImportField;
  headers: string[];
  value: number | null;
  error?: string;
  onChange: (value: number | null) => void;
}) {
  const t = useTranslations("learnerImport");
  const id = `map-${field}`;
  const required = REQUIRED_FIELDS.includes(field);
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {t(`fields.${field}`)}
        {required ? <span className="text-xs font-normal text-slate-600"> ({t("mapping.required")})</span> : null}
      </label>
      <select
        id={id}
        name={field}
        className="input mt-1"
        value={value === null ? "" : String(value)}
        onChange={(e) => onChange(e.target.value === "" ? null : Number(e.target.value))}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        aria-required={required || undefined}
      >
        <option value="">{t("mapping.none")}</option>
        {headers.map((h, i) => (
          <option key={i} value={String(i)}>
            {h.trim() || `#${i + 1}`}
          </option>
        ))}
      </select>
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function Counts({ view }: { view: View }) {
  const t = useTranslations("learnerImport");
  const locale = useLocale();
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="import-counts">
      {(["created", "updated", "unchanged", "refused"] as const).map((k) => (
        <div key={k} className="rounded-md border border-slate-200 px-3 py-2">
          <dt className="text-xs text-slate-700">{t(`counts.${k}`)}</dt>
          <dd className="text-xl font-semibold" data-count={k}>
            {view[k].toLocaleString(locale)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Progress({ processed, total, label, text, testId }: { processed: number; total: number; label: string; text: string; testId: string }) {
  const percent = total === 0 ? 100 : Math.round((processed / total) * 100);
  return (
    <div className="space-y-1">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={processed}
        aria-valuetext={text}
        className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full bg-brand-700 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-sm text-slate-700" data-testid={testId}>
        {text}
      </p>
    </div>
  );
}

function RefusedRows({ page, onPage, focusKey }: { page: RefusedPage | null; onPage: (offset: number) => void; focusKey: string | null }) {
  const t = useTranslations("learnerImport");
  const locale = useLocale() === "en" ? "en" : "de";
  if (!page) return null;
  if (page.total === 0) return <p className="text-sm text-slate-700">{t("refused.none")}</p>;
  const from = page.offset + 1;
  const to = page.offset + page.items.length;
  const size = 50;
  return (
    <div className="space-y-2">
      <h3 className="font-semibold" data-focus={focusKey?.startsWith("refused") ? focusKey : undefined}>
        {t("refused.heading")}
      </h3>
      <Region label={t("refused.heading")}>
        <table className="w-full text-left text-sm" data-testid="refused-rows">
          <thead className="border-b border-slate-200 text-slate-700">
            <tr>
              <th scope="col" className="py-1 pr-4 font-medium">{t("refused.line")}</th>
              <th scope="col" className="py-1 pr-4 font-medium">{t("refused.who")}</th>
              <th scope="col" className="py-1 font-medium">{t("refused.reasons")}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((row) => (
              <tr key={row.line} className="border-b border-slate-100 align-top">
                <td className="py-1 pr-4 tabular-nums">{row.line}</td>
                <td className="py-1 pr-4">{row.label}</td>
                <td className="py-1">
                  <ul className="list-disc pl-4">
                    {row.reasons.map((r, i) => (
                      <li key={i}>{r[locale]}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Region>
      {page.total > size ? (
        <nav className="flex items-center gap-3 text-sm" aria-label={t("refused.heading")}>
          <button type="button" className="btn-secondary py-1 text-xs" disabled={page.offset === 0} onClick={() => onPage(Math.max(0, page.offset - size))}>
            {t("refused.prev")}
          </button>
          <span>{t("refused.range", { from, to, total: page.total })}</span>
          <button type="button" className="btn-secondary py-1 text-xs" disabled={to >= page.total} onClick={() => onPage(page.offset + size)}>
            {t("refused.next")}
          </button>
        </nav>
      ) : null}
    </div>
  );
}
