import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requireTenantPage } from "@/app/_server/guard";
import { visibleSections } from "@/lib/auth/policy";

export default async function TenantOverview({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, tenant } = await requireTenantPage(slug);
  const t = await getTranslations("tenant");
  const nav = await getTranslations("nav");
  const tc = await getTranslations("common");
  const sections = visibleSections(actor);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{tenant.name}</h1>
        <p className="mt-1 text-slate-700">{t("overviewIntro")}</p>
        <p className="mt-2 text-sm text-slate-700">
          {t("timezone", { tz: tenant.timezone })} · {t("locale", { locale: tenant.locale === "de" ? tc("german") : tc("english") })}
        </p>
      </div>
      <ul className="grid gap-4 sm:grid-cols-2">
        {sections.map((s) => (
          <li key={s.key} className="card">
            <h2 className="text-lg font-semibold">
              <Link className="link" href={`/t/${tenant.slug}/${s.key}`}>
                {nav(s.key)}
              </Link>
            </h2>
            <p className="mt-1 text-sm text-slate-700">{t(`sections.${s.key}`)}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
