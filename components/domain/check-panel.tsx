"use client";

import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import type { ActionResult } from "@/lib/action-result";
import type { CheckView } from "@/lib/domain-check/service";
import { Field, FormStatus } from "../field";
import { CheckResult } from "./check-result";

type StartAction = (prev: ActionResult<{ id: string; domain: string }> | null, form: FormData) => Promise<ActionResult<{ id: string; domain: string }>>;
type InstructionsAction = (prev: ActionResult<null> | null, form: FormData) => Promise<ActionResult<null>>;

interface Props {
  tenantSlug: string;
  timeZone: string;
  initialDomain: string;
  initialSelector: string;
  initialCheck: CheckView | null;
  startAction: StartAction;
  instructionsAction: InstructionsAction;
  relayConfigured: boolean;
}

/**
 * The page's one interactive island: the check form and the live result. A check
 * runs on the server; this polls its route handler while it runs (TanStack Query),
 * so each step appears as soon as it is stored.
 */
export function DomainCheckPanel(props: Props) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: 3, refetchOnWindowFocus: false } } }));
  return (
    <QueryClientProvider client={client}>
      <Panel {...props} />
    </QueryClientProvider>
  );
}

const POLL_MS = 400;

function Panel({ tenantSlug, timeZone, initialDomain, initialSelector, initialCheck, startAction, instructionsAction, relayConfigured }: Props) {
  const t = useTranslations("domain");
  const locale = useLocale();
  const router = useRouter();
  const [state, formAction, pending] = useActionState(startAction, null);
  const checkId = state?.ok ? state.data.id : (initialCheck?.id ?? null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const values = state && !state.ok ? (state.values ?? {}) : {};

  const query = useQuery({
    queryKey: ["domain-check", tenantSlug, checkId],
    enabled: checkId !== null,
    queryFn: async ({ signal }): Promise<CheckView> => {
      const response = await fetch(`/t/${tenantSlug}/domain/checks/${checkId}`, { signal, cache: "no-store" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return (await response.json()) as CheckView;
    },
    initialData: initialCheck && initialCheck.id === checkId ? initialCheck : undefined,
    staleTime: (q) => (q.state.data?.status === "running" ? 0 : Infinity),
    refetchInterval: (q) => (q.state.data && q.state.data.status !== "running" ? false : POLL_MS),
  });
  const view = query.data ?? null;

  // When a check we watched finishes, reload the server parts (history, changes, DKIM) for its domain.
  const watched = useRef<string | null>(null);
  useEffect(() => {
    if (!view) return;
    if (view.status === "running") watched.current = view.id;
    else if (watched.current === view.id) {
      watched.current = null;
      router.replace(`/t/${tenantSlug}/domain?domain=${encodeURIComponent(view.domain)}`, { scroll: false });
    }
  }, [view, router, tenantSlug]);

  return (
    <div className="space-y-6">
      <form action={formAction} className="card space-y-4" noValidate aria-labelledby="check-form-heading">
        <h2 id="check-form-heading" className="text-lg font-semibold">
          {t("formTitle")}
        </h2>
        <input type="hidden" name="tenantSlug" value={tenantSlug} />
        <div className="grid gap-4 sm:grid-cols-3">
          <div className="sm:col-span-2">
            <Field id="check-domain" label={t("domainLabel")} hint={t("domainHint")} error={errors.domain}>
              {(p) => (
                <input
                  {...p}
                  name="domain"
                  className="input"
                  inputMode="url"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={t("domainPlaceholder")}
                  defaultValue={values.domain ?? initialDomain}
                />
              )}
            </Field>
          </div>
          <Field id="check-selector" label={t("selectorLabel")} hint={t("selectorHint")} error={errors.selector}>
            {(p) => (
              <input {...p} name="selector" className="input" autoComplete="off" spellCheck={false} defaultValue={values.selector ?? initialSelector} />
            )}
          </Field>
        </div>
        <FormStatus state={state && !state.ok ? state : null} />
        <button type="submit" className="btn-primary" disabled={pending} aria-busy={pending}>
          {pending ? t("starting") : t("checkNow")}
        </button>
      </form>

      {query.isError && !view ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {t("loadFailed")}
        </p>
      ) : null}
      {view ? (
        <CheckResult
          view={view}
          locale={locale === "en" ? "en" : "de"}
          timeZone={timeZone}
          tenantSlug={tenantSlug}
          instructionsAction={instructionsAction}
          relayConfigured={relayConfigured}
        />
      ) : (
        <p className="text-slate-700">{t("noCheckYet")}</p>
      )}
    </div>
  );
}
