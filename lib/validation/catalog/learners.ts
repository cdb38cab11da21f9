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
  // API keys (lib/api-keys/schema.ts)
  "apiKeys.expiry": {
    de: "Bitte ein Datum (JJJJ-MM-TT) oder einen Zeitpunkt nach ISO 8601 mit Zeitzone angeben.",
    en: "Please give a date (YYYY-MM-DD) or an ISO 8601 instant with a time zone.",
  },
  "apiKeys.expiryPast": { de: "Das Ablaufdatum muss in der Zukunft liegen.", en: "The expiry must be in the future." },
  "learners.duplicateInBatch": {
    de: "Diese externe ID steht weiter oben schon einmal in der Liste.",
    en: "This external ID already appears earlier in the list.",
  },
  "learners.cursor": {
    de: "Diese Seitenmarke ist ungültig; bitte von der ersten Seite an blättern.",
    en: "This page marker is not valid; please start again from the first page.",
  },
  "learnerImport.columnRequired": {
    de: "Bitte die Spalte für dieses Feld wählen.",
    en: "Please choose the column for this field.",
  },
  "learnerImport.needsTraining": {
    de: "Ein Datum der Zuweisung braucht auch die Spalte der Schulung.",
    en: "An assignment date also needs the training column.",
  },
  "learnerImport.cell": { de: "Spalte „{column}“: {message}", en: "Column \"{column}\": {message}" },
  "learnerImport.date": {
    de: "Kein Datum, das wir lesen können (z. B. 31.05.2026 oder 2026-05-31).",
    en: "Not a date we can read (e.g. 31.05.2026 or 2026-05-31).",
  },
  "learnerImport.active": {
    de: "Bitte ja oder nein (auch 1 / 0, x oder leer für ja).",
    en: "Please yes or no (also 1 / 0, x, or empty for yes).",
  },
  "learnerImport.unknownTraining": {
    de: "Keine Schulung dieses Mandanten hat diese externe ID oder diesen Namen: {value}.",
    en: "No training of this tenant has this external ID or name: {value}.",
  },
  "learnerImport.duplicate": {
    de: "Dieselbe Person mit derselben Schulung steht schon in Zeile {line}; nur die erste Zeile wird übernommen.",
    en: "The same person with the same training is already in line {line}; only the first line is taken.",
  },
  "learnerImport.noFile": { de: "Bitte eine CSV-Datei wählen.", en: "Please choose a CSV file." },
  "learnerImport.tooLarge": {
    de: "Die Datei ist größer als {maximum} MB.",
    en: "The file is larger than {maximum} MB.",
  },
  "learnerImport.tooManyRows": {
    de: "Die Datei hat mehr als {maximum} Zeilen. Bitte in mehrere Dateien teilen.",
    en: "The file has more than {maximum} rows. Please split it into several files.",
  },
  "learnerImport.noRows": {
    de: "Die Datei hat unter der Kopfzeile keine Zeile.",
    en: "The file has no row below its header line.",
  },
  "learnerImport.columnMissing": {
    de: "Diese Spalte gibt es in der Datei nicht.",
    en: "The file has no such column.",
  },
  "learnerImport.notNow": {
    de: "Dieser Import läuft schon oder ist abgeschlossen.",
    en: "This import is already running or finished.",
  },
  "learnerImport.checkFirst": {
    de: "Bitte zuerst die Probe ausführen.",
    en: "Please run the check first.",
  },
};
