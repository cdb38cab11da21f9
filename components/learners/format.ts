import type { Locale } from "@/lib/i18n/locale";

const TAG: Record<Locale, string> = { de: "de-DE", en: "en-GB" };

/** An instant's calendar day in the tenant's time zone, as people of the locale write it. */
export function formatDay(at: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(TAG[locale], { dateStyle: "medium", timeZone }).format(at);
}

/** An instant with its time of day in the tenant's time zone. */
export function formatInstant(at: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(TAG[locale], { dateStyle: "medium", timeStyle: "short", timeZone }).format(at);
}
