import { LOCALES, type Locale, type Localized } from "../i18n/locale";
import { dayFromIso } from "./local-time";
import { scheduleSpanDays, type NoteCode, type ScheduleNote, type ScheduleResult } from "./schedule";

/**
 * The text layer of the schedule engine: the engine returns notes as codes with
 * parameters (schedule.ts), this module words them in German and English. Plural
 * forms, verbs included, follow the language's rules (Intl.PluralRules), so "12
 * Termine fielen … wurden", never "12 Termine fiel … wurde" (issue 9 item 9).
 */

const RULES: Record<Locale, Intl.PluralRules> = { de: new Intl.PluralRules("de-DE"), en: new Intl.PluralRules("en-GB") };

/** Picks the form for `count` in `locale`: `{ one, other }` like ICU's plural select. */
export function plural(locale: Locale, count: number, forms: { one: string; other: string }): string {
  return (RULES[locale].select(count) === "one" ? forms.one : forms.other).replaceAll("#", String(count));
}

const WEEKDAYS: Record<Locale, string[]> = {
  de: ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
  en: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
};

/** ISO dates stay ISO in English and become DD.MM.YYYY in German. */
function date(locale: Locale, iso: string | number | undefined): string {
  const text = String(iso ?? "");
  if (locale === "en" || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  dayFromIso(text); // refuses a malformed date loudly
  const [y, m, d] = text.split("-");
  return `${d}.${m}.${y}`;
}

type Params = Record<string, string | number>;
type Wording = (p: Params, l: Locale) => string;

const num = (p: Params, key: string) => Number(p[key] ?? 0);

const DE: Record<NoteCode, Wording> = {
  assumedAssignedNow: (p) => `Kein Zuweisungszeitpunkt angegeben: berechnet wie eine Zuweisung jetzt (${p.now}).`,
  noAssignmentDate: () => "Der Plan beginnt mit der Zuweisung, aber es gibt keinen Zuweisungszeitpunkt: keine Erinnerungen.",
  noDueDate: () => "Der Plan richtet sich nach dem Fälligkeitsdatum, aber diese Zuweisung hat keins: keine Erinnerungen.",
  noStartDate: () => "Der Plan hat einen festen Start, aber kein Startdatum: keine Erinnerungen.",
  noEndDate: (p, l) =>
    `Die Erinnerung wiederholt sich ohne Enddatum; sie endet spätestens am ${date(l, p.latest)} (365 Tage nach dem ersten Termin).`,
  endDateCapped: (p, l) =>
    `Das Enddatum ${date(l, p.endDate)} liegt mehr als 365 Tage nach dem ersten Termin (${date(l, p.firstDate)}); der Plan endet schon am ${date(l, p.latest)}.`,
  endsBeforeStart: (p, l) => `Der Plan endet (${date(l, p.endDate)}), bevor er beginnt (${date(l, p.firstDate)}): keine Erinnerungen.`,
  weekendMoved: (p, l) =>
    plural(l, num(p, "count"), {
      one: "# Termin fiel auf ein Wochenende und wurde auf den folgenden Montag verschoben.",
      other: "# Termine fielen auf ein Wochenende und wurden auf den folgenden Montag verschoben.",
    }),
  weekendMerged: (p, l) =>
    plural(l, num(p, "count"), {
      one: "Ein Termin fiel auf einen Montag, der schon eine Erinnerung hat: Beide wurden zu einer zusammengefasst.",
      other: "# Termine fielen auf einen Montag, der schon eine Erinnerung hat: Sie wurden jeweils mit dieser zusammengefasst.",
    }),
  movedPastEnd: (p, l) =>
    plural(l, num(p, "count"), {
      one: "Ein Wochenendtermin würde nach dem Enddatum ({end}) verschoben und entfällt daher.",
      other: "# Wochenendtermine würden nach dem Enddatum ({end}) verschoben und entfallen daher.",
    }).replace("{end}", date(l, p.endDate)),
  beforeAssignment: (p, l) =>
    plural(l, num(p, "count"), {
      one: "Ein Termin läge vor der Zuweisung und wird übersprungen",
      other: "# Termine lägen vor der Zuweisung und werden übersprungen",
    }) + "; die Zählung beginnt mit der ersten tatsächlich verschickten Erinnerung.",
  dstGap: (p, l) => `Am ${date(l, p.day)} gibt es ${p.sendTime} wegen der Zeitumstellung nicht; die Erinnerung geht um ${p.gapTime}.`,
  dstRepeated: (p, l) =>
    `Am ${date(l, p.day)} gibt es ${p.sendTime} wegen der Zeitumstellung zweimal; die Erinnerung geht beim ersten Mal (Sommerzeit).`,
  stoppedAtCompletion: (p, l) =>
    `Am ${date(l, p.completed)} abgeschlossen: ` +
    plural(l, num(p, "count"), {
      one: "# weitere Erinnerung wird nicht mehr verschickt.",
      other: "# weitere Erinnerungen werden nicht mehr verschickt.",
    }),
  cappedByMaxSends: (p, l) =>
    `Begrenzt auf ${plural(l, num(p, "maxSends"), { one: "# Erinnerung", other: "# Erinnerungen" })}: ` +
    plural(l, num(p, "count"), {
      one: "# weiterer Termin bis zum Enddatum entfällt.",
      other: "# weitere Termine bis zum Enddatum entfallen.",
    }),
  escalated: (p, l) => {
    const skipped = num(p, "skipped");
    const weekday = num(p, "digestWeekday");
    return (
      `Nach ${plural(l, num(p, "k"), { one: "# Erinnerung", other: "# Erinnerungen" })} ohne Abschluss kommen keine weiteren` +
      (skipped === 0 ? "" : plural(l, skipped, { one: " (# Termin entfällt)", other: " (# Termine entfallen)" })) +
      "; stattdessen erscheint die Person in der wöchentlichen Übersicht der verantwortlichen Person (" +
      plural(l, num(p, "digests"), { one: "# Übersicht", other: "# Übersichten" }) +
      (weekday ? `, ${WEEKDAYS.de[weekday - 1]}s ${p.digestTime}`.trimEnd() : "") +
      ")."
    );
  },
  escalationNotReached: (p, l) =>
    `Die Eskalation nach ${plural(l, num(p, "k"), { one: "# Erinnerung", other: "# Erinnerungen" })} wird nicht erreicht: ` +
    plural(l, num(p, "count"), { one: "Es geht nur # Erinnerung raus.", other: "Es gehen nur # Erinnerungen raus." }),
  digestNotConfigured: () => "Für die wöchentliche Übersicht fehlen Wochentag oder Uhrzeit: keine Übersichten.",
};

const EN: Record<NoteCode, Wording> = {
  assumedAssignedNow: (p) => `No assignment time given: computed as if assigned now (${p.now}).`,
  noAssignmentDate: () => "The plan starts with the assignment, but there is no assignment time: no reminders.",
  noDueDate: () => "The plan counts back from the due date, but this assignment has no due date: no reminders.",
  noStartDate: () => "The plan has a fixed start but no start date: no reminders.",
  noEndDate: (p) => `The reminder repeats without an end date; it stops on ${p.latest} at the latest (365 days after the first date).`,
  endDateCapped: (p) =>
    `The end date ${p.endDate} is more than 365 days after the first date (${p.firstDate}); the plan stops on ${p.latest} instead.`,
  endsBeforeStart: (p) => `The plan ends (${p.endDate}) before it starts (${p.firstDate}): no reminders.`,
  weekendMoved: (p, l) =>
    plural(l, num(p, "count"), { one: "# date", other: "# dates" }) + " fell on a weekend and moved to the following Monday.",
  weekendMerged: (p, l) =>
    plural(l, num(p, "count"), {
      one: "One date moved onto a Monday that already has a reminder: the two became one.",
      other: "# dates moved onto a Monday that already has a reminder: each became one with it.",
    }),
  movedPastEnd: (p, l) =>
    plural(l, num(p, "count"), {
      one: "One weekend date would move past the end date ({end}) and is dropped.",
      other: "# weekend dates would move past the end date ({end}) and are dropped.",
    }).replace("{end}", String(p.endDate)),
  beforeAssignment: (p, l) =>
    plural(l, num(p, "count"), {
      one: "One date would fall before the assignment and is skipped",
      other: "# dates would fall before the assignment and are skipped",
    }) + "; numbering starts with the first reminder actually sent.",
  dstGap: (p) => `On ${p.day} ${p.sendTime} does not exist (clocks go forward); the reminder goes at ${p.gapTime}.`,
  dstRepeated: (p) => `On ${p.day} ${p.sendTime} occurs twice (clocks go back); the reminder goes at the first one.`,
  stoppedAtCompletion: (p, l) =>
    `Completed on ${p.completed}: ` +
    plural(l, num(p, "count"), { one: "# further reminder is not sent.", other: "# further reminders are not sent." }),
  cappedByMaxSends: (p, l) =>
    `Limited to ${plural(l, num(p, "maxSends"), { one: "# reminder", other: "# reminders" })}: ` +
    plural(l, num(p, "count"), {
      one: "# further date until the end date is not used.",
      other: "# further dates until the end date are not used.",
    }),
  escalated: (p, l) => {
    const skipped = num(p, "skipped");
    const weekday = num(p, "digestWeekday");
    return (
      `After ${plural(l, num(p, "k"), { one: "# reminder", other: "# reminders" })} without completion no more reminders go out` +
      (skipped === 0 ? "" : plural(l, skipped, { one: " (# date skipped)", other: " (# dates skipped)" })) +
      "; instead the learner appears in the responsible person's weekly overview (" +
      plural(l, num(p, "digests"), { one: "# overview", other: "# overviews" }) +
      (weekday ? `, ${WEEKDAYS.en[weekday - 1]}s ${p.digestTime}`.trimEnd() : "") +
      ")."
    );
  },
  escalationNotReached: (p, l) =>
    `Escalation after ${plural(l, num(p, "k"), { one: "# reminder", other: "# reminders" })} is not reached: ` +
    plural(l, num(p, "count"), { one: "only # reminder goes out.", other: "only # reminders go out." }),
  digestNotConfigured: () => "The weekly overview has no weekday or time: no overviews.",
};

const WORDING: Record<Locale, Record<NoteCode, Wording>> = { de: DE, en: EN };

/** One engine note in the reader's language. */
export function noteText(note: ScheduleNote, locale: Locale): string {
  return WORDING[locale][note.code](note.params, locale);
}

/** One engine note in every language (for texts that are stored or shown in either). */
export function noteTexts(note: ScheduleNote): Localized {
  return Object.fromEntries(LOCALES.map((l) => [l, noteText(note, l)])) as Localized;
}

/** "This learner receives 5 reminders in 28 days, 3 variants", plus the escalation. */
export function summarizeSchedule(result: ScheduleResult, variantCount: number): Localized {
  const out = {} as Localized;
  for (const l of LOCALES) out[l] = summary(result, variantCount, l);
  return out;
}

function summary(result: ScheduleResult, variantCount: number, l: Locale): string {
  const count = result.reminders.length;
  const de = l === "de";
  if (count === 0) return de ? "Diese Person erhält keine Erinnerung." : "This learner receives no reminders.";
  const used = Math.max(1, Math.min(variantCount, count));
  const span = scheduleSpanDays(result);
  let text = de
    ? `Diese Person erhält ${plural(l, count, { one: "# Erinnerung", other: "# Erinnerungen" })}`
    : `This learner receives ${plural(l, count, { one: "# reminder", other: "# reminders" })}`;
  if (count > 1) text += de ? ` in ${plural(l, span, { one: "# Tag", other: "# Tagen" })}` : ` in ${plural(l, span, { one: "# day", other: "# days" })}`;
  text += de ? `, ${plural(l, used, { one: "# Variante", other: "# Varianten" })}` : `, ${plural(l, used, { one: "# variant", other: "# variants" })}`;
  if (result.escalated) {
    const d = result.digests.length;
    text += de
      ? `; danach erscheint sie in ${plural(l, d, { one: "# wöchentlichen Übersicht", other: "# wöchentlichen Übersichten" })} der verantwortlichen Person`
      : `; then appears in ${plural(l, d, { one: "# weekly overview", other: "# weekly overviews" })} of the responsible person`;
  }
  return text + ".";
}
