"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/action-result";
import { useFocusResult } from "../use-focus-result";

type Action = (prev: ActionResult<{ id: string }> | null, form: FormData) => Promise<ActionResult<{ id: string }>>;

export interface PauseView {
  /** Already formatted in the tenant's time zone. */
  since: string;
  /** What happened and what to do, in the viewer's language. */
  advice: string;
  reply: string | null;
}

/**
 * "Sending is paused": why, what to do, the server's reply one click away and, for
 * those who may, "Resume sending". The page renders this island whether or not the
 * tenant is paused, at the same place: after a resume the page's fresh render has no
 * pause, and this instance keeps its state to say that sending runs again (holding the
 * focus the pressed button had).
 */
export function PauseBanner({
  pause,
  action,
  tenantSlug,
  canManage,
  senderHref,
}: {
  pause: PauseView | null;
  action: Action;
  tenantSlug: string;
  canManage: boolean;
  senderHref: string | null;
}) {
  const t = useTranslations("deliveries.pause");
  const [state, formAction, pending] = useActionState(action, null);
  const result = useFocusResult<HTMLParagraphElement>(state);
  if (!pause) {
    return state?.ok ? (
      <p ref={result} tabIndex={-1} role="status" data-testid="resume-result" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-emerald-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-700">
        {state.message}
      </p>
    ) : null;
  }
  return (
    <section className="rounded-lg border-2 border-red-700 bg-red-50 p-4 text-red-950" aria-labelledby="pause-heading" data-testid="pause-banner">
      <h2 id="pause-heading" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="mt-1 text-sm">{t("intro")}</p>
      <p className="mt-1 text-sm">{t("since", { when: pause.since })}</p>
      <h3 className="mt-3 text-sm font-semibold">{t("whatToDo")}</h3>
      <p className="mt-1 text-sm" data-testid="pause-advice">
        {pause.advice}
      </p>
      {pause.reply ? (
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer font-medium">{t("reply")}</summary>
          <code className="mt-1 block break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900">{pause.reply}</code>
        </details>
      ) : null}
      {canManage ? (
        <form action={formAction} className="mt-3 space-y-2 border-t border-red-200 pt-3" data-testid="resume-form">
          <input type="hidden" name="tenantSlug" value={tenantSlug} />
          <p className="text-sm">{t("resumeHint")}</p>
          <div className="flex flex-wrap items-center gap-4">
            <button type="submit" className="btn-primary" disabled={pending} aria-busy={pending}>
              {t("resume")}
            </button>
            {senderHref ? (
              <Link className="link text-sm font-medium" href={senderHref}>
                {t("fixSender")}
              </Link>
            ) : null}
          </div>
          {state && !state.ok ? (
            <p ref={result} tabIndex={-1} role="alert" className="text-sm text-red-800 focus:outline-none">
              {state.error}
            </p>
          ) : null}
        </form>
      ) : (
        <p className="mt-2 text-sm">{t("askAdmin")}</p>
      )}
    </section>
  );
}
