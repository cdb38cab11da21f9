import { localized, type Localized } from "../i18n/locale";

/**
 * The one list of consumer ("free-mail") providers. Such accounts are meant for people,
 * not for bulk sending: they enforce small daily limits (answering e.g. 550 5.4.5 when
 * the limit is hit, or locking the account), and mail with their domain in From sent
 * from anywhere else fails the provider's DMARC check.
 *
 * Domains are matched exactly or by a pattern "name.*" (any country/generic TLD, e.g.
 * hotmail.de, hotmail.co.uk). Hosts are matched exactly against the known submission
 * servers, or as smtp./mail./… directly under a listed domain (smtp.gmx.de). Parent
 * domains are deliberately NOT matched in general: *.mail.protection.outlook.com and
 * smtp.office365.com are Microsoft 365 business services, and smtp-relay.gmail.com is
 * Google Workspace's business relay — none of them is free-mail.
 *
 * Daily limits are the typical figures the providers publish in their help pages
 * (they change them without notice and apply lower ones to new accounts); undefined
 * where no figure is published.
 */
export interface FreeMailProvider {
  id: string;
  /** Name shown to users. */
  name: string;
  /** Exact domains, or "label.*" for that label under any TLD. */
  domains: readonly string[];
  /** Known SMTP submission hosts of the consumer service. */
  smtpHosts: readonly string[];
  /** Typical messages (or recipients) per day for a consumer account, where published. */
  dailyLimit?: number;
  /** Where the figure comes from. */
  limitSource?: string;
}

export const FREE_MAIL_PROVIDERS: readonly FreeMailProvider[] = [
  {
    id: "gmail",
    name: "Gmail",
    domains: ["gmail.com", "googlemail.com"],
    // smtp.gmail.com also serves Google Workspace accounts; those are limited to about
    // 2,000 per day and equally unsuitable for bulk. smtp-relay.gmail.com is not listed.
    smtpHosts: ["smtp.gmail.com", "smtp.googlemail.com"],
    dailyLimit: 500,
    limitSource: "Google Gmail Help, “Limits for sending & getting mail”",
  },
  {
    id: "outlook",
    name: "Outlook.com / Hotmail",
    domains: ["outlook.*", "hotmail.*", "live.*", "msn.com", "passport.com", "windowslive.com"],
    // smtp.office365.com (Microsoft 365 business) is intentionally absent.
    smtpHosts: ["smtp-mail.outlook.com", "smtp.live.com", "smtp.outlook.com", "smtp.hotmail.com"],
    dailyLimit: 300,
    limitSource: "Microsoft Support, “Sending limits in Outlook.com”",
  },
  {
    id: "yahoo",
    name: "Yahoo Mail",
    domains: ["yahoo.*", "ymail.com", "rocketmail.com"],
    smtpHosts: ["smtp.mail.yahoo.com", "smtp.mail.yahoo.co.uk", "smtp.bizmail.yahoo.com"],
    dailyLimit: 500,
    limitSource: "Yahoo Help, “Sending limits in Yahoo Mail”",
  },
  {
    id: "aol",
    name: "AOL Mail",
    domains: ["aol.*", "aim.com"],
    smtpHosts: ["smtp.aol.com"],
  },
  {
    id: "icloud",
    name: "iCloud Mail",
    domains: ["icloud.com", "me.com", "mac.com"],
    smtpHosts: ["smtp.mail.me.com"],
    dailyLimit: 1000,
    limitSource: "Apple Support, “iCloud Mail storage and message size limits”",
  },
  {
    id: "gmx",
    name: "GMX",
    domains: ["gmx.*", "gmx.co.uk", "mail.com"],
    smtpHosts: ["mail.gmx.net", "mail.gmx.com", "smtp.gmx.net", "smtp.gmx.com", "smtp.mail.com"],
  },
  {
    id: "webde",
    name: "WEB.DE",
    domains: ["web.de"],
    smtpHosts: ["smtp.web.de"],
  },
  {
    id: "t-online",
    name: "Telekom t-online.de",
    domains: ["t-online.de", "magenta.de"],
    smtpHosts: ["securesmtp.t-online.de", "smtpmail.t-online.de"],
  },
  {
    id: "freenet",
    name: "freenet Mail",
    domains: ["freenet.de"],
    smtpHosts: ["mx.freenet.de"],
  },
  {
    id: "mailru",
    name: "Mail.ru",
    domains: ["mail.ru", "bk.ru", "inbox.ru", "list.ru"],
    smtpHosts: ["smtp.mail.ru"],
  },
  {
    id: "yandex",
    name: "Yandex Mail",
    domains: ["yandex.*", "ya.ru"],
    smtpHosts: ["smtp.yandex.ru", "smtp.yandex.com"],
  },
  {
    id: "proton",
    name: "Proton Mail",
    domains: ["proton.me", "protonmail.com", "protonmail.ch", "pm.me"],
    // smtp.protonmail.ch serves Proton's business custom-domain submission, so only
    // the domains are listed.
    smtpHosts: [],
  },
];

