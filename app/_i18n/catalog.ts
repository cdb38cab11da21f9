import type { Locale } from "@/lib/i18n/locale";
import de from "./messages/de.json";
import en from "./messages/en.json";

// One catalog per language; every key exists in both (messages.test.ts).
const catalogs = { de, en };

export type Messages = (typeof catalogs)["de"];

export function messagesFor(locale: Locale): Messages {
  return catalogs[locale] as Messages;
}
