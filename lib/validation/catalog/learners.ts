import type { Localized } from "../../i18n/locale";

/** Field messages of learners, assignments, API keys and the CSV import. */
export const learnerValidationMessages: Record<string, Localized> = {
  "learners.externalId": {
    de: "Eine externe ID ohne Leerzeichen und ohne / \\ ? # %.",
    en: "An external ID without spaces and without / \\ ? # %.",
  },
  "learners.instant": {
    de: "Bitte einen Zeitpunkt nach ISO 8601 mit Zeitzone angeben, z. B. 2026-05-04T07:30:00Z.",
    en: "Please give an ISO 8601 instant with a time zone, e.g. 2026-05-04T07:30:00Z.",
  },
  "learners.link": {
    de: "Bitte eine Webadresse mit https:// angeben.",
    en: "Please give a web address starting with https://.",
  },
  "learners.batchEmpty": { de: "Die Liste enthält keinen Eintrag.", en: "The list holds no entry." },
  "learners.batchTooBig": {
    de: "Höchstens {maximum} Einträge je Aufruf.",
    en: "At most {maximum} entries per call.",
  },
  "learners.duplicateInBatch": {
    de: "Diese externe ID steht weiter oben schon einmal in der Liste.",
    en: "This external ID already appears earlier in the list.",
  },
  "learners.cursor": {
    de: "Diese Seitenmarke ist ungültig; bitte von der ersten Seite an blättern.",
    en: "This page marker is not valid; please start again from the first page.",
  },
};
