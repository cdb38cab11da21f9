"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/action-result";
import { Field, FormStatus } from "../field";

type Result = ActionResult<{ reviewedAt: string }>;
type Action = (prev: Result | null, form: FormData) => Promise<Result>;

/** The "Mark reviewed" form of /review/<slug>: an optional note; a refusal keeps what was typed. */
export function MarkReviewedForm({ action, tenantSlug }: { action: Action; tenantSlug: string }) {
  const t = useTranslations("review.detail.form");
  const [state, formAction, pending] = useActionState(action, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = state && !state.ok ? (state.values ?? {}) : {};
  return (
    // A new key after each success empties the note for the next review.
    <form key={state?.ok ? state.data.reviewedAt : "form"} action={formAction} className="space-y-4" noValidate data-testid="mark-reviewed-form">
      <input type="hidden" name="tenantSlug" value={tenantSlug} />
      <Field id="review-note" label={t("note")} hint={t("noteHint")} error={errors.note}>
        {(p) => <textarea {...p} name="note" rows={4} className="input" defaultValue={values.note ?? ""} />}
      </Field>
      <FormStatus state={state} />
      <button type="submit" className="btn-primary" disabled={pending} aria-busy={pending}>
        {pending ? t("saving") : t("submit")}
      </button>
    </form>
  );
}
