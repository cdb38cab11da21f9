"use client";

import { useFocusResult } from "./use-focus-result";

/**
 * The outcome line of a form: success or the general error, announced politely. After
 * each result the focus moves to the form's first invalid field, else to the message.
 */
export function FormStatus({ state }: { state: { ok: boolean; error?: string; message?: string } | null }) {
  const ref = useFocusResult<HTMLParagraphElement>(state);
  return (
    <div aria-live="polite" role="status" data-testid="form-status">
      {state && !state.ok && state.error ? (
        <p ref={ref} tabIndex={-1} className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-700">
          {state.error}
        </p>
      ) : null}
      {state && state.ok && state.message ? (
        <p
          ref={ref}
          tabIndex={-1}
          className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-700"
        >
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
