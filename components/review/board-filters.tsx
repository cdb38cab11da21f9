import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { BOARD_FILTER_KEYS, BOARD_FILTERS, type BoardParams } from "@/lib/review/board-params";
import { FilterSelect } from "@/components/filter-select";

/**
 * The board's filters: a plain GET form (works without script), one select per column.
 * The sort order is kept in hidden fields; applying a filter starts at page 1.
 */
export async function BoardFilters({ params }: { params: BoardParams }) {
  const t = await getTranslations("review.board");
  const filtered = !!params.q || BOARD_FILTER_KEYS.some((k) => params[k] !== undefined);
  return (
    <section className="card space-y-3" aria-labelledby="review-filter-heading">
      <h2 id="review-filter-heading" className="text-lg font-semibold">
        {t("filters")}
      </h2>
      <form method="get" action="/review" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="review-filters" aria-labelledby="review-filter-heading">
        <div>
          <label htmlFor="review-filter-q" className="block text-sm font-medium">
            {t("search")}
          </label>
          <input id="review-filter-q" name="q" type="search" className="input mt-1" defaultValue={params.q ?? ""} data-testid="review-filter-q" />
        </div>
        {BOARD_FILTER_KEYS.map((key) => (
          <FilterSelect key={key} id={`review-filter-${key}`} name={key} label={t(`filter.${key}`)} anyLabel={t("all")} value={params[key]} testId={`review-filter-${key}`}
            options={BOARD_FILTERS[key].map((value) => ({ value, label: t(`options.${key}.${value}`) }))} />
        ))}
        <input type="hidden" name="sort" value={params.sort} />
        {params.dir ? <input type="hidden" name="dir" value={params.dir} /> : null}
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-4">
          <button type="submit" className="btn-primary" data-testid="review-filter-apply">
            {t("apply")}
          </button>
          {filtered ? (
            <Link className="link" href="/review">
              {t("reset")}
            </Link>
          ) : null}
          <span className="text-xs text-slate-700">{t("notReadyHint")}</span>
        </div>
      </form>
    </section>
  );
}
