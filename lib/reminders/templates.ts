import Mustache from "mustache";
import { LOCALES, type Locale } from "../i18n/locale";
import { localDay, MemoizedZone } from "./local-time";
import type { TemplateSet, TemplateVariant } from "./plan-schema";

/**
 * Reminder templates: mustache, restricted to plain `{{name}}` placeholders from a
 * fixed list. Sections, inverted sections, partials, triple braces / `{{& }}` and
 * delimiter changes are refused: a reminder needs no logic, partials would reach
 * outside the text, and our own escaping (below) would make unescaped tags lie.
 *
 * Rendering: the subject and the text part are rendered without any escaping (they are
 * not HTML); the HTML part is built from the rendered text, escaping every character
 * of it, so a value like `<script>` can never become markup.
 */

export const TEMPLATE_VARIABLES = [
  "learnerFirstName",
  "learnerLastName",
  "trainingName",
  "trainingLink",
  "dueDate",
  "daysLeft",
  "daysLeftText",
  "reminderNumber",
  "reminderTotal",
  "tenantName",
  "responsibleName",
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateVariables = Record<TemplateVariable, string>;

const ALLOWED = new Set<string>(TEMPLATE_VARIABLES);

// ── Validation ────────────────────────────────────────────────────────────────

/** A message key of lib/validation/catalog/reminders.ts with its placeholders. */
export interface TemplateProblem {
  key: string;
  params: Record<string, string | number>;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The name someone probably meant, among `candidates` (typos, case, a missing prefix). */
export function suggestName(name: string, candidates: readonly string[]): string | null {
  const norm = (s: string) => s.toLowerCase().replace(/[\s_.-]/g, "");
  const wanted = norm(name);
  if (!wanted) return null;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = levenshtein(wanted, norm(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best && bestDistance <= Math.max(2, Math.floor(wanted.length / 4))) return best;
  if (wanted.length >= 4) {
    const containing = candidates.filter((c) => norm(c).includes(wanted));
    if (containing.length === 1) return containing[0]!;
  }
  return null;
}

/**
 * The one alias table: other names people write for our placeholders, keyed by their
 * normalized form (see `normalizeName`). Every alias is accepted in a template and renders
 * like the placeholder it stands for; the "did you mean" suggestion uses the same table.
 * German admins write `{{vorname}}`, `{{fällig_am}}`, `{{Schulung}}` — all fine.
 */
export const TEMPLATE_ALIASES: Readonly<Record<string, TemplateVariable>> = {
  vorname: "learnerFirstName",
  firstname: "learnerFirstName",
  nachname: "learnerLastName",
  lastname: "learnerLastName",
  surname: "learnerLastName",
  schulung: "trainingName",
  schulungsname: "trainingName",
  kurs: "trainingName",
  course: "trainingName",
  link: "trainingLink",
  schulungslink: "trainingLink",
  url: "trainingLink",
  faelligam: "dueDate",
  faellig: "dueDate",
  faelligkeit: "dueDate",
  frist: "dueDate",
  deadline: "dueDate",
  tageverbleibend: "daysLeft",
  verbleibendetage: "daysLeft",
  resttage: "daysLeft",
  fristtext: "daysLeftText",
  tageverbleibendtext: "daysLeftText",
  erinnerungnr: "reminderNumber",
  erinnerungsnummer: "reminderNumber",
  erinnerungengesamt: "reminderTotal",
  anzahlerinnerungen: "reminderTotal",
  firma: "tenantName",
  unternehmen: "tenantName",
  company: "tenantName",
  verantwortlich: "responsibleName",
  ansprechpartner: "responsibleName",
  manager: "responsibleName",
};

/** Lower case, umlauts spelled out, no separators: "Fällig_am" → "faelligam". */
export function normalizeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .replace(/[\s_.-]/g, "");
}

const ALIAS_BY_NORM = new Map(Object.entries(TEMPLATE_ALIASES).map(([alias, variable]) => [normalizeName(alias), variable]));

/** The placeholder a name in a template stands for: itself, or the one its alias means; null when unknown. */
export function resolveVariable(name: string): TemplateVariable | null {
  if (ALLOWED.has(name)) return name as TemplateVariable;
  return ALIAS_BY_NORM.get(normalizeName(name)) ?? null;
}

/** The placeholder someone probably meant ("lernerFirstName", "learnerVorname" → learnerFirstName). */
export function suggestVariable(name: string): string | null {
  const exact = resolveVariable(name);
  if (exact) return exact;
  const close = suggestName(name, TEMPLATE_VARIABLES);
  const norm = normalizeName(name);
  const alias = [...ALIAS_BY_NORM].find(([word]) => norm.includes(word))?.[1] ?? null;
  // A typo of a real name beats an alias; an alias beats a loose "contains" match.
  if (close && levenshtein(norm, close.toLowerCase()) <= Math.max(2, Math.floor(norm.length / 4))) return close;
  return alias ?? close;
}

type Token = [string, string, number, number, ...unknown[]];

/** Problems of one subject or body; empty when it is fine. */
export function checkTemplateText(text: string): TemplateProblem[] {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(text) as unknown as Token[];
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    const at = /at (\d+)/.exec(message);
    let position = at ? Number(at[1]) : 0;
    // mustache reports an unclosed tag where the text ends; point at its opening braces.
    if (message.startsWith("Unclosed tag")) position = Math.max(0, text.lastIndexOf("{{", position));
    return [{ key: "plan.template.syntax", params: { position: position + 1 } }];
  }
  const problems: TemplateProblem[] = [];
  const seen = new Set<string>();
  const add = (key: string, params: Record<string, string | number>) => {
    const id = `${key}|${JSON.stringify(params)}`;
    if (!seen.has(id)) {
      seen.add(id);
      problems.push({ key, params });
    }
  };
  const walk = (list: Token[]) => {
    for (const token of list) {
      const [type, value] = token;
      switch (type) {
        case "text":
        case "!":
          break;
        case "name":
          if (!resolveVariable(value)) {
            const suggestion = suggestVariable(value);
            if (suggestion) add("plan.template.unknownVariableDidYouMean", { name: value, suggestion });
            else add("plan.template.unknownVariable", { name: value });
          }
          break;
        case "&":
          add("plan.template.unescapedNotAllowed", { name: value });
          break;
        case "#":
        case "^":
          add("plan.template.sectionNotAllowed", { name: `${type}${value}` });
          break;
        case ">":
          add("plan.template.partialNotAllowed", { name: `>${value}` });
          break;
        default:
          add("plan.template.delimiterNotAllowed", {});
      }
      if (Array.isArray(token[4])) walk(token[4] as Token[]);
    }
  };
  walk(tokens);
  return problems;
}

// ── Choosing locale and variant ───────────────────────────────────────────────

/** The learner's locale, else the tenant's, else any locale that has templates. */
export function chooseTemplateLocale(
  set: TemplateSet,
  learnerLocale?: Locale | null,
  tenantLocale?: Locale | null,
): Locale | null {
  for (const locale of [learnerLocale, tenantLocale, ...LOCALES]) {
    if (locale && set[locale].length > 0) return locale;
  }
  return null;
}

/** 0-based variant for the reminder with this 1-based number: 1→0, 2→1, 3→2, 4→0 … */
export function variantIndexFor(reminderNumber: number, variantCount: number): number {
  if (variantCount <= 1) return 0;
  return (((reminderNumber - 1) % variantCount) + variantCount) % variantCount;
}

/**
 * How many different texts the worst-off learner sees: the fewest distinct variants
 * among the locales that have any (identical copies count once).
 */
export function distinctVariantCount(set: TemplateSet): number {
  let fewest = Infinity;
  for (const locale of LOCALES) {
    const variants = set[locale];
    if (variants.length === 0) continue;
    const distinct = new Set(variants.map((v) => `${v.subject.trim()}\u0000${v.body.trim()}`)).size;
    fewest = Math.min(fewest, distinct);
  }
  return fewest === Infinity ? 0 : fewest;
}

// ── Variables ─────────────────────────────────────────────────────────────────

/** Everything a reminder mail is about; the engine and the database provide it. */
export interface MailContext {
  learnerFirstName: string;
  learnerLastName: string;
  trainingName: string;
  trainingLink: string;
  tenantName: string;
  responsibleName: string | null;
  dueAt: Date | null;
  /** When the mail goes out; "days left" counts from its local date. */
  sendAt: Date;
  /** The tenant's IANA zone, for dates. */
  timezone: string;
  reminderNumber: number;
  reminderTotal: number;
}

const INTL_LOCALE: Record<Locale, string> = { de: "de-DE", en: "en-GB" };

function localDayOf(instant: Date, timezone: string): number {
  // MemoizedZone: the zone's offsets are computed once per year, not per call (the
  // worker formats thousands of mails in one zone).
  return localDay(MemoizedZone.for(timezone), instant.getTime());
}

const dueDateFormats = new Map<string, Intl.DateTimeFormat>();

/** "15. Juni 2026" / "15 June 2026" (luxon's DATE_FULL), one formatter per language and zone. */
function formatDueDate(at: Date, timezone: string, locale: Locale): string {
  const key = `${locale}|${timezone}`;
  let format = dueDateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[locale], { year: "numeric", month: "long", day: "numeric", timeZone: timezone });
    dueDateFormats.set(key, format);
  }
  return format.format(at);
}

