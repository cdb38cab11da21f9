"use client";

import { useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/action-result";
import { useFocusResult } from "../use-focus-result";
import { useHydrated } from "../use-hydrated";

type Action = (prev: ActionResult<{ id: string }> | null, form: FormData) => Promise<ActionResult<{ id: string }>>;

export interface ActionConfirm {
  /** What will happen, in plain words. */
  question: string;
  yes: string;
  cancel: string;
}

/**
 * One small change on the learner page (deactivate, mark completed, withdraw) as a
 * server-action form. A change that stops reminders asks first: the button opens a
 * native disclosure with the question and the real submit button, so the confirmation
 * works by keyboard and before (or without) this island's script.
 *
 * The form stays mounted when the change makes the button go away (`available`
 * false): the result line, which says how many reminders were stopped, stays readable
 * and keeps the focus.
 */
export function LearnerActionForm({
  action,
  fields,
  label,
  accessibleLabel,
  confirm,
  available = true,
  testId,
}: {
  action: Action;
  /** Hidden fields: the tenant's slug and what the action works on. */
  fields: Record<string, string>;
  label: string;
  accessibleLabel?: string;
  confirm?: ActionConfirm;
  available?: boolean;
  testId?: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const resultRef = useFocusResult<HTMLParagraphElement>(state);
  const disclosure = useRef<HTMLDetailsElement>(null);
  const hydrated = useHydrated();

  // A result closes the question: what happened is said below.
  useEffect(() => {
    if (state && disclosure.current) disclosure.current.open = false;
  }, [state]);

  const button = "btn-secondary whitespace-nowrap py-1 text-xs";
  return (
    <form action={formAction} className="space-y-2" data-testid={testId}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {!available ? null : confirm ? (
        <details ref={disclosure} className="group">
          <summary className={`${button} cursor-pointer list-none [&::-webkit-details-marker]:hidden`} aria-label={accessibleLabel}>
            {label}
          </summary>
          <div className="mt-2 w-56 max-w-full space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
            <p>{confirm.question}</p>
            <div className="flex flex-wrap gap-2">
              <button type="submit" className="btn-primary py-1 text-xs" disabled={pending} aria-busy={pending}>
                {confirm.yes}
              </button>
              {hydrated ? (
                <button
                  type="button"
                  className={button}
                  onClick={() => {
                    if (disclosure.current) disclosure.current.open = false;
                    disclosure.current?.querySelector("summary")?.focus();
                  }}
                >
                  {confirm.cancel}
                </button>
              ) : null}
            </div>
          </div>
        </details>
      ) : (
        <button type="submit" className={button} disabled={pending} aria-busy={pending} aria-label={accessibleLabel}>
          {label}
        </button>
      )}
      <div role="status" aria-live="polite">
        {state ? (
          <p
            ref={resultRef}
            tabIndex={-1}
            data-testid="learner-action-result"
            className={`w-56 max-w-full text-sm focus:outline-none focus-visible:ring-2 ${state.ok ? "text-emerald-900 focus-visible:ring-emerald-700" : "text-red-800 focus-visible:ring-red-700"}`}
          >
            {state.ok ? state.message : state.error}
          </p>
        ) : null}
      </div>
    </form>
  );
}
