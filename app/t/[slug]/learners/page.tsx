import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ScrollTable } from "@/components/scroll-table";
import { can } from "@/lib/auth/policy";
import { isFiltered, listHref, listStateFromSearch, type SearchParams } from "@/lib/learners/list-params";
import { listLearners } from "@/lib/learners/queries";
import { LEARNER_STATUSES } from "@/lib/learners/schema";
import { listTrainings } from "@/lib/reminders/queries";
import { requireTenantPage } from "@/app/_server/guard";
import { sectionRoles } from "../sections";

export async function generateMetadata() {
  const t = await getTranslations("learners");
  return { title: t("title") };
}

const PAGE_SIZE = 25;
/** The training filter lists the tenant's trainings by name; more than this is not a select any more. */
const MAX_TRAININGS = 500;

export default async function LearnersPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { slug } = await params;
  const { db, actor, tenant } = await requireTenantPage(slug, sectionRoles("learners"));
  const t = await getTranslations("learners");
  const now = new Date();
  const base = `/t/${tenant.slug}/learners`;
  const canEdit = can(actor, "learners.edit");
  const canKeys = can(actor, "apikeys.manage");

  // No total count: a page costs one keyset query, however many learners the tenant has.
  const state = listStateFromSearch(await searchParams, PAGE_SIZE);
  const [page, trainings] = await Promise.all([
    listLearners(db, { tenantId: tenant.id, query: state.query, now }),
    listTrainings(db, { tenantId: tenant.id, pageSize: MAX_TRAININGS }),
  ]);
  const filtered = isFiltered(state.values);
  // The filter takes a training's id or external id (API users link with either).
  const selectedTraining = trainings.rows.find((r) => r.id === state.values.training || r.externalId === state.values.training)?.id ?? "";
  const firstPage = !state.values.cursor;
  // An empty unfiltered first page means the tenant has no learners at all yet.
  const noLearners = page.items.length === 0 && !filtered && firstPage;

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-700">{t("intro")}</p>
        {canEdit ? (
          <ul className="flex flex-wrap gap-2" aria-label={t("sourcesLabel")}>
            <li>
              <Link className="btn-secondary" href={`${base}/import`}>
                {t("importLink")}
              </Link>
            </li>
            {canKeys ? (
              <li>
                <Link className="btn-secondary" href={`/t/${tenant.slug}/api-keys`}>
                  {t("apiKeysLink")}
                </Link>
              </li>
            ) : null}
          </ul>
        ) : (
          <p className="rounded-md border border-slate-300 bg-slate-100 px-3 py-2 text-sm text-slate-800" data-testid="read-only-note">
            {t("readOnly")}
          </p>
        )}
      </div>

      {noLearners ? (
        <section className="card space-y-3" aria-labelledby="learners-empty-heading" data-testid="learners-empty">
          <h2 id="learners-empty-heading" className="text-lg font-semibold">
            {t("empty.title")}
          </h2>
          <p className="text-slate-800">{t("empty.where")}</p>
          {canEdit ? (
            <ul className="list-disc space-y-1 pl-5 text-slate-800">
              {canKeys ? (
                <li>
                  {t("empty.apiBefore")}{" "}
                  <Link className="link" href={`/t/${tenant.slug}/api-keys`}>
                    {t("empty.apiLink")}
                  </Link>
                </li>
              ) : null}
              <li>
                {t("empty.csvBefore")}{" "}
                <Link className="link" href={`${base}/import`}>
                  {t("empty.csvLink")}
                </Link>
              </li>
            </ul>
          ) : (
            <p className="text-slate-800">{t("empty.askAdmin")}</p>
          )}
        </section>
      ) : (
        <section className="card space-y-4" aria-labelledby="learner-list-heading">
          <h2 id="learner-list-heading" className="text-lg font-semibold">
            {t("listTitle")}
          </h2>
          <form role="search" aria-label={t("filter.label")} method="get" action={base} className="flex flex-wrap items-end gap-3">
            <div>
              <label htmlFor="learner-q" className="block text-sm font-medium">
                {t("filter.q")}
              </label>
              <input id="learner-q" name="q" type="search" className="input mt-1" defaultValue={state.values.q ?? ""} maxLength={200} />
            </div>
            <div>
              <label htmlFor="learner-training" className="block text-sm font-medium">
                {t("filter.training")}
              </label>
              <select id="learner-training" name="training" className="input mt-1" defaultValue={selectedTraining}>
                <option value="">{t("filter.allTrainings")}</option>
                {trainings.rows.map((training) => (
                  <option key={training.id} value={training.id}>
                    {training.name}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="learner-status" className="block text-sm font-medium">
                {t("filter.status")}
              </label>
              <select id="learner-status" name="status" className="input mt-1" defaultValue={state.values.status ?? ""}>
                <option value="">{t("filter.allStatuses")}</option>
                {LEARNER_STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {t(`filter.statuses.${status}`)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="btn-primary">
              {t("filter.apply")}
            </button>
            {filtered ? (
              <Link className="link self-center text-sm" href={base}>
                {t("filter.reset")}
              </Link>
            ) : null}
          </form>
          {state.ignored ? (
            <p className="text-sm text-amber-900" data-testid="filter-ignored">
              {t("filter.ignored")}
            </p>
          ) : null}

          {page.items.length === 0 ? (
            <p className="text-slate-700" data-testid="learners-no-match">
              {firstPage ? t("noMatch") : t("noMore")}
            </p>
          ) : (
            <ScrollTable label={t("listTitle")}>
              <table className="w-full text-left text-sm">
                <caption className="sr-only">{t("caption")}</caption>
                <thead className="border-b border-slate-200 text-slate-700">
                  <tr>
                    <th scope="col" className="py-2 pr-3 font-medium">{t("col.name")}</th>
                    <th scope="col" className="py-2 pr-3 font-medium">{t("col.email")}</th>
                    <th scope="col" className="py-2 pr-3 font-medium">{t("col.responsible")}</th>
                    <th scope="col" className="py-2 pr-3 text-right font-medium">{t("col.open")}</th>
                    <th scope="col" className="py-2 pr-3 text-right font-medium">{t("col.overdue")}</th>
                    <th scope="col" className="py-2 pr-3 text-right font-medium">{t("col.completed")}</th>
                    <th scope="col" className="py-2 font-medium">{t("col.active")}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((learner) => (
                    <tr key={learner.id} className="border-b border-slate-100 align-top last:border-b-0" data-testid="learner-row">
                      <td className="py-2 pr-3">
                        <Link className="link whitespace-nowrap" href={`${base}/${learner.id}`}>
                          {learner.lastName}, {learner.firstName}
                        </Link>
                      </td>
                      <td className="py-2 pr-3 whitespace-nowrap">{learner.email}</td>
                      <td className="py-2 pr-3">
                        {/* The name is enough to recognise the person; the e-mail stands in when there is none. */}
                        {learner.responsibleName ?? learner.responsibleEmail ?? <span className="text-slate-600">{t("none")}</span>}
                      </td>
                      <td className="py-2 pr-3 text-right tabular-nums">{learner.openCount}</td>
                      <td className={`py-2 pr-3 text-right tabular-nums ${learner.overdueCount > 0 ? "font-semibold text-amber-900" : ""}`}>
                        {learner.overdueCount}
                      </td>
                      <td className="py-2 pr-3 text-right tabular-nums">{learner.completedCount}</td>
                      <td className="py-2">{learner.active ? t("active") : t("inactive")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          )}

          {!firstPage || page.nextCursor ? (
            <nav aria-label={t("pages")} className="flex flex-wrap items-center gap-4 text-sm">
              {!firstPage ? (
                <Link className="link" href={listHref(base, state.values, null)}>
                  {t("firstPage")}
                </Link>
              ) : null}
              {page.nextCursor ? (
                <Link className="link" href={listHref(base, state.values, page.nextCursor)}>
                  {t("nextPage")}
                </Link>
              ) : null}
            </nav>
          ) : null}
        </section>
      )}
    </div>
  );
}
