import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { TrainingForm } from "@/components/reminders/training-form";
import { getTraining } from "@/lib/reminders/queries";
import { requireTenantPage } from "@/app/_server/guard";
import { saveTrainingAction } from "../../actions";
import { REMINDER_EDITORS } from "../../roles";
import { ClientMessages } from "@/app/_i18n/client-messages";

export default async function TrainingPage({ params }: { params: Promise<{ slug: string; trainingId: string }> }) {
  const { slug, trainingId } = await params;
  const { db, tenant } = await requireTenantPage(slug, REMINDER_EDITORS);
  if (!/^[0-9a-f-]{36}$/i.test(trainingId)) notFound();
  const training = await getTraining(db, { tenantId: tenant.id, trainingId });
  if (!training) notFound();
  const t = await getTranslations("reminders");
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link className="link" href={`/t/${tenant.slug}/reminders`}>
            {t("editor.back")}
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-semibold">{t("training.editTitle", { name: training.name })}</h1>
      </div>
      <section className="card" aria-label={t("training.editTitle", { name: training.name })}>
        <ClientMessages namespaces={["reminders.training"]}>
          <TrainingForm action={saveTrainingAction} tenantSlug={tenant.slug} training={training} />
        </ClientMessages>
      </section>
    </div>
  );
}
