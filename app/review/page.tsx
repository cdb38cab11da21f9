import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { AppHeader } from "@/components/app-header";
import { BoardFilters } from "@/components/review/board-filters";
import { BoardTable } from "@/components/review/board-table";
import { headerAlerts } from "@/app/_server/header-alerts";
import { setLocaleAction } from "@/app/_server/locale-action";
import { can } from "@/lib/auth/policy";
import { config } from "@/lib/config/platform-profile";
import type { Locale } from "@/lib/i18n/locale";
import { loadReviewBoard } from "@/lib/review/board";
import { applyBoard, boardHref, boardParamsSchema } from "@/lib/review/board-params";
import { HEALTH_BANDS, HEALTH_RULES } from "@/lib/review/health";
import { requireActor } from "../_server/guard";
import { Pager } from "@/components/pager";

export const metadata: Metadata = { title: "Review / Durchsicht" };

export default async function ReviewBoardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db, actor } = await requireActor();
  if (!can(actor, "review.manage")) notFound();
  const t = await getTranslations("review.board");
  const locale = (await getLocale()) as Locale;
  const params = boardParamsSchema.parse(await searchParams);
  const now = new Date();
  const [all, unread] = await Promise.all([
    loadReviewBoard(db, { relayConfigured: Boolean(config().SMTP_RELAY_URL), now }),
    headerAlerts(actor),
  ]);
  const board = applyBoard(all, params);

  return (
    <>
      <AppHeader actor={actor} unreadAlerts={unread} setLocale={setLocaleAction} />
      <main id="main" className="mx-auto max-w-screen-2xl space-y-6 px-6 py-8">
        <div>
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          <p className="mt-1 text-slate-700">{t("intro")}</p>
        </div>

        <BoardFilters params={params} />

        <section className="card space-y-3" aria-labelledby="review-list-heading">
          <h2 id="review-list-heading" className="text-lg font-semibold" data-testid="review-count">
            {t("count", { shown: board.filteredTotal, total: board.total })}
          </h2>
          {board.rows.length === 0 ? (
            <p className="text-slate-700" data-testid="review-empty">
              {board.total === 0 ? t("none") : t("empty")}
            </p>
          ) : (
            <BoardTable rows={board.rows} params={{ ...params, page: board.page }} now={now} />
          )}
          <Pager page={board.page} pages={board.pages} href={(page) => boardHref(params, { page })} label={t("pages")} testId="review-pages" />
        </section>

        <section id="health-rules" className="card space-y-2" aria-labelledby="health-rules-heading" data-testid="review-health-rules">
          <h2 id="health-rules-heading" className="text-lg font-semibold">
            {t("healthTitle")}
          </h2>
          <p className="text-sm text-slate-800">
            {t("healthIntro", { good: HEALTH_BANDS.good, goodBelow: HEALTH_BANDS.good - 1, watch: HEALTH_BANDS.watch })}
          </p>
          <ul className="list-disc space-y-1 pl-5 text-sm">
            {HEALTH_RULES.map((rule) => (
              <li key={rule.id} data-rule={rule.id}>
                <span className="font-semibold">{t("healthPoints", { points: rule.points })}</span> {rule.text[locale]}
              </li>
            ))}
          </ul>
        </section>
      </main>
    </>
  );
}
