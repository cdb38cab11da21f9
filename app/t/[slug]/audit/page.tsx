import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { AuditDetails } from "@/components/audit/audit-details";
import { auditLabels } from "@/components/audit/labels";
import { formatInstant } from "@/components/learners/format";
import { ScrollTable } from "@/components/scroll-table";
import { AUDIT_ACTORS, AUDIT_AREAS, auditListHref, auditListState, listAuditPage } from "@/lib/audit/read";
import type { Locale } from "@/lib/i18n/locale";
import { requireTenantPage } from "@/app/_server/guard";
import { sectionRoles } from "../sections";
import { FilterSelect } from "@/components/filter-select";

const PAGE_SIZE = 50;

export async function generateMetadata() {
  const t = await getTranslations("audit");
  return { title: t("title") };
}

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const { db, tenant } = await requireTenantPage(slug, sectionRoles("audit"));
  const t = await getTranslations("audit");
  const locale = (await getLocale()) as Locale;
  const base = `/t/${tenant.slug}/audit`;
  const state = auditListState(await searchParams, tenant.timezone);
  const page = await listAuditPage(db, { tenantId: tenant.id, filter: state.filter, cursor: state.cursor, limit: PAGE_SIZE });
  const labels = auditLabels(t);
  const filtered = Object.keys(state.filter).length > 0;
  const exportHref = auditListHref(`${base}/export`, state.values, null);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="mt-1 text-slate-700">{t("intro")}</p>
      </div>

      <section className="card space-y-3" aria-labelledby="audit-filter-heading">
        <h2 id="audit-filter-heading" className="text-lg font-semibold">{t("filters")}</h2>
        <form method="get" action={base} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="audit-filter">
          <FilterSelect id="audit-area" name="area" label={t("area")} anyLabel={t("all")} value={state.values.area}
            options={AUDIT_AREAS.map((a) => ({ value: a, label: t(`areas.${a}`) }))} />
          <FilterSelect id="audit-actor" name="actor" label={t("actor")} anyLabel={t("all")} value={state.values.actor}
            options={AUDIT_ACTORS.map((a) => ({ value: a, label: t(`actors.${a}`) }))} />
          <div>
            <label htmlFor="audit-from" className="block text-sm font-medium">{t("from")}</label>
            <input id="audit-from" name="from" type="date" className="input mt-1" defaultValue={state.values.from ?? ""} />
          </div>
          <div>
            <label htmlFor="audit-to" className="block text-sm font-medium">{t("to")}</label>
            <input id="audit-to" name="to" type="date" className="input mt-1" defaultValue={state.values.to ?? ""} />
          </div>
          <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-4">
            <button type="submit" className="btn-primary">{t("apply")}</button>
            {filtered ? <Link className="link" href={base}>{t("reset")}</Link> : null}
          </div>
        </form>
        {state.ignored ? <p className="text-sm text-amber-900" data-testid="audit-filter-ignored">{t("ignored")}</p> : null}
        <p className="text-sm">
          <a className="link" href={exportHref} download data-testid="audit-export">{t("export")}</a>
          <span className="block text-xs text-slate-700">{t("exportHint")}</span>
        </p>
      </section>

      <section className="card space-y-3" aria-labelledby="audit-list-heading">
        <h2 id="audit-list-heading" className="text-lg font-semibold">{t("listTitle")}</h2>
        {page.rows.length === 0 ? (
          <p className="text-slate-700" data-testid="audit-empty">{t("empty")}</p>
        ) : (
          <ScrollTable label={t("listTitle")}>
            <table className="w-full text-left text-sm" data-testid="audit-table">
              <thead className="border-b border-slate-200 text-slate-700">
                <tr>
                  <th scope="col" className="py-2 pr-4 font-medium">{t("time")}</th>
                  <th scope="col" className="py-2 pr-4 font-medium">{t("actor")}</th>
                  <th scope="col" className="py-2 pr-4 font-medium">{t("area")}</th>
                  <th scope="col" className="py-2 pr-4 font-medium">{t("what")}</th>
                  <th scope="col" className="py-2 font-medium">{t("details")}</th>
                </tr>
              </thead>
              <tbody>
                {page.rows.map((r) => (
                  <tr key={r.id} className="border-b border-slate-100 align-top" data-testid="audit-row" data-action={r.action}>
                    <td className="whitespace-nowrap py-2 pr-4">
                      <time dateTime={r.at.toISOString()}>{formatInstant(r.at, locale, tenant.timezone)}</time>
                    </td>
                    <td className="py-2 pr-4">{labels.actor(r)}</td>
                    <td className="py-2 pr-4">{labels.area(r.area)}</td>
                    <th scope="row" className="py-2 pr-4 font-normal">{labels.what(r.action)}</th>
                    <td className="py-2">
                      {r.details && Object.keys(r.details).length > 0 ? (
                        <details>
                          <summary className="cursor-pointer font-medium text-slate-900">{t("showDetails")}</summary>
                          <p className="mt-1 font-mono text-xs text-slate-700">{r.action}{r.targetType ? ` · ${t("target")}: ${r.targetType}` : ""}</p>
                          <AuditDetails details={r.details} labels={{ before: t("before"), after: t("after") }} />
                        </details>
                      ) : (
                        <span className="font-mono text-xs text-slate-700">{r.action}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        )}
        <nav className="flex gap-4 text-sm" aria-label={t("paging")}>
          {state.cursor ? <Link className="link" href={auditListHref(base, state.values, null)}>{t("newest")}</Link> : null}
          {page.next ? <Link className="link" href={auditListHref(base, state.values, page.next)} data-testid="audit-older">{t("older")}</Link> : null}
        </nav>
      </section>
    </div>
  );
}
