import { createTranslator } from "next-intl";
import type { Locale } from "@/lib/i18n/locale";
import de from "./messages/de.json";
import en from "./messages/en.json";

const catalogs = { de, en } as const;
type Messages = typeof de;

/** Translations for server actions: works inside and outside a Next request. */
export function translator<N extends keyof Messages>(locale: Locale, namespace: N) {
  return createTranslator({ locale, messages: catalogs[locale] as Messages, namespace });
}
