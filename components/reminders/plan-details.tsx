import { getTranslations } from "next-intl/server";
import type { Locale } from "@/lib/i18n/locale";
import type { PlanSchedule, TemplateSet } from "@/lib/reminders/plan-schema";
import { describeSchedule, weekdayName } from "@/lib/reminders/preview";
import { formatIsoDate } from "./dates";

/** A plan as text, for people who may read but not change it. */
export async function PlanDetails({
  plan,
  trainingName,
  locale,
}: {
  plan: { name: string; active: boolean; schedule: PlanSchedule; templates: TemplateSet };
  trainingName: string;
  locale: Locale;
}) {
  const t = await getTranslations("reminders.details");
  const s = plan.schedule;
  const rows: [string, string][] = [
    [t("training"), trainingName],
    [t("status"), plan.active ? t("active") : t("inactive")],
    [t("schedule"), describeSchedule(s, locale)],
    [t("timezone"), s.timezone],
    [t("endDate"), s.endDate ? formatIsoDate(s.endDate, locale) : t("none")],
  ];
  if (s.escalateAfterSends !== null) {
    rows.push([
      t("digest"),
      t("digestValue", { k: s.escalateAfterSends, weekday: weekdayName(s.digestWeekday ?? 1, locale), time: s.digestTime ?? "" }),
    ]);
  }
  return (
    <div className="space-y-6">
      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading" className="text-lg font-semibold">
          {t("title")}
        </h2>
        <dl className="mt-3 grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="font-medium text-slate-700">{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="card space-y-4" aria-labelledby="texts-heading">
        <h2 id="texts-heading" className="text-lg font-semibold">
          {t("templates")}
        </h2>
        {(["de", "en"] as const).map((l) =>
          plan.templates[l].map((v, i) => (
            <div key={`${l}-${i}`} className="space-y-1">
              <h3 className="text-sm font-semibold">{t("variantOf", { n: i + 1, language: l === "de" ? "Deutsch" : "English" })}</h3>
              <p className="text-sm">
                <span className="font-medium">{t("subject")}: </span>
                {v.subject}
              </p>
              <pre className="whitespace-pre-wrap rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">{v.body}</pre>
            </div>
          )),
        )}
      </section>
    </div>
  );
}