export function daysLeftText(daysLeft: number, locale: Locale): string {
  if (locale === "de") {
    if (daysLeft === 0) return "heute";
    if (daysLeft === 1) return "morgen";
    if (daysLeft > 1) return `in ${daysLeft} Tagen`;
    return daysLeft === -1 ? "seit 1 Tag überfällig" : `seit ${-daysLeft} Tagen überfällig`;
  }
  if (daysLeft === 0) return "today";
  if (daysLeft === 1) return "tomorrow";
  if (daysLeft > 1) return `in ${daysLeft} days`;
  return daysLeft === -1 ? "1 day overdue" : `${-daysLeft} days overdue`;
}

/** The placeholder values, formatted for the locale and the tenant's time zone. */
export function templateVariables(ctx: MailContext, locale: Locale): TemplateVariables {
  let dueDate = "—";
  let daysLeft = "";
  let daysText = locale === "de" ? "ohne Frist" : "no deadline";
  if (ctx.dueAt) {
    dueDate = formatDueDate(ctx.dueAt, ctx.timezone, locale);
    const left = localDayOf(ctx.dueAt, ctx.timezone) - localDayOf(ctx.sendAt, ctx.timezone);
    daysLeft = String(left);
    daysText = daysLeftText(left, locale);
  }
  return {
    learnerFirstName: ctx.learnerFirstName,
    learnerLastName: ctx.learnerLastName,
    trainingName: ctx.trainingName,
    trainingLink: ctx.trainingLink,
    dueDate,
    daysLeft,
    daysLeftText: daysText,
    reminderNumber: String(ctx.reminderNumber),
    reminderTotal: String(ctx.reminderTotal),
    tenantName: ctx.tenantName,
    responsibleName: ctx.responsibleName || (locale === "de" ? "Ihr Schulungsteam" : "your training team"),
  };
}

