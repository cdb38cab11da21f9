import { getTranslations } from "next-intl/server";
import { CreateUserForm } from "@/components/create-user-form";
import { UserTable } from "@/components/user-table";
import { assignableRoles } from "@/lib/auth/policy";
import { listTenantUsers } from "@/lib/users/queries";
import { requireTenantPage } from "@/app/_server/guard";
import { sectionRoles } from "../sections";
import { createTenantUserAction, setTenantUserDisabledAction } from "./actions";
import { ClientMessages } from "@/app/_i18n/client-messages";

export default async function UsersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, actor, tenant } = await requireTenantPage(slug, sectionRoles("users"));
  const t = await getTranslations("users");
  const users = await listTenantUsers(db, { tenantId: tenant.id });
  const roles = assignableRoles(actor);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="mt-1 text-slate-700">{t("intro")}</p>
      </div>
      <section className="card" aria-label={t("title")}>
        <UserTable users={users} selfId={actor.id} toggle={setTenantUserDisabledAction} tenantSlug={tenant.slug} />
      </section>
      <section className="card space-y-4" aria-labelledby="create-user-heading">
        <h2 id="create-user-heading" className="text-lg font-semibold">
          {t("createTitle")}
        </h2>
        <ClientMessages namespaces={["users", "common"]}>
          <CreateUserForm action={createTenantUserAction} roles={roles} tenantSlug={tenant.slug} />
        </ClientMessages>
      </section>
    </div>
  );
}
