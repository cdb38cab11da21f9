import type { Locale } from "@/lib/i18n/locale";

// The few texts the guard itself returns; everything else lives in the message files.
const texts = {
  signedOut: { de: "Sie sind nicht mehr angemeldet. Bitte melden Sie sich erneut an.", en: "You are no longer signed in. Please sign in again." },
  forbidden: { de: "Dafür fehlt Ihnen die Berechtigung.", en: "You do not have permission to do this." },
  notFound: { de: "Nicht gefunden.", en: "Not found." },
  checkFields: { de: "Bitte prüfen Sie die markierten Felder.", en: "Please check the marked fields." },
  unexpected: { de: "Etwas ist schiefgegangen. Bitte versuchen Sie es noch einmal.", en: "Something went wrong. Please try again." },
} as const;

export function serverText(locale: Locale) {
  return (key: keyof typeof texts) => texts[key][locale];
}
