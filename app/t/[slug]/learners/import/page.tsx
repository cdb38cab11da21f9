import { getLocale, getTranslations } from "next-intl/server";
import Link from "next/link";
import { rolesFor } from "@/lib/auth/policy";
import { getImportDetail, getRefusedRows, listImports, type ImportView } from "@/lib/learners/import";
import { ClientMessages } from "@/app/_i18n/client-messages";
import { requireTenantPage } from "@/app/_server/guard";
import { ScrollTable } from "@/components/scroll-table";
import { LearnerImport } from "@/components/learners/islands";

export async function generateMetadata() {
  const t = await getTranslations("learnerImport");
  return { title: t("title") };
}

const UUID = /^[0-9a-f-]{36}$/i;
const RECENT_MS = 2 * 60_000;

/**
 * The CSV import (admins and consultants; trainers get 404 like for any page they may
 * not open). The island does the steps; the page lists the latest imports, and hands
 * the island the one asked for (`?import=ID`), else the latest one while it is
 * unfinished or just finished, so a reload during an import shows its progress again.
 */
export default async function LearnerImportPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const { db, tenant } = await requireTenantPage(slug, rolesFor("learners.edit"));
  const query = await searchParams;
  const t = await getTranslations("learnerImport");
  const locale = await getLocale();
  const now = new Date();
  const imports = await listImports(db, { tenantId: tenant.id, limit: 10, now });
  const asked = typeof query.import === "string" && UUID.test(query.import) ? query.import : null;
  // A reload during an import (or just after it) shows it again, progress or report.
  const latest = imports[0];
  const recent = latest && (!latest.finishedAt || now.getTime() - latest.finishedAt.getTime() < RECENT_MS) ? latest.id : null;
  const shownId = asked ?? recent;
  const detail = shownId ? await getImportDetail(db, { tenantId: tenant.id, importId: shownId, now }) : undefined;
  const refused =
    detail && detail.status !== "uploaded" ? await getRefusedRows(db, { tenantId: tenant.id, importId: detail.id, offset: 0, limit: 50 }) : null;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "short", timeZone: tenant.timezone });
  const n = (v: number) => v.toLocaleString(locale);

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link href={`/t/${tenant.slug}/learners`} className="link">
            {t("back")}
          </Link>
        </p>
        <h1 className="mt-1 text-2xl font-semibold">{t("title")}</h1>
        <p className="mt-1 max-w-3xl text-slate-700">{t("intro")}</p>
      </div>
      <ClientMessages namespaces={["learnerImport"]}>
        <LearnerImport key={detail?.id ?? "new"} tenantSlug={tenant.slug} initial={detail ?? null} initialRefused={refused} />
      </ClientMessages>
      {imports.length > 0 ? (
        <section className="space-y-2" aria-labelledby="import-history-heading">
          <h2 id="import-history-heading" className="text-lg font-semibold">
            {t("history.heading")}
          </h2>
          <ScrollTable label={t("history.heading")}>
            <table className="w-full text-left text-sm" data-testid="import-history">
              <thead className="border-b border-slate-200 text-slate-700">
                <tr>
                  <th scope="col" className="py-2 pr-4 font-medium">{t("history.file")}</th>
                  <th scope="col" className="py-2 pr-4 font-medium">{t("history.when")}</th>
                  <th scope="col" className="py-2 pr-4 font-medium">{t("history.status")}</th>
                  <th scope="col" className="py-2 pr-4 font-medium">{t("history.counts")}</th>
                  <th scope="col" className="py-2 font-medium"><span className="sr-only">{t("history.open")}</span></th>
                </tr>
              </thead>
              <tbody>
                {imports.map((i: ImportView) => (
                  <tr key={i.id} className="border-b border-slate-100">
                    <td className="py-2 pr-4">{i.fileName}</td>
                    <td className="py-2 pr-4">{when.format(i.createdAt)}</td>
                    <td className="py-2 pr-4">
                      {t(`status.${i.status}`)}
                      {i.status === "running" ? ` (${n(i.processedRows)} / ${n(i.totalRows)})` : ""}
                    </td>
                    <td className="py-2 pr-4 tabular-nums">
                      {i.status === "done" || i.status === "failed" || i.status === "running"
                        ? `${n(i.created)} / ${n(i.updated)} / ${n(i.unchanged)} / ${n(i.refused)}`
                        : "–"}
                    </td>
                    <td className="py-2">
                      <Link href={`/t/${tenant.slug}/learners/import?import=${i.id}`} className="link" aria-label={t("history.openLabel", { file: i.fileName })}>
                        {t("history.open")}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </section>
      ) : null}
    </div>
  );
}
