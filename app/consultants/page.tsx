import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AppHeader } from "@/components/app-header";
import { headerAlerts } from "@/app/_server/header-alerts";
import { CreateUserForm } from "@/components/create-user-form";
import { UserTable } from "@/components/user-table";
import { listConsultants } from "@/lib/users/queries";
import { requireActor } from "../_server/guard";
import { createConsultantAction, setConsultantDisabledAction } from "./actions";
import { ClientMessages } from "@/app/_i18n/client-messages";
import { setLocaleAction } from "@/app/_server/locale-action";

export const metadata: Metadata = { title: "Consultants / Beratung" };

export default async function ConsultantsPage() {
  const { db, actor } = await requireActor();
  if (actor.role !== "consultant") notFound();
  const t = await getTranslations("users");
  const users = await listConsultants(db);
  return (
    <>
      <AppHeader actor={actor} unreadAlerts={await headerAlerts(actor)} setLocale={setLocaleAction} />
      <main id="main" className="mx-auto max-w-6xl space-y-6 px-6 py-8">
        <div>
          <h1 className="text-2xl font-semibold">{t("consultantsTitle")}</h1>
          <p className="mt-1 text-slate-700">{t("consultantsIntro")}</p>
        </div>
        <section className="card" aria-label={t("consultantsTitle")}>
          <UserTable users={users} selfId={actor.id} toggle={setConsultantDisabledAction} />
        </section>
        <section className="card space-y-4" aria-labelledby="create-consultant-heading">
          <h2 id="create-consultant-heading" className="text-lg font-semibold">
            {t("createTitle")}
          </h2>
          <ClientMessages namespaces={["users", "common"]}>
            <CreateUserForm action={createConsultantAction} roles={[]} />
          </ClientMessages>
        </section>
      </main>
    </>
  );
}
