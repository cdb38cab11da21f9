"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef, useState } from "react";
import type { ActionResult } from "@/lib/action-result";
import { useFocusResult } from "../use-focus-result";

type Action = (prev: ActionResult<{ id: string }> | null, form: FormData) => Promise<ActionResult<{ id: string }>>;

/**
 * Revoke, after a confirmation in place (no browser dialog): the first button asks, the
 * second revokes. After the revocation the list shows the key as revoked and this cell
 * says so, holding the focus the pressed button had.
 */
export function RevokeApiKeyButton({
  action,
  tenantSlug,
  keyId,
  name,
  revoked,
}: {
  action: Action;
  tenantSlug: string;
  keyId: string;
  name: string;
  revoked: boolean;
}) {
  const t = useTranslations("apiKeys");
  const [state, formAction, pending] = useActionState(action, null);
  const [asking, setAsking] = useState(false);
  const result = useFocusResult<HTMLParagraphElement>(state);
  const question = useRef<HTMLParagraphElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [returnFocus, setReturnFocus] = useState(false);

  useEffect(() => {
    if (asking) question.current?.focus();
    else if (returnFocus) opener.current?.focus();
  }, [asking, returnFocus]);

  if (state?.ok) {
    return (
      <p ref={result} tabIndex={-1} role="status" className="text-sm text-emerald-900 focus:outline-none">
        {t("revokeDone", { name })}
      </p>
    );
  }
  if (revoked) return null;
  if (!asking) {
    return (
      <button
        ref={opener}
        type="button"
        className="btn-secondary py-1 text-xs"
        aria-label={t("revokeLabel", { name })}
        onClick={() => setAsking(true)}
      >
        {t("revoke")}
      </button>
    );
  }
  return (
    <form action={formAction} className="max-w-xs space-y-2">
      <input type="hidden" name="tenantSlug" value={tenantSlug} />
      <input type="hidden" name="keyId" value={keyId} />
      <p ref={question} tabIndex={-1} className="text-sm text-slate-900 focus:outline-none">
        {t("confirmRevoke", { name })}
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn py-1 text-xs bg-red-700 text-white hover:bg-red-800" disabled={pending} aria-busy={pending}>
          {t("confirm")}
        </button>
        <button
          type="button"
          className="btn-secondary py-1 text-xs"
          onClick={() => {
            setAsking(false);
            setReturnFocus(true);
          }}
        >
          {t("cancel")}
        </button>
      </div>
      {state && !state.ok ? (
        <p ref={result} tabIndex={-1} role="alert" className="text-sm text-red-800">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
