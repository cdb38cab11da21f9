import { getTranslations } from "next-intl/server";
import { AppHeader } from "@/components/app-header";
import { headerAlerts } from "@/app/_server/header-alerts";
import { TenantNav } from "@/components/tenant-nav";
import { requireTenantPage } from "@/app/_server/guard";
import { visibleSections } from "@/lib/auth/policy";
import { setLocaleAction } from "@/app/_server/locale-action";

export default async function TenantLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  const { actor, tenant } = await requireTenantPage(slug);
  const t = await getTranslations("nav");
  const items = [
    { href: `/t/${tenant.slug}`, label: t("overview") },
    ...visibleSections(actor).map((s) => ({
      href: `/t/${tenant.slug}/${s.path}`,
      label: t(s.key),
    })),
  ];
  return (
    <>
      <AppHeader actor={actor} unreadAlerts={await headerAlerts(actor)} setLocale={setLocaleAction} />
      <div className="mx-auto flex max-w-6xl flex-col gap-6 px-6 py-6 md:flex-row">
        <aside className="md:w-56 md:shrink-0">
          <p className="mb-3 px-3 text-sm font-semibold text-slate-900" data-testid="tenant-name">
            {tenant.name}
          </p>
          <TenantNav label={t("sections")} items={items} />
        </aside>
        <main id="main" className="min-w-0 flex-1">
          {children}
        </main>
      </div>
    </>
  );
}
