import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { ClientMessages } from "@/app/_i18n/client-messages";
import { headerAlerts } from "@/app/_server/header-alerts";
import { setLocaleAction } from "@/app/_server/locale-action";
import { AppHeader } from "@/components/app-header";
import { auditLabels } from "@/components/audit/labels";
import { formatInstant } from "@/components/learners/format";
import { CurrentState } from "@/components/review/current-state";
import { MarkReviewedForm } from "@/components/review/mark-reviewed-form";
import { ReviewChanges } from "@/components/review/review-changes";
import { resolveTenant } from "@/lib/auth/access";
import { config } from "@/lib/config/platform-profile";
import { can } from "@/lib/auth/policy";
import type { Locale } from "@/lib/i18n/locale";
import { loadReviewBoard } from "@/lib/review/board";
import { reviewDetail } from "@/lib/review/reviews";
import { requireActor } from "../../_server/guard";
import { markReviewedAction } from "./actions";

export async function generateMetadata() {
  const t = await getTranslations("review.detail.form");
  return { title: t("title") };
}

/** The sections a consultant fixes things in, in the tenant's navigation order. */
const SECTION_LINKS = ["sender", "domain", "reminders", "deliveries", "audit"] as const;

export default async function ReviewDetailPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, actor } = await requireActor();
  // Everyone else gets the same answer as for a tenant that does not exist.
  if (!can(actor, "review.manage")) notFound();
  const tenant = await resolveTenant(db, actor, slug);
  if (!tenant) notFound();

  const [detail, [row], unread, t, tNav, tAudit, locale] = await Promise.all([
    reviewDetail(db, { tenantId: tenant.id }),
    loadReviewBoard(db, { relayConfigured: Boolean(config().SMTP_RELAY_URL), now: new Date(), tenantIds: [tenant.id] }),
    headerAlerts(actor),
    getTranslations("review.detail"),
    getTranslations("nav"),
    getTranslations("audit"),
    getLocale() as Promise<Locale>,
  ]);
  const when = (at: Date) => formatInstant(at, locale, tenant.timezone);
  const audit = auditLabels(tAudit);
  const { state } = detail;
  const reviewer = state.status === "not_reviewed" ? "" : (state.reviewerName ?? t("unknownReviewer"));

  return (
    <>
      <AppHeader actor={actor} unreadAlerts={unread} setLocale={setLocaleAction} />
      <main id="main" className="mx-auto max-w-6xl space-y-6 px-6 py-8">
        <p>
          <Link href="/review" className="link">
            ← {t("back")}
          </Link>
        </p>
        <div>
          <h1 className="text-2xl font-semibold">{t("title", { name: tenant.name })}</h1>
          <p className="mt-1 text-slate-700">{t("intro")}</p>
        </div>
        <nav aria-label={t("linksLabel")}>
          <ul className="flex flex-wrap gap-4 text-sm">
            {SECTION_LINKS.map((section) => (
              <li key={section}>
                <Link href={`/t/${tenant.slug}/${section}`} className="link">
                  {tNav(section)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>

        {row ? <CurrentState row={row} /> : null}

        <section className="card space-y-3" aria-labelledby="review-state-heading">
          <h2 id="review-state-heading" className="text-lg font-semibold">{t("stateTitle")}</h2>
          <p
            data-testid="review-state"
            data-status={state.status}
            className={state.status === "changed" ? "font-semibold text-amber-900" : state.status === "reviewed" ? "text-emerald-900" : "text-slate-800"}
          >
            {state.status === "not_reviewed"
              ? t("notReviewed")
              : state.status === "reviewed"
                ? t("reviewedBy", { name: reviewer, date: when(state.reviewedAt) })
                : t("changedSince", { count: state.changesSince, name: reviewer, date: when(state.reviewedAt) })}
          </p>
          {state.status !== "not_reviewed" && state.note ? (
            <div>
              <h3 className="text-sm font-medium text-slate-700">{t("lastNote")}</h3>
              <p className="whitespace-pre-wrap">{state.note}</p>
            </div>
          ) : null}
        </section>

        {state.status !== "not_reviewed" ? (
          <section className="card space-y-3" aria-labelledby="review-changes-heading" data-testid="review-changes">
            <h2 id="review-changes-heading" className="text-lg font-semibold">{t("changesTitle")}</h2>
            {detail.changes.length === 0 ? (
              <p className="text-slate-700">{t("noChanges")}</p>
            ) : (
              <>
                <p className="text-sm text-slate-700">{t("changesIntro")}</p>
                <ReviewChanges
                  changes={detail.changes}
                  text={{
                    title: (c) => t(`kind.${c.kind}`, { name: c.label ?? "" }),
                    field: (name) => (t.has(`fields.${name}`) ? t(`fields.${name}`) : name),
                    who: (e) => audit.actor(e),
                    when,
                    created: t("created"),
                    fieldHeader: t("field"),
                    before: t("before"),
                    after: t("after"),
                    empty: t("empty"),
                    changedBy: t("changedBy"),
                    entry: (who, date) => t("entry", { who, date }),
                  }}
                />
              </>
            )}
          </section>
        ) : null}

        <section className="card space-y-3" aria-labelledby="mark-reviewed-heading">
          <h2 id="mark-reviewed-heading" className="text-lg font-semibold">{t("form.title")}</h2>
          <p className="text-sm text-slate-700">{t("form.hint")}</p>
          <ClientMessages namespaces={["review.detail.form"]}>
            <MarkReviewedForm action={markReviewedAction} tenantSlug={tenant.slug} />
          </ClientMessages>
        </section>

        <section className="card space-y-3" aria-labelledby="review-history-heading">
          <h2 id="review-history-heading" className="text-lg font-semibold">{t("historyTitle")}</h2>
          {detail.history.length === 0 ? (
            <p className="text-slate-700">{t("historyEmpty")}</p>
          ) : (
            <ol className="space-y-3" data-testid="review-history">
              {detail.history.map((h, i) => (
                <li key={`${h.reviewedAt.toISOString()}-${i}`} className="border-b border-slate-100 pb-2">
                  <p className="text-sm font-medium">
                    <time dateTime={h.reviewedAt.toISOString()}>{t("entry", { who: h.reviewerName ?? t("unknownReviewer"), date: when(h.reviewedAt) })}</time>
                  </p>
                  <p className={h.note ? "whitespace-pre-wrap" : "text-slate-700"}>{h.note ?? t("noNote")}</p>
                </li>
              ))}
            </ol>
          )}
        </section>
      </main>
    </>
  );
}
