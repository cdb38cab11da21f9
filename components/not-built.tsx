import { getTranslations } from "next-intl/server";

/** A section that is not built yet says so plainly. */
export async function NotBuilt({ section }: { section: "learners" | "deliveries" }) {
  const t = await getTranslations("tenant");
  const nav = await getTranslations("nav");
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-semibold">{nav(section)}</h1>
      <p className="text-slate-700">{t(`sections.${section}`)}</p>
      <p className="card text-slate-800">{t("notBuiltText")}</p>
    </div>
  );
}
