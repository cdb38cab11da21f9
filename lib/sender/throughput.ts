import { localized, type Locale, type Localized } from "../i18n/locale";

/**
 * Rate limit (mails per minute) and daily quota: presets for known providers and the
 * words that explain what a setting means for a reminder wave.
 *
 * The preset figures are the TYPICAL published limits of each service at the time of
 * writing, named with the provider document they come from. Providers change them and
 * grant individual accounts other values — the admin should check their own account;
 * a preset is a starting point, not a promise.
 */

export interface ThroughputPreset {
  id: string;
  label: Localized;
  ratePerMinute: number;
  dailyQuota: number;
  /** The provider document the typical figures come from (or "operator configuration"). */
  source: string;
  note: Localized;
}

export interface ThroughputLimits {
  ratePerMinute: number;
  dailyQuota: number;
}

/** Presets, the platform relay first (its limits are operator configuration). */
export function throughputPresets(platformRelay: ThroughputLimits): ThroughputPreset[] {
  return [
    {
      id: "platform_relay",
      label: localized("Versand über die Plattform", "Sending through the platform"),
      ratePerMinute: platformRelay.ratePerMinute,
      dailyQuota: platformRelay.dailyQuota,
      source: "operator configuration",
      note: localized("Die Vorgabe des Plattformbetreibers.", "The platform operator's default."),
    },
    {
      id: "microsoft_365",
      label: localized("Microsoft 365 (Exchange Online)", "Microsoft 365 (Exchange Online)"),
      ratePerMinute: 30,
      dailyQuota: 10_000,
      source: "Microsoft Learn, “Exchange Online limits” (sending limits: 30 messages per minute, 10,000 recipients per day)",
      note: localized(
        "Typische Grenzen eines Postfachs: 30 Mails pro Minute, 10.000 Empfänger pro Tag.",
        "Typical limits of one mailbox: 30 messages per minute, 10,000 recipients per day.",
      ),
    },
    {
      id: "google_workspace",
      label: localized("Google Workspace (Gmail-Konto)", "Google Workspace (Gmail account)"),
      ratePerMinute: 20,
      dailyQuota: 2_000,
      source: "Google Workspace Admin Help, “Gmail sending limits in Google Workspace” (about 2,000 messages per day per user)",
      note: localized(
        "Typisch etwa 2.000 Mails pro Tag und Nutzer. Ein Minutenlimit veröffentlicht Google nicht; 20 pro Minute ist eine vorsichtige Annahme.",
        "Typically about 2,000 messages per day per user. Google publishes no per-minute limit; 20 per minute is a cautious assumption.",
      ),
    },
    {
      id: "google_workspace_relay",
      label: localized("Google Workspace SMTP-Relay", "Google Workspace SMTP relay"),
      ratePerMinute: 60,
      dailyQuota: 10_000,
      source: "Google Workspace Admin Help, “SMTP relay service sending limits” (10,000 recipients per day per user)",
      note: localized(
        "Typisch 10.000 Empfänger pro Tag und Nutzer über smtp-relay.gmail.com; 60 pro Minute ist eine vorsichtige Annahme.",
        "Typically 10,000 recipients per day per user via smtp-relay.gmail.com; 60 per minute is a cautious assumption.",
      ),
    },
    {
      id: "amazon_ses",
      label: localized("Amazon SES (Produktivbetrieb)", "Amazon SES (production access)"),
      ratePerMinute: 14 * 60,
      dailyQuota: 50_000,
      source: "Amazon SES Developer Guide, “Managing your Amazon SES sending quotas” (typical starting quota after leaving the sandbox: 14 messages per second, 50,000 per 24 hours)",
      note: localized(
        "Typischer Startwert nach Verlassen der Sandbox: 14 Mails pro Sekunde, 50.000 pro Tag. In der Sandbox nur 1 pro Sekunde und 200 pro Tag.",
        "Typical starting quota after leaving the sandbox: 14 messages per second, 50,000 per day. In the sandbox only 1 per second and 200 per day.",
      ),
    },
  ];
}

export interface WaveEstimate {
  count: number;
  /** Minutes of sending, ignoring the daily quota. */
  minutes: number;
  /** Calendar days needed because of the daily quota (1 when it fits). */
  days: number;
  /** Most mails one day can take (quota, or rate × 1,440 if smaller). */
  perDay: number;
  /** Minutes of sending on each full day when the quota splits the wave. */
  minutesPerFullDay: number;
  fitsInOneDay: boolean;
}

