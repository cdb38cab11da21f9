import type { Locale } from "@/lib/i18n/locale";
import de from "./messages/de.json";
import en from "./messages/en.json";
import domainDe from "./messages/domain.de.json";
import domainEn from "./messages/domain.en.json";
import remindersDe from "./messages/reminders.de.json";
import remindersEn from "./messages/reminders.en.json";
import senderDe from "./messages/sender.de.json";
import senderEn from "./messages/sender.en.json";

// The shell's messages plus one file per section (sender, domain, reminders), so that
// each section owns its texts. Keys of every file exist in both languages.
const catalogs = {
  de: { ...de, sender: senderDe, domain: domainDe, reminders: remindersDe },
  en: { ...en, sender: senderEn, domain: domainEn, reminders: remindersEn },
};

export type Messages = (typeof catalogs)["de"];

export function messagesFor(locale: Locale): Messages {
  return catalogs[locale] as Messages;
}
