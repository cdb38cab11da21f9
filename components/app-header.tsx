import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { Actor } from "@/lib/auth/access";
import { can } from "@/lib/auth/policy";
import { LanguageSwitch } from "./language-switch";
import { SignOutButton } from "./sign-out-button";

/**
 * The page passes the language switch's server action and the actor's unread-alert
 * count (components import nothing from app/). "Alerts" links to /alerts for those who
 * see alerts; the count badge beside it is drawn on the server (no script) and only
 * when something is unread, and then names the link ("3 unread alerts").
 */
export async function AppHeader({
  actor,
  unreadAlerts,
  setLocale,
}: {
  actor: Actor;
  unreadAlerts: number;
  setLocale: (formData: FormData) => Promise<void>;
}) {
  const t = await getTranslations();
  return (
    <header className="border-b border-slate-200 bg-white">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        {t("common.skipToContent")}
      </a>
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-6 py-3">
        <Link href="/" className="text-lg font-semibold text-brand-800">
          Postillion
        </Link>
        {actor.role === "consultant" ? (
          <nav aria-label={t("nav.main")} className="flex gap-3 text-sm">
            <Link href="/tenants" className="rounded px-2 py-1 text-slate-800 hover:bg-slate-100">
              {t("nav.tenants")}
            </Link>
            <Link href="/consultants" className="rounded px-2 py-1 text-slate-800 hover:bg-slate-100">
              {t("nav.consultants")}
            </Link>
            {can(actor, "review.manage") ? (
              <Link href="/review" className="rounded px-2 py-1 text-slate-800 hover:bg-slate-100" data-testid="nav-review">
                {t("nav.review")}
              </Link>
            ) : null}
          </nav>
        ) : null}
        <div className="ml-auto flex flex-wrap items-center gap-4">
          {can(actor, "alerts.view") ? (
            <Link
              href="/alerts"
              className="flex items-center gap-2 rounded px-2 py-1 text-sm text-slate-800 hover:bg-slate-100"
              aria-label={unreadAlerts > 0 ? t("alerts.unreadBadge", { count: unreadAlerts }) : undefined}
              data-testid="alerts-link"
            >
              {t("alerts.nav")}
              {unreadAlerts > 0 ? (
                <span className="rounded-full bg-red-700 px-2 py-0.5 text-xs font-semibold text-white" data-testid="alerts-badge">
                  {unreadAlerts > 99 ? "99+" : unreadAlerts}
                </span>
              ) : null}
            </Link>
          ) : null}
          <span className="text-sm text-slate-700" data-testid="signed-in-as">
            {t("common.signedInAs", { name: actor.name || actor.email })} · {t(`common.roles.${actor.role}`)}
          </span>
          <LanguageSwitch action={setLocale} />
          <SignOutButton label={t("common.signOut")} />
        </div>
      </div>
    </header>
  );
}
