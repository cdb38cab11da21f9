import type { Localized } from "../../i18n/locale";

/**
 * Field messages for reminder plans and templates, keyed like lib/validation/messages.ts
 * (the zod schemas in plan-schema.ts use these keys as their error text; placeholders
 * come from the issue's `params`). Written for the HR person who fills in the form,
 * not for a developer. To be merged into validationMessages.
 *
 * In the mustache examples, `{{{name}}}` is "{{" + the {name} placeholder + "}}".
 */
export const reminderValidationMessages: Record<string, Localized> = {
  "plan.startDateRequired": {
    de: "Bei einem festen Start braucht die Erinnerung ein Startdatum.",
    en: "A reminder with a fixed start needs a start date.",
  },
  "plan.endDateRequired": {
    de: "Eine wiederholte Erinnerung braucht ein Enddatum, damit sie aufhört.",
    en: "A repeating reminder needs an end date, so that it stops.",
  },
  "plan.endDateRequiredForDigest": {
    de: "Mit Eskalation braucht der Plan ein Enddatum: Dann endet auch die wöchentliche Übersicht.",
    en: "With escalation the plan needs an end date: the weekly overview stops then.",
  },
  "plan.endBeforeStart": {
    de: "Das Enddatum liegt vor dem Startdatum ({startDate}).",
    en: "The end date is before the start date ({startDate}).",
  },
  "plan.endDateTooFar": {
    de: "Das Enddatum darf höchstens 365 Tage nach der ersten Erinnerung liegen (spätestens {latest}).",
    en: "The end date may be at most 365 days after the first reminder (at the latest {latest}).",
  },
  "plan.weekday": {
    de: "Bitte einen Wochentag von Montag bis Sonntag wählen.",
    en: "Please choose a weekday from Monday to Sunday.",
  },
  "plan.digestWeekdayRequired": {
    de: "Bitte wählen, an welchem Wochentag die verantwortliche Person die Übersicht bekommt.",
    en: "Please choose the weekday on which the responsible person gets the overview.",
  },
  "plan.digestTimeRequired": {
    de: "Bitte wählen, um welche Uhrzeit die verantwortliche Person die Übersicht bekommt.",
    en: "Please choose the time at which the responsible person gets the overview.",
  },
  "plan.escalateNeverReached": {
    de: "Die Eskalation nach {k} Erinnerungen kommt nie: Es werden höchstens {max} Erinnerungen verschickt.",
    en: "Escalation after {k} reminders never happens: at most {max} reminders are sent.",
  },
  "plan.instant": {
    de: "Bitte einen Zeitpunkt mit Zeitzone angeben (z. B. 2026-05-04T07:30:00Z).",
    en: "Please give a point in time with its time zone (e.g. 2026-05-04T07:30:00Z).",
  },
  "plan.template.noLocale": {
    de: "Bitte den Erinnerungstext in mindestens einer Sprache schreiben.",
    en: "Please write the reminder text in at least one language.",
  },
  "plan.template.tooManyVariants": {
    de: "Höchstens 3 Varianten pro Sprache.",
    en: "At most 3 variants per language.",
  },
  "plan.template.subjectOneLine": {
    de: "Der Betreff muss in eine Zeile passen.",
    en: "The subject must fit on one line.",
  },
  "plan.template.unknownVariable": {
    de: "Den Platzhalter {{{name}}} gibt es nicht. Bitte einen der angebotenen Platzhalter verwenden.",
    en: "There is no placeholder {{{name}}}. Please use one of the offered placeholders.",
  },
  "plan.template.unknownVariableDidYouMean": {
    de: "Den Platzhalter {{{name}}} gibt es nicht. Meinten Sie {{{suggestion}}}?",
    en: "There is no placeholder {{{name}}}. Did you mean {{{suggestion}}}?",
  },
  "plan.template.sectionNotAllowed": {
    de: "Bedingungen und Schleifen ({{{name}}} …) sind in Erinnerungen nicht möglich. Bitte nur einfache Platzhalter wie {{learnerFirstName}} verwenden.",
    en: "Conditions and loops ({{{name}}} …) are not available in reminders. Please use simple placeholders like {{learnerFirstName}} only.",
  },
  "plan.template.partialNotAllowed": {
    de: "Andere Vorlagen einbinden ({{{name}}}) ist nicht möglich.",
    en: "Including other templates ({{{name}}}) is not available.",
  },
  "plan.template.unescapedNotAllowed": {
    de: "Dreifache Klammern und {{& …}} sind nicht möglich. Bitte {{{name}}} mit zwei Klammern schreiben.",
    en: "Triple braces and {{& …}} are not available. Please write {{{name}}} with two braces.",
  },
  "plan.template.delimiterNotAllowed": {
    de: "Die Schreibweise der Platzhalter lässt sich nicht ändern ({{= … =}}).",
    en: "The way placeholders are written cannot be changed ({{= … =}}).",
  },
  "plan.template.syntax": {
    de: "Ein Platzhalter ist nicht richtig geschrieben (bei Zeichen {position}). Jeder sieht so aus: {{learnerFirstName}}.",
    en: "A placeholder is not written correctly (near character {position}). Each one looks like {{learnerFirstName}}.",
  },
  "plan.training.linkUrl": {
    de: "Bitte eine vollständige Webadresse eingeben, die mit https:// oder http:// beginnt.",
    en: "Please enter a full web address starting with https:// or http://.",
  },
  "plan.training.externalId": {
    de: "Nur Buchstaben, Ziffern und . _ : / - (höchstens 100 Zeichen).",
    en: "Only letters, digits and . _ : / - (at most 100 characters).",
  },
};
