/** A stored instant in the tenant's time zone (server and browser render the same text). */
export function formatWhen(iso: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso));
}
