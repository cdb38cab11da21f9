import { createTranslator } from "next-intl";
import type { Locale } from "@/lib/i18n/locale";
import { messagesFor, type Messages } from "./catalog";

/** Translations for server actions: works inside and outside a Next request. */
export function translator<N extends keyof Messages>(locale: Locale, namespace: N) {
  return createTranslator({ locale, messages: messagesFor(locale), namespace });
}
