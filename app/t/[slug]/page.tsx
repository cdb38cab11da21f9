import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { config } from "@/lib/config/platform-profile";
import { listLearners } from "@/lib/learners/queries";
import { learnerListQuerySchema } from "@/lib/learners/schema";
import { countActivePlans } from "@/lib/reminders/queries";
import { loadSendingVerdict } from "@/lib/sender/sending-block";
import { setupChecklist, type StepState } from "@/lib/setup/checklist";
import { listTenantUsers } from "@/lib/users/queries";
import { requireTenantPage } from "@/app/_server/guard";
import { visibleSections } from "@/lib/auth/policy";

const NOT_BUILT = new Set<string>(["deliveries"]);

const TONE: Record<StepState, string> = {
  done: "border-emerald-300 bg-emerald-50 text-emerald-900",
  todo: "border-amber-300 bg-amber-50 text-amber-950",
  waiting: "border-sky-300 bg-sky-50 text-sky-950",
  blocked: "border-red-300 bg-red-50 text-red-900",
  not_built: "border-slate-300 bg-slate-100 text-slate-800",
};

export default async function TenantOverview({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, actor, tenant } = await requireTenantPage(slug);
  const t = await getTranslations("tenant");
  const ts = await getTranslations("setup");
  const nav = await getTranslations("nav");
  const tc = await getTranslations("common");
  const sections = visibleSections(actor);
  const header = (
    <div>
      <h1 className="text-2xl font-semibold">{tenant.name}</h1>
      <p className="mt-1 text-slate-700">{t("overviewIntro")}</p>
      <p className="mt-2 text-sm text-slate-700">
        {t("timezone", { tz: tenant.timezone })} · {t("locale", { locale: tenant.locale === "de" ? tc("german") : tc("english") })}
      </p>
    </div>
  );

  if (actor.role === "trainer") {
    // Trainers only read plans: say so, and whom to ask for changes.
    const admins = (await listTenantUsers(db, { tenantId: tenant.id })).filter((u) => u.role === "admin" && !u.disabledAt);
    return (
      <div className="space-y-6">
        {header}
        <section className="card space-y-3" aria-labelledby="trainer-heading" data-testid="trainer-overview">
          <h2 id="trainer-heading" className="text-lg font-semibold">
            {ts("trainerTitle")}
          </h2>
          <p className="text-sm text-slate-800">{ts("trainerText")}</p>
          {admins.length > 0 ? (
            <>
              <p className="text-sm text-slate-800">{ts("trainerAsk")}</p>
              <ul className="list-disc pl-5 text-sm">
                {admins.map((a) => (
                  <li key={a.id}>
                    {a.name ? `${a.name} – ` : null}
                    <a className="link" href={`mailto:${a.email}`}>
                      {a.email}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="text-sm text-slate-800">{ts("trainerAskNobody")}</p>
          )}
          <p className="flex flex-wrap gap-2">
            <Link className="btn-primary inline-block" href={`/t/${tenant.slug}/reminders`}>
              {ts("openReminders")}
            </Link>
            <Link className="btn-secondary inline-block" href={`/t/${tenant.slug}/learners`}>
              {ts("openLearners")}
            </Link>
          </p>
        </section>
      </div>
    );
  }

  const relayConfigured = !!config().SMTP_RELAY_URL;
  const now = new Date();
  const [{ overview }, activePlans, firstLearner] = await Promise.all([
    loadSendingVerdict(db, { tenantId: tenant.id, relayConfigured, viewer: actor.role, now }),
    countActivePlans(db, { tenantId: tenant.id }),
    // One row is enough to know whether learners have arrived (no count over all of them).
    listLearners(db, { tenantId: tenant.id, query: learnerListQuerySchema.parse({ limit: 1 }), now }),
  ]);
  const hasLearners = firstLearner.items.length > 0;
  const list = setupChecklist({ sender: overview, relayConfigured, activePlans, hasLearners, viewer: actor.role });

  return (
    <div className="space-y-6">
      {header}
      <section className="card space-y-4" aria-labelledby="setup-heading" data-testid="setup-checklist">
        <div>
          <h2 id="setup-heading" className="text-lg font-semibold">
            {ts("title")}
          </h2>
          <p className="mt-1 text-sm text-slate-700">{ts("progress", { done: list.done, total: list.steps.length })}</p>
        </div>
        <ol className="space-y-3">
          {list.steps.map((step, i) => {
            const isNext = list.next === step.key;
            return (
              <li
                key={step.key}
                className={`flex flex-wrap items-start gap-3 rounded-md border p-3 ${isNext ? "border-brand-700 ring-2 ring-brand-700" : "border-slate-200"}`}
                data-testid={`setup-step-${step.key}`}
                data-state={step.state}
                aria-current={isNext ? "step" : undefined}
              >
                <span className="flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-slate-200 text-sm font-semibold text-slate-900" aria-hidden="true">
                  {i + 1}
                </span>
                <div className="min-w-0 flex-1">
                  <p className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">{ts(`steps.${step.key}`)}</span>
                    <span className={`rounded-full border px-2 py-0.5 text-xs font-medium ${TONE[step.state]}`}>{ts(`state.${step.state}`)}</span>
                    {isNext ? <span className="text-xs font-semibold text-brand-700">{ts("next")}</span> : null}
                  </p>
                  <p className="mt-1 text-sm text-slate-700">{ts(`detail.${step.detail}` as "detail.mode_missing")}</p>
                </div>
                {step.section && step.state !== "done" ? (
                  <Link className={isNext ? "btn-primary" : "btn-secondary"} href={`/t/${tenant.slug}/${step.section}`}>
                    {ts(`action.${step.section}`)}
                  </Link>
                ) : null}
              </li>
            );
          })}
        </ol>
      </section>

      <section aria-labelledby="sections-heading" className="space-y-3">
        <h2 id="sections-heading" className="text-lg font-semibold">
          {ts("sectionsTitle")}
        </h2>
        <ul className="grid gap-4 sm:grid-cols-2">
          {sections
            .filter((s) => !NOT_BUILT.has(s.key))
            .map((s) => (
              <li key={s.key} className="card">
                <h3 className="text-base font-semibold">
                  <Link className="link" href={`/t/${tenant.slug}/${s.path}`}>
                    {nav(s.key)}
                  </Link>
                </h3>
                <p className="mt-1 text-sm text-slate-700">{t(`sections.${s.key}`)}</p>
              </li>
            ))}
        </ul>
      </section>

      <section aria-labelledby="not-built-heading" className="space-y-2 rounded-lg border border-dashed border-slate-300 p-4" data-testid="not-built-sections">
        <h2 id="not-built-heading" className="text-base font-semibold text-slate-800">
          {ts("notBuiltTitle")}
        </h2>
        <p className="text-sm text-slate-700">{ts("notBuiltIntro")}</p>
        <ul className="list-disc pl-5 text-sm text-slate-700">
          {sections
            .filter((s) => NOT_BUILT.has(s.key))
            .map((s) => (
              <li key={s.key}>
                <span className="font-medium">{nav(s.key)}</span>: {t(`sections.${s.key}`)}
              </li>
            ))}
        </ul>
      </section>
    </div>
  );
}