/**
 * The arithmetic behind describeWaveDuration. The quota is a per-day cap: a wave larger
 * than the quota continues on the following days (the delivery engine enforces that).
 */
export function estimateWave(count: number, ratePerMinute: number, dailyQuota: number): WaveEstimate {
  const n = Math.max(0, Math.floor(count));
  const rate = Math.max(1, ratePerMinute);
  // A day is capped by the quota, and by the rate itself (at most rate × 1,440 per day).
  const perDay = Math.min(Math.max(1, dailyQuota), rate * 1440);
  return {
    count: n,
    perDay,
    minutes: n / rate,
    days: n === 0 ? 0 : Math.ceil(n / perDay),
    minutesPerFullDay: Math.min(perDay, n) / rate,
    fitsInOneDay: n <= perDay,
  };
}

function fmt(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === "de" ? "de-DE" : "en-US").format(n);
}

/** "about 30 min", "about 2 h 47 min", "less than a minute". */
export function formatDuration(minutes: number, locale: Locale): string {
  if (minutes < 1) return locale === "de" ? "weniger als eine Minute" : "less than a minute";
  const total = Math.ceil(minutes);
  const h = Math.floor(total / 60);
  const m = total % 60;
  const about = locale === "de" ? "etwa" : "about";
  if (h === 0) return `${about} ${m} min`;
  if (m === 0) return `${about} ${fmt(h, locale)} h`;
  return `${about} ${fmt(h, locale)} h ${m} min`;
}

/**
 * "1,800 reminders at 60/min take about 30 min" — and when the daily quota is smaller
 * than the wave: how many days, and how much per day.
 */
export function describeWaveDuration(count: number, ratePerMinute: number, dailyQuota: number, locale: Locale): string {
  const e = estimateWave(count, ratePerMinute, dailyQuota);
  const de = locale === "de";
  if (e.count === 0) return de ? "Keine Erinnerungen zu senden." : "No reminders to send.";
  const what = e.count === 1 ? (de ? "Erinnerung" : "reminder") : de ? "Erinnerungen" : "reminders";
  const head = `${fmt(e.count, locale)} ${what} ${de ? "bei" : "at"} ${fmt(ratePerMinute, locale)}/min`;
  if (e.fitsInOneDay) {
    const verb = de ? (e.count === 1 ? "dauert" : "dauern") : e.count === 1 ? "takes" : "take";
    return `${head} ${verb} ${formatDuration(e.minutes, locale)}.`;
  }
  const perDay = fmt(e.perDay, locale);
  const daily = formatDuration(e.minutesPerFullDay, locale);
  return de
    ? `${head} verteilen sich auf ${fmt(e.days, locale)} Tage: Pro Tag gehen höchstens ${perDay} hinaus (jeweils ${daily} Versand).`
    : `${head} are spread over ${fmt(e.days, locale)} days: at most ${perDay} go out per day (${daily} of sending each day).`;
}

/** The example wave while no learner is active: a mid-sized customer's roll-out. */
export const EXAMPLE_WAVE = 1800;

/**
 * The wave the sender page talks about: one reminder to each of the tenant's active
 * learners, or, while there are none, the example wave — and it says which of the two.
 */
export function describeLearnerWave(activeLearners: number, ratePerMinute: number, dailyQuota: number, locale: Locale): string {
  const n = Number.isInteger(activeLearners) && activeLearners > 0 ? activeLearners : 0;
  const de = locale === "de";
  const basis =
    n === 0
      ? de
        ? "Noch keine aktiven Lernenden, darum ein Beispiel:"
        : "No learner is active yet, so an example:"
      : n === 1
        ? de
          ? "Eine Erinnerung an Ihre einzige aktive lernende Person:"
          : "One reminder to your only active learner:"
        : de
          ? `Je eine Erinnerung an Ihre ${fmt(n, locale)} aktiven Lernenden:`
          : `One reminder to each of your ${fmt(n, locale)} active learners:`;
  return `${basis} ${describeWaveDuration(n || EXAMPLE_WAVE, ratePerMinute, dailyQuota, locale)}`;
}
