import type { Locale } from "@/lib/i18n/locale";

const FORMAT: Record<Locale, Intl.DateTimeFormat> = {
  de: new Intl.DateTimeFormat("de-DE", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" }),
  en: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }),
};

/** A calendar day ("2027-01-27") as people of the locale write it: "27.01.2027", "27 Jan 2027". */
export function formatIsoDate(iso: string, locale: Locale): string {
  const at = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(at.getTime()) ? iso : FORMAT[locale].format(at);
}