// ── Rendering ─────────────────────────────────────────────────────────────────

export class TemplateError extends Error {
  constructor(readonly problems: TemplateProblem[]) {
    super(`Template refused: ${problems.map((p) => `${p.key} ${JSON.stringify(p.params)}`).join("; ")}`);
  }
}

export interface RenderedMail {
  locale: Locale;
  /** 0-based index of the variant used. */
  variantIndex: number;
  subject: string;
  text: string;
  html: string;
}

const UI: Record<Locale, { button: string; linkLabel: string; footer: string; unsubscribe: string }> = {
  de: {
    button: "Zur Schulung",
    linkLabel: "Zur Schulung",
    footer: "Sie erhalten diese Erinnerung, weil Ihnen diese Schulung zugewiesen wurde.",
    unsubscribe: "Keine weiteren Erinnerungen dieser Art erhalten",
  },
  en: {
    button: "Open the training",
    linkLabel: "Open the training",
    footer: "You receive this reminder because this training was assigned to you.",
    unsubscribe: "Stop reminders like this one",
  },
};

/** What the sending side adds to a rendered reminder (the preview renders without it). */
export interface ReminderMailOptions {
  /** The learner's unsubscribe page: a line in the footer of both parts. */
  unsubscribeUrl?: string;
}

/** The text with every alias written as the placeholder it stands for (`{{vorname}}` → `{{learnerFirstName}}`). */
export function canonicalizeTemplate(text: string): string {
  const tokens = Mustache.parse(text) as unknown as Token[];
  let out = text;
  // From the end, so earlier offsets stay valid; checkTemplateText has refused nesting.
  for (const [type, value, start, end] of [...tokens].reverse()) {
    if (type !== "name" || ALLOWED.has(value)) continue;
    const variable = resolveVariable(value);
    if (variable) out = `${out.slice(0, start)}{{${variable}}}${out.slice(end)}`;
  }
  return out;
}

