import { getLocale, getTranslations } from "next-intl/server";
import { CheckDiffView } from "@/components/domain/check-diff";
import { CheckHistory } from "@/components/domain/check-history";
import { config } from "@/lib/config/platform-profile";
import { validateDomain } from "@/lib/domain-check/domain";
import { customerDomainFromAddress, listDomainChecks } from "@/lib/domain-check/queries";
import { latestCheckView, listDkimKeyViews, loadCheckView, whatChanged } from "@/lib/domain-check/service";
import { requireTenantPage } from "@/app/_server/guard";
import { sectionRoles } from "../sections";
import { generateDkimKeyAction, sendInstructionsAction, startDomainCheckAction } from "./actions";
import { ClientMessages } from "@/app/_i18n/client-messages";
import { DkimPanel, DomainCheckPanel } from "@/components/domain/islands";

export async function generateMetadata() {
  const t = await getTranslations("domain");
  return { title: t("title") };
}

const PAGE_SIZE = 10;

export default async function DomainPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const { db, tenant } = await requireTenantPage(slug, sectionRoles("domain"));
  const query = await searchParams;
  const t = await getTranslations("domain");
  const locale = (await getLocale()) === "en" ? "en" : "de";
  const now = new Date();

  // The domain: chosen in the address (after a check, or from the history), else the
  // sender settings' own-domain From address, else none yet.
  const asked = typeof query.domain === "string" ? validateDomain(query.domain) : null;
  const fromAddress = await customerDomainFromAddress(db, { tenantId: tenant.id });
  const senderDomain = fromAddress ? validateDomain(fromAddress.slice(fromAddress.lastIndexOf("@") + 1)) : null;
  const domain = asked?.ok ? asked.domain : senderDomain?.ok ? senderDomain.domain : null;
  const page = Math.max(1, Number.parseInt(typeof query.page === "string" ? query.page : "1", 10) || 1);
  const checkId = typeof query.check === "string" ? query.check : null;

  const [picked, latest, diff, keys, history] = await Promise.all([
    checkId && /^[0-9a-f-]{36}$/i.test(checkId) ? loadCheckView(db, { tenantId: tenant.id, id: checkId, now }) : null,
    domain ? latestCheckView(db, { tenantId: tenant.id, domain, now }) : null,
    domain ? whatChanged(db, { tenantId: tenant.id, domain }) : null,
    domain ? listDkimKeyViews(db, { tenantId: tenant.id, domain }) : [],
    listDomainChecks(db, { tenantId: tenant.id, ...(domain ? { domain } : {}), page, pageSize: PAGE_SIZE }),
  ]);
  const shown = picked && (!domain || picked.domain === domain) ? picked : latest;

  // One provider for the page's client islands (check panel, DKIM panel).
  return (
    <ClientMessages namespaces={["domain"]}>
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="mt-1 max-w-3xl text-slate-700">{t("intro")}</p>
      </div>
      <DomainCheckPanel
        key={domain ?? ""}
        tenantSlug={tenant.slug}
        timeZone={tenant.timezone}
        initialDomain={domain ?? ""}
        initialSelector={keys[0]?.selector ?? ""}
        initialCheck={shown}
        startAction={startDomainCheckAction}
        instructionsAction={sendInstructionsAction}
        relayConfigured={!!config().SMTP_RELAY_URL}
        senderSlugLink={!!domain && senderDomain?.ok === true && senderDomain.domain === domain}
        diff={diff && domain ? <CheckDiffView diff={diff} domain={domain} locale={locale} timeZone={tenant.timezone} /> : null}
        diffDomain={domain}
      />
      {domain ? <DkimPanel tenantSlug={tenant.slug} domain={domain} keys={keys} action={generateDkimKeyAction} /> : null}
      <CheckHistory
        tenantSlug={tenant.slug}
        domain={domain}
        rows={history.rows}
        total={history.total}
        rechecked={!!domain && senderDomain?.ok === true && senderDomain.domain === domain}
        page={page}
        pageSize={PAGE_SIZE}
        locale={locale}
        timeZone={tenant.timezone}
        now={now}
      />
    </div>
    </ClientMessages>
  );
}