/** "label.*": the label followed by a TLD, or a two-part country suffix such as co.uk / com.au. */
function domainMatches(domain: string, pattern: string): boolean {
  if (!pattern.endsWith(".*")) return domain === pattern;
  const label = pattern.slice(0, -2);
  if (!domain.startsWith(label + ".")) return false;
  const rest = domain.slice(label.length + 1);
  return /^[a-z]{2,6}$/.test(rest) || /^(co|com|net|org|ne|or)\.[a-z]{2}$/.test(rest);
}

/** Host names used for submission directly under a consumer domain (smtp.gmx.de, mail.web.de). */
const SUBMISSION_LABELS = ["smtp", "mail", "securesmtp", "smtps", "smtp-mail", "submission", "mx"];

function normalize(input: string): string {
  return input.trim().toLowerCase().replace(/\.$/, "");
}

export function findFreeMailProviderByDomain(domain: string): FreeMailProvider | null {
  const d = normalize(domain);
  return FREE_MAIL_PROVIDERS.find((p) => p.domains.some((pattern) => domainMatches(d, pattern))) ?? null;
}

export function findFreeMailProviderByHost(host: string): FreeMailProvider | null {
  const h = normalize(host);
  const exact = FREE_MAIL_PROVIDERS.find((p) => p.smtpHosts.includes(h));
  if (exact) return exact;
  const dot = h.indexOf(".");
  if (dot > 0 && SUBMISSION_LABELS.includes(h.slice(0, dot))) {
    return findFreeMailProviderByDomain(h.slice(dot + 1));
  }
  return null;
}

export interface FreeMailWarning {
  provider: string;
  providerId: string;
  /** What matched: the address's domain or the host name. */
  matched: string;
  via: "address" | "host";
  dailyLimit?: number;
  limitSource?: string;
  text: Localized;
}

function formatCount(n: number, locale: "de" | "en"): string {
  return new Intl.NumberFormat(locale === "de" ? "de-DE" : "en-US").format(n);
}

/**
 * A warning when the input is (or is on) a consumer provider, else null. The input is an
 * e-mail address (From, Reply-To) or an SMTP host name; an address is recognised by "@".
 */
export function freeMailWarning(hostOrAddress: string | null | undefined): FreeMailWarning | null {
  if (!hostOrAddress) return null;
  const input = normalize(hostOrAddress);
  const at = input.lastIndexOf("@");
  const via = at >= 0 ? "address" : "host";
  const matched = at >= 0 ? input.slice(at + 1).replace(/>$/, "") : input;
  const provider = via === "address" ? findFreeMailProviderByDomain(matched) : findFreeMailProviderByHost(matched);
  if (!provider) return null;

  const p = { provider: provider.name, matched };
  const limitDe =
    provider.dailyLimit !== undefined
      ? ` Ein privates ${provider.name}-Konto darf typischerweise nur etwa ${formatCount(provider.dailyLimit, "de")} Mails pro Tag senden.`
      : " Private Konten dürfen nur wenige Mails pro Tag senden.";
  const limitEn =
    provider.dailyLimit !== undefined
      ? ` A personal ${provider.name} account may typically send only about ${formatCount(provider.dailyLimit, "en")} mails a day.`
      : " Personal accounts may send only a small number of mails a day.";
  const quota = localized(
    "{provider} ist ein privater E-Mail-Dienst und nicht für den Massenversand geeignet." +
      limitDe +
      " Darüber lehnt der Anbieter weitere Mails ab (zum Beispiel mit dem Fehler „550 5.4.5 Tageslimit überschritten“) oder sperrt das Konto vorübergehend – Erinnerungen kämen dann nicht an.",
    "{provider} is a personal e-mail service and not suitable for bulk sending." +
      limitEn +
      " Beyond that the provider refuses further mails (for example with the error “550 5.4.5 daily sending quota exceeded”) or locks the account for a while – reminders would then not arrive.",
    p,
  );
  const dmarc = localized(
    " Außerdem schützt {provider} seine Domain {matched} mit DMARC: Mails mit einer solchen Absenderadresse, die nicht über die Server von {provider} selbst verschickt werden, fallen bei der Prüfung durch und werden von vielen Empfängern abgelehnt oder als Spam einsortiert.",
    " Also, {provider} protects its domain {matched} with DMARC: mails with such a sender address that are not sent through {provider}'s own servers fail the check, and many receivers reject them or file them as spam.",
    p,
  );
  const advice = localized(
    " Nutzen Sie besser eine Adresse Ihrer eigenen Domain – über den Versand der Plattform oder den Mailserver Ihres Unternehmens.",
    " Better use an address in your own domain – sent through the platform or your organisation's mail server.",
  );
  const text: Localized =
    via === "address"
      ? { de: quota.de + dmarc.de + advice.de, en: quota.en + dmarc.en + advice.en }
      : { de: quota.de + advice.de, en: quota.en + advice.en };

  return {
    provider: provider.name,
    providerId: provider.id,
    matched,
    via,
    ...(provider.dailyLimit !== undefined ? { dailyLimit: provider.dailyLimit } : {}),
    ...(provider.limitSource !== undefined ? { limitSource: provider.limitSource } : {}),
    text,
  };
}