/**
 * Checked and canonicalized templates, by their text: the worker renders the same few
 * plan texts thousands of times, and checking them is two mustache parses. Bounded, so
 * a process that renders many distinct texts (previews) does not grow without limit.
 */
type CheckedTemplate =
  | { problems: TemplateProblem[] }
  /** parts: text, or a placeholder's name; null when the text needs mustache itself (comments). */
  | { canonical: string; parts: { text?: string; name?: string }[] | null };

const checkedTemplates = new Map<string, CheckedTemplate>();
const CHECKED_TEMPLATES_MAX = 500;

function checkedTemplate(template: string): Exclude<CheckedTemplate, { problems: TemplateProblem[] }> {
  let entry = checkedTemplates.get(template);
  if (!entry) {
    const problems = checkTemplateText(template);
    if (problems.length) entry = { problems };
    else {
      const canonical = canonicalizeTemplate(template);
      const tokens = Mustache.parse(canonical) as unknown as Token[];
      const plain = tokens.every(([type]) => type === "text" || type === "name");
      entry = { canonical, parts: plain ? tokens.map(([type, value]) => (type === "text" ? { text: value } : { name: value })) : null };
    }
    if (checkedTemplates.size >= CHECKED_TEMPLATES_MAX) checkedTemplates.clear();
    checkedTemplates.set(template, entry);
  }
  if ("problems" in entry) throw new TemplateError(entry.problems);
  return entry;
}

