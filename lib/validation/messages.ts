import type { Localized } from "../i18n/locale";
import { domainValidationMessages } from "./catalog/domain";
import { learnerValidationMessages } from "./catalog/learners";
import { reminderValidationMessages } from "./catalog/reminders";
import { reviewValidationMessages } from "./catalog/review";
import { senderValidationMessages } from "./catalog/sender";

/**
 * Validation messages. Zod schemas use these keys as their `error` text
 * (e.g. `z.string().min(1, { error: "v.required" })`); localizeIssues() turns them
 * into the user's language. Placeholders come from the issue ({minimum}, {maximum})
 * or from `params` set on a custom issue.
 */
const baseMessages: Record<string, Localized> = {
  "v.required": { de: "Bitte ausfüllen.", en: "Please fill this in." },
  "v.invalid": { de: "Dieser Wert ist ungültig.", en: "This value is not valid." },
  "v.tooShort": { de: "Mindestens {minimum} Zeichen.", en: "At least {minimum} characters." },
  "v.tooLong": { de: "Höchstens {maximum} Zeichen.", en: "At most {maximum} characters." },
  "v.tooSmall": { de: "Mindestens {minimum}.", en: "At least {minimum}." },
  "v.tooBig": { de: "Höchstens {maximum}.", en: "At most {maximum}." },
  "v.integer": { de: "Bitte eine ganze Zahl eingeben.", en: "Please enter a whole number." },
  "v.email": { de: "Bitte eine gültige E-Mail-Adresse eingeben.", en: "Please enter a valid e-mail address." },
  "v.choice": { de: "Bitte eine der angebotenen Möglichkeiten wählen.", en: "Please choose one of the offered options." },
  "v.slug": {
    de: "Nur Kleinbuchstaben, Ziffern und Bindestriche (2–40 Zeichen), beginnend mit einem Buchstaben.",
    en: "Only lower-case letters, digits and hyphens (2–40 characters), starting with a letter.",
  },
  "v.timezone": { de: "Unbekannte Zeitzone (z. B. Europe/Berlin).", en: "Unknown time zone (e.g. Europe/Berlin)." },
  "v.password": {
    de: "Das Passwort braucht mindestens 12 Zeichen.",
    en: "The password needs at least 12 characters.",
  },
  "v.date": { de: "Bitte ein Datum im Format JJJJ-MM-TT eingeben.", en: "Please enter a date as YYYY-MM-DD." },
  "v.time": { de: "Bitte eine Uhrzeit im Format HH:MM eingeben.", en: "Please enter a time as HH:MM." },
};

/** Every validation message: the generic `v.*` keys and each domain's own catalog. */
export const validationMessages: Record<string, Localized> = {
  ...baseMessages,
  ...senderValidationMessages,
  ...domainValidationMessages,
  ...reminderValidationMessages,
  ...learnerValidationMessages,
  ...reviewValidationMessages,
};
