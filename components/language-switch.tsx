import { getLocale, getTranslations } from "next-intl/server";

/** Two buttons in a plain form: works without JavaScript and by keyboard. The page passes the action. */
export async function LanguageSwitch({ action }: { action: (formData: FormData) => Promise<void> }) {
  const locale = await getLocale();
  const t = await getTranslations("common");
  return (
    <form action={action} aria-label={t("language")} className="flex items-center gap-1 text-sm">
      {(["de", "en"] as const).map((l) => (
        <button
          key={l}
          type="submit"
          name="locale"
          value={l}
          lang={l}
          aria-pressed={locale === l}
          className={
            locale === l
              ? "rounded px-2 py-1 font-semibold text-brand-800 underline underline-offset-4"
              : "rounded px-2 py-1 text-slate-700 hover:bg-slate-200"
          }
        >
          {l === "de" ? t("german") : t("english")}
        </button>
      ))}
    </form>
  );
}