function renderPlain(template: string, vars: TemplateVariables): string {
  const checked = checkedTemplate(template);
  // Plain text and {{name}} only (what checkTemplateText allows, comments aside): the
  // same output as mustache without escaping, without walking its machinery per mail.
  if (checked.parts) return checked.parts.map((p) => (p.name !== undefined ? (vars[p.name as TemplateVariable] ?? "") : p.text)).join("");
  return Mustache.render(checked.canonical, vars, {}, { escape: (value: unknown) => String(value) });
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const isWebLink = (url: string) => /^https?:\/\/[^\s]+$/i.test(url);

/** One line of text → HTML: escaped, with web addresses as links. */
function lineToHtml(line: string): string {
  let out = "";
  let last = 0;
  for (const match of line.matchAll(/https?:\/\/[^\s<>"']+/gi)) {
    let url = match[0];
    // A sentence's full stop or closing bracket is not part of the address.
    url = url.replace(/[.,;:!?)\]]+$/, "");
    const start = match.index;
    out += escapeHtml(line.slice(last, start));
    out += `<a href="${escapeHtml(url)}" style="color:#1d4ed8;">${escapeHtml(url)}</a>`;
    last = start + url.length;
  }
  return out + escapeHtml(line.slice(last));
}

function buttonHtml(link: string, locale: Locale): string {
  return `<a href="${escapeHtml(link)}" style="display:inline-block;background:#1d4ed8;color:#ffffff;text-decoration:none;font-weight:bold;padding:12px 24px;border-radius:6px;">${escapeHtml(UI[locale].button)}</a>`;
}

/** One paragraph of text → HTML: escaped lines joined by <br>, web addresses as links. */
export function paragraphHtml(lines: readonly string[]): string {
  return `<p style="margin:0 0 16px;">${lines.map(lineToHtml).join("<br>\n")}</p>`;
}

/**
 * The HTML document every Postillion mail uses: a heading with the sender's name, the
 * body, a small footer. Tables and inline styles only, as mail clients need; a
 * language, a title and presentation-role tables for screen readers.
 */
export function mailDocument(opts: { locale: Locale; subject: string; heading: string; bodyHtml: string; footerHtml: string }): string {
  return `<!DOCTYPE html>
<html lang="${opts.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px;">
<tr><td style="padding:20px 28px;border-bottom:1px solid #e5e7eb;">
<h1 style="margin:0;font:bold 18px/1.4 Arial,Helvetica,sans-serif;color:#111827;">${escapeHtml(opts.heading)}</h1>
</td></tr>
<tr><td style="padding:24px 28px;font:16px/1.6 Arial,Helvetica,sans-serif;color:#111827;">
${opts.bodyHtml}
</td></tr>
<tr><td style="padding:16px 28px;border-top:1px solid #e5e7eb;font:13px/1.5 Arial,Helvetica,sans-serif;color:#4b5563;">
${opts.footerHtml}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

/** A footer link (unsubscribe): visible, underlined, in the footer's colour contrast. */
export function footerLinkHtml(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}" style="color:#374151;">${escapeHtml(label)}</a>`;
}

function htmlLayout(opts: { locale: Locale; subject: string; text: string; tenantName: string; link: string; unsubscribeUrl?: string }): string {
  // The line that is just the training link becomes the button, where the text puts it;
  // without such a line the button follows the message. Either way there is exactly one.
  let button = isWebLink(opts.link) ? "" : null;
  const paragraphs = opts.text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const lines = p.split("\n").map((line) => {
        if (button === "" && line.trim() === opts.link) {
          button = "placed";
          return buttonHtml(opts.link, opts.locale);
        }
        return lineToHtml(line);
      });
      return `<p style="margin:0 0 16px;">${lines.join("<br>\n")}</p>`;
    })
    .join("\n");
  const trailingButton =
    button === "" ? `<p style="margin:24px 0 8px;">${buttonHtml(opts.link, opts.locale)}</p>` : "";
  const ui = UI[opts.locale];
  const unsubscribe = opts.unsubscribeUrl ? `<br>\n${footerLinkHtml(opts.unsubscribeUrl, ui.unsubscribe)}` : "";
  return mailDocument({
    locale: opts.locale,
    subject: opts.subject,
    heading: opts.tenantName,
    bodyHtml: `${paragraphs}\n${trailingButton}`,
    footerHtml: `${escapeHtml(ui.footer)}${unsubscribe}`,
  });
}

/** Renders one variant: plain subject, plain text part, HTML part built from the text. */
export function renderVariant(
  variant: TemplateVariant,
  vars: TemplateVariables,
  locale: Locale,
  options: ReminderMailOptions = {},
): { subject: string; text: string; html: string } {
  // A subject is one header line: no line breaks, whatever a value contains.
  const subject = renderPlain(variant.subject, vars).replace(/\s+/g, " ").trim();
  let text = renderPlain(variant.body, vars).replace(/\r\n?/g, "\n").trim();
  // The text part must reach the training too, not only the HTML button.
  if (vars.trainingLink && !text.includes(vars.trainingLink)) {
    text += `\n\n${UI[locale].linkLabel}: ${vars.trainingLink}`;
  }
  text += "\n";
  const html = htmlLayout({ locale, subject, text, tenantName: vars.tenantName, link: vars.trainingLink, unsubscribeUrl: options.unsubscribeUrl });
  // The text part's footer: the usual signature separator, why, and the way out.
  if (options.unsubscribeUrl) text += `\n-- \n${UI[locale].footer}\n${UI[locale].unsubscribe}: ${options.unsubscribeUrl}\n`;
  return { subject, text, html };
}

/**
 * The mail for one reminder: locale by learner → tenant → other, variant rotated by
 * the reminder's number. Throws when the set has no variant at all.
 */
export function renderReminderMail(
  set: TemplateSet,
  ctx: MailContext,
  locales: { learner?: Locale | null; tenant?: Locale | null } = {},
  options: ReminderMailOptions = {},
): RenderedMail {
  const locale = chooseTemplateLocale(set, locales.learner, locales.tenant);
  if (!locale) throw new TemplateError([{ key: "plan.template.noLocale", params: {} }]);
  const variants = set[locale];
  const variantIndex = variantIndexFor(ctx.reminderNumber, variants.length);
  const rendered = renderVariant(variants[variantIndex]!, templateVariables(ctx, locale), locale, options);
  return { locale, variantIndex, ...rendered };
}

