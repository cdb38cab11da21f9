import { getTranslations } from "next-intl/server";
import { AppHeader } from "@/components/app-header";
import { headerAlerts } from "@/app/_server/header-alerts";
import { requireActor } from "../_server/guard";
import { setLocaleAction } from "@/app/_server/locale-action";

export default async function NoTenantPage() {
  const { actor } = await requireActor();
  const t = await getTranslations("common");
  return (
    <>
      <AppHeader actor={actor} unreadAlerts={await headerAlerts(actor)} setLocale={setLocaleAction} />
      <main id="main" className="mx-auto max-w-xl px-6 py-16">
        <h1 className="text-2xl font-semibold">{t("noTenantTitle")}</h1>
        <p className="mt-3 text-slate-700">{t("noTenantText")}</p>
      </main>
    </>
  );
}
