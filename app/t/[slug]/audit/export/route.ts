import { auditLabels, type AuditT } from "@/components/audit/labels";
import { auditCsvStream, auditListState } from "@/lib/audit/read";
import { translator } from "@/app/_i18n/translator";
import { tenantRoute } from "@/app/_server/guard";
import { sectionRoles } from "../../sections";

/**
 * The filtered audit trail as CSV for German Excel: UTF-8 with BOM, ";" between fields
 * (see lib/audit/read.ts csvLine), streamed page by page. The same filters as the page.
 */
export const GET = tenantRoute<{ slug: string }>(sectionRoles("audit"), async ({ db, tenant, locale }, request) => {
  const search = Object.fromEntries(new URL(request.url).searchParams);
  const { filter } = auditListState(search, tenant.timezone);
  const t = translator(locale, "audit");
  const labels = auditLabels(t as unknown as AuditT);
  const columns = ["time", "actor", "area", "what", "action", "target", "details"] as const;
  const stream = auditCsvStream(db, {
    tenantId: tenant.id,
    timezone: tenant.timezone,
    filter,
    text: { header: columns.map((c) => t(`csvHeader.${c}`)), ...labels },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${tenant.slug}.csv"`,
    },
  });
});