// ── Sample data and defaults ──────────────────────────────────────────────────

/** A made-up learner for live previews: assigned now, due in 14 days. */
export function sampleMailContext(
  locale: Locale,
  options: { now?: Date; timezone?: string; reminderNumber?: number; reminderTotal?: number } = {},
): MailContext {
  const now = options.now ?? new Date();
  const de = locale === "de";
  return {
    learnerFirstName: de ? "Maria" : "Sam",
    learnerLastName: de ? "Muster" : "Sample",
    trainingName: de ? "Datenschutz-Grundlagen" : "Data protection basics",
    trainingLink: "https://learning.example.com/trainings/data-protection",
    tenantName: de ? "Beispiel GmbH" : "Example Ltd",
    responsibleName: de ? "Jana Schulz" : "Jordan Lee",
    dueAt: new Date(now.getTime() + 14 * 86_400_000),
    sendAt: now,
    timezone: options.timezone ?? "Europe/Berlin",
    reminderNumber: options.reminderNumber ?? 1,
    reminderTotal: options.reminderTotal ?? 3,
  };
}

/** Friendly starting texts: three variants per language, each naming what to do and when. */
export const defaultTemplates: TemplateSet = {
  de: [
    {
      subject: "Erinnerung: {{trainingName}}",
      body: `Hallo {{learnerFirstName}},

dies ist eine freundliche Erinnerung an die Schulung „{{trainingName}}“. Sie ist fällig am {{dueDate}} ({{daysLeftText}}).

Der Einstieg dauert nur wenige Minuten:
{{trainingLink}}

Bei Fragen hilft Ihnen {{responsibleName}} gern weiter.

Viele Grüße
{{tenantName}}`,
    },
    {
      subject: "{{learnerFirstName}}, Ihre Schulung „{{trainingName}}“ wartet",
      body: `Hallo {{learnerFirstName}},

Ihre Schulung „{{trainingName}}“ ist noch offen. Fällig ist sie am {{dueDate}}.

Sie können direkt dort weitermachen, wo Sie aufgehört haben:
{{trainingLink}}

Vielen Dank!
{{tenantName}}`,
    },
    {
      subject: "Noch offen: {{trainingName}} (Erinnerung {{reminderNumber}} von {{reminderTotal}})",
      body: `Hallo {{learnerFirstName}},

die Schulung „{{trainingName}}“ ist noch nicht abgeschlossen (fällig am {{dueDate}}, {{daysLeftText}}). Sobald Sie sie abgeschlossen haben, bekommen Sie keine weiteren Erinnerungen.

{{trainingLink}}

Fragen? Bitte wenden Sie sich an {{responsibleName}}.

Viele Grüße
{{tenantName}}`,
    },
  ],
  en: [
    {
      subject: "Reminder: {{trainingName}}",
      body: `Hello {{learnerFirstName}},

this is a friendly reminder of the training "{{trainingName}}". It is due on {{dueDate}} ({{daysLeftText}}).

Getting started only takes a few minutes:
{{trainingLink}}

If you have any questions, {{responsibleName}} is happy to help.

Best regards
{{tenantName}}`,
    },
    {
      subject: "{{learnerFirstName}}, your training \"{{trainingName}}\" is waiting",
      body: `Hello {{learnerFirstName}},

your training "{{trainingName}}" is still open. It is due on {{dueDate}}.

You can pick up right where you left off:
{{trainingLink}}

Thank you!
{{tenantName}}`,
    },
    {
      subject: "Still open: {{trainingName}} (reminder {{reminderNumber}} of {{reminderTotal}})",
      body: `Hello {{learnerFirstName}},

the training "{{trainingName}}" has not been completed yet (due on {{dueDate}}, {{daysLeftText}}). Once you have completed it, you will get no further reminders.

{{trainingLink}}

Questions? Please contact {{responsibleName}}.

Kind regards
{{tenantName}}`,
    },
  ],
};
