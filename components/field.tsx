import type { ReactNode } from "react";

/** A labelled form field with hint and error, wired with aria-describedby. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (props: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean }) => ReactNode;
}) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <div className="mt-1">
        {children({ id, "aria-describedby": describedBy || undefined, "aria-invalid": error ? true : undefined })}
      </div>
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-800" data-field-error>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The outcome line of a form: success or the general error, announced politely. */
export function FormStatus({ state }: { state: { ok: boolean; error?: string; message?: string } | null }) {
  return (
    <div aria-live="polite" role="status" data-testid="form-status">
      {state && !state.ok && state.error ? (
        <p className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">{state.error}</p>
      ) : null}
      {state && state.ok && state.message ? (
        <p className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">{state.message}</p>
      ) : null}
    </div>
  );
}
