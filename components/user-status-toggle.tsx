"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/action-result";
import { useFocusResult } from "./use-focus-result";

type Action = (prev: ActionResult<{ id: string }> | null, form: FormData) => Promise<ActionResult<{ id: string }>>;

export function UserStatusToggle({
  action,
  userId,
  disabled,
  tenantSlug,
  label,
  accessibleLabel,
}: {
  action: Action;
  userId: string;
  disabled: boolean;
  tenantSlug?: string;
  label: string;
  accessibleLabel: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  // The button is disabled while the change runs, which drops the focus; give it back.
  const ref = useFocusResult<HTMLButtonElement>(state);
  return (
    <form action={formAction} className="flex items-center gap-2">
      {tenantSlug ? <input type="hidden" name="tenantSlug" value={tenantSlug} /> : null}
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
      <button ref={ref} type="submit" className="btn-secondary py-1 text-xs" disabled={pending} aria-label={accessibleLabel}>
        {label}
      </button>
      <span aria-live="polite" className="text-xs text-red-800">
        {state && !state.ok ? state.error : null}
      </span>
    </form>
  );
}
