import type { Metadata } from "next";
import { getDb } from "@/lib/db";
import { unsubscribeTarget } from "@/lib/delivery/unsubscribe";
import { resolveLocale } from "@/app/_i18n/locale";
import { translator } from "@/app/_i18n/translator";

/**
 * The learner's unsubscribe page, linked from every reminder's footer (and where the
 * List-Unsubscribe address sends a GET). No sign-in: the token is the authorization.
 * Showing the page changes nothing — link scanners open links — the button posts to
 * /api/unsubscribe/<token> (a plain form, no script), which redirects back here.
 * Spoken in the learner's language (their record's, else the tenant's).
 */

export const metadata: Metadata = { title: "Postillion", robots: { index: false, follow: false }, referrer: "no-referrer" };

type Props = { params: Promise<{ token: string }>; searchParams: Promise<{ done?: string }> };

export default async function UnsubscribePage({ params, searchParams }: Props) {
  const { token } = await params;
  const { done } = await searchParams;
  const target = await unsubscribeTarget(await getDb(), { token });
  const locale = target?.locale ?? (await resolveLocale());
  // The learner's language, not the browser's: the request config would pick the latter.
  const t = translator(locale, "unsubscribe");

  return (
    <main id="main" lang={locale} className="mx-auto flex min-h-screen max-w-xl flex-col px-4 py-12">
      <p className="mb-6 text-lg font-semibold text-brand-800">{target?.tenantName ?? "Postillion"}</p>
      <div className="card">
        {!target ? (
          <>
            <h1 className="text-2xl font-semibold">{t("invalidTitle")}</h1>
            <p className="mt-3 text-slate-700">{t("invalidText")}</p>
          </>
        ) : target.already ? (
          <>
            <h1 className="text-2xl font-semibold">{done ? t("doneTitle") : t("alreadyTitle")}</h1>
            <p className="mt-3 text-slate-700" role={done ? "status" : undefined}>
              {t("doneText", { planName: target.planName, trainingName: target.trainingName, tenantName: target.tenantName })}
            </p>
            <p className="mt-3 text-slate-700">{t("mistake", { tenantName: target.tenantName })}</p>
          </>
        ) : (
          <>
            <h1 className="text-2xl font-semibold">{t("confirmTitle")}</h1>
            <p className="mt-3 text-slate-700">
              {t("confirmText", { planName: target.planName, trainingName: target.trainingName, tenantName: target.tenantName })}
            </p>
            <p className="mt-3 text-slate-700">{t("stillAssigned")}</p>
            <form method="post" action={`/api/unsubscribe/${encodeURIComponent(token)}`} className="mt-6">
              <input type="hidden" name="via" value="page" />
              <button type="submit" className="btn-primary">
                {t("confirmButton")}
              </button>
            </form>
          </>
        )}
        <details className="mt-6 text-sm text-slate-700">
          <summary className="cursor-pointer font-medium">{t("detailsSummary")}</summary>
          <p className="mt-2">{t("detailsText")}</p>
        </details>
      </div>
    </main>
  );
}
