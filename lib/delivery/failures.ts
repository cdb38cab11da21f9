import type { Localized } from "../i18n/locale";
import { classifySmtpError, describeError, lastFailureReply, redact, type NodemailerErrorLike, type SmtpSecurity } from "../mail/transport";
import type { DeliveryFailure, FailureClass } from "./types";

/**
 * What went wrong when a mail did not go, what happens next, and what a person can do
 * (DESIGN.md "Delivery" → "Failures"). The worker classifies every error nodemailer
 * gives it into one of four classes:
 *
 * - temporary  — 4xx replies, refused / dropped connections, timeouts: tried again on
 *                the backoff below; after 3 days the row is given up ("expired").
 * - recipient  — this address does not exist (5.1.x, 5.2.1, the recipient refused):
 *                failed, and the address is suppressed for the tenant.
 * - sender     — nothing this sender sends can go (535 login, 5.7.x policy such as SPF
 *                or DMARC, TLS required, 5.4.5 quota, the sender address refused): the
 *                tenant's sending pauses, its queue waits for "resume".
 * - message    — this one mail can never go (552 5.3.4 too big, content refused): failed.
 *
 * Decision on 552 5.2.2 / 452 4.2.2 "mailbox full": temporary. A full mailbox is the
 * learner's state, not a wrong address; it usually clears within days (RFC 3463 lists
 * 5.2.2 as a persistent mailbox status that "may be resolved"), and suppressing it would
 * silence every later reminder to a real person. So it is retried on the backoff and,
 * still full after 3 days, ends as expired — not suppressed.
 *
 * The connection-level detection (unreachable, certificate, TLS spoken to a plain port,
 * STARTTLS missing, timeouts, login refused) is lib/mail/transport.ts classifySmtpError's:
 * one place decides those, and its words tell how to fix a sender-wide failure.
 */

export const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The waits after the 1st, 2nd, … failed attempt; every later wait is the last one. */
export const BACKOFF_MS: readonly number[] = [1 * MINUTE_MS, 5 * MINUTE_MS, 30 * MINUTE_MS, 2 * HOUR_MS, 6 * HOUR_MS];

/** A row still failing this long after its first attempt is given up (status failed, class expired). */
export const GIVE_UP_AFTER_MS = 3 * 24 * HOUR_MS;

/** ± this share of each wait is random, so rows that failed together do not retry together. */
export const BACKOFF_JITTER = 0.1;

/**
 * When to try a temporarily failed row again, or null to give up. `failedAttempts` counts
 * the failed attempts so far, this one included (1 after the first failure). The last try
 * lands exactly on the 3-day mark when the backoff would overshoot it, so a row is never
 * given up without a try at the end of its time.
 */
export function nextRetryAt(p: { failedAttempts: number; firstAttemptAt: Date; now: Date; random?: () => number }): Date | null {
  const deadline = p.firstAttemptAt.getTime() + GIVE_UP_AFTER_MS;
  const now = p.now.getTime();
  if (now >= deadline) return null;
  const index = Math.min(Math.max(p.failedAttempts, 1), BACKOFF_MS.length) - 1;
  const base = BACKOFF_MS[index]!;
  const r = (p.random ?? Math.random)();
  const wait = Math.round(base * (1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * r));
  return new Date(Math.min(now + wait, deadline));
}

// ── Classification ───────────────────────────────────────────────────────────────

export interface FailureContext {
  host: string;
  port: number;
  security: SmtpSecurity;
  from: string;
  to: string;
  /** The server's side of the dialogue when the caller logged it (never the client's). */
  transcript?: readonly string[];
  user?: string | null;
  password?: string | null;
}

/** The kinds a failure can have, by class (stored in deliveries.lastErrorKind). */
export const FAILURE_KINDS = {
  temporary: ["unreachable", "timeout", "dropped", "service_unavailable", "greylisted", "temporary_reply", "auth_temporary", "mailbox_full", "unknown"],
  recipient: ["mailbox_unknown", "mailbox_disabled", "recipient_rejected", "invalid_address"],
  sender: ["auth_failed", "tls_mismatch", "starttls_unavailable", "policy_rejected", "quota_exceeded", "sender_rejected", "connection_rejected", "refused_host"],
  message: ["message_too_big", "message_rejected", "message_invalid"],
} as const satisfies Record<DeliveryFailure["class"], readonly string[]>;

export type FailureKind = (typeof FAILURE_KINDS)[keyof typeof FAILURE_KINDS][number];

const REPLY_MAX = 2_000;

/**
 * The RFC 3463 enhanced status code of a reply ("550 5.1.1 …" → "5.1.1"). Usually right
 * after the reply code (RFC 2034); some servers put it later, or a generic x.0.0 first:
 * the first specific one wins.
 */
export function enhancedStatus(reply: string | undefined): string | null {
  if (!reply) return null;
  const first = reply.split(/\r?\n/)[0]!.slice(4);
  const codes = [...first.matchAll(/(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d.])/g)].map((m) => m[1]!);
  return codes.find((c) => !c.endsWith(".0.0")) ?? codes[0] ?? null;
}

/** The server's reply (or the error's codes), cut to a length the outbox row keeps. */
function describe(err: NodemailerErrorLike, transcript: readonly string[]): string {
  const text = describeError(err, transcript) || "Unknown error";
  return text.length > REPLY_MAX ? `${text.slice(0, REPLY_MAX)}…` : text;
}

function decide(err: NodemailerErrorLike, ctx: FailureContext, transcript: readonly string[]): { class: DeliveryFailure["class"]; kind: FailureKind; fix?: Localized } {
  const code = err.code ?? "";
  const orig = err.originalCode ?? "";
  const command = err.command ?? "";
  const reply = err.response ?? lastFailureReply(transcript);
  const rc = err.responseCode ?? (reply && /^\d{3}/.test(reply) ? Number(reply.slice(0, 3)) : undefined);
  const esc = enhancedStatus(reply);
  const text = `${reply ?? ""} ${err.message ?? ""}`;

  // Refused by nodemailer before anything was sent: the address or the message itself.
  if (rc === undefined && code === "EENVELOPE") {
    if (/invalid sender/i.test(err.message ?? "")) return { class: "sender", kind: "sender_rejected" };
    if (/invalid recipient/i.test(err.message ?? "")) return { class: "recipient", kind: "invalid_address" };
    return { class: "message", kind: "message_invalid" };
  }
  if (rc === undefined && code === "EMESSAGE") {
    return { class: "message", kind: /size larger/i.test(err.message ?? "") ? "message_too_big" : "message_invalid" };
  }
  if (rc === undefined && code === "ESTREAM") return { class: "message", kind: "message_invalid" };

  // The connection broke once the server had spoken (it dropped us, e.g. after DATA):
  // try again. The mail may have arrived; a repeat carries the same Message-ID.
  const saw = ctx.transcript === undefined || transcript.length > 0;
  if (rc === undefined && (code === "ECONNECTION" || (code === "ESOCKET" && saw && /ECONNRESET|EPIPE/.test(orig)))) {
    return { class: "temporary", kind: "dropped" };
  }

  if (rc === undefined || rc < 400) {
    const c = classifySmtpError(err, { hostname: ctx.host, port: ctx.port, security: ctx.security, transcript, from: ctx.from, to: ctx.to });
    switch (c.kind) {
      case "unreachable":
        return { class: "temporary", kind: "unreachable" };
      case "timeout":
        return { class: "temporary", kind: "timeout" };
      case "tls_mismatch":
      case "starttls_unavailable":
      case "auth_failed":
        return c.temporary ? { class: "temporary", kind: "auth_temporary" } : { class: "sender", kind: c.kind, fix: c.message };
      default:
        return code === "EAUTH" || code === "ENOAUTH" ? { class: "sender", kind: "auth_failed", fix: c.message } : { class: "temporary", kind: "unknown" };
    }
  }

  // The server replied 4xx: always temporary.
  if (rc < 500) {
    if (command.startsWith("AUTH")) return { class: "temporary", kind: "auth_temporary" };
    if (rc === 421) return { class: "temporary", kind: "service_unavailable" };
    if (esc === "4.2.2") return { class: "temporary", kind: "mailbox_full" };
    if (/greylist|grey-list|graylist|try again later/i.test(text) || esc === "4.7.1") return { class: "temporary", kind: "greylisted" };
    return { class: "temporary", kind: "temporary_reply" };
  }

  // 5xx: who is it about? The login and TLS first (the probe's rules and words).
  const smtpCtx = { hostname: ctx.host, port: ctx.port, security: ctx.security, transcript, from: ctx.from, to: ctx.to };
  if (rc === 538 || code === "EAUTH" || code === "ENOAUTH" || command.startsWith("AUTH") || rc === 535 || rc === 534 || rc === 530) {
    const c = classifySmtpError(err, smtpCtx);
    return { class: "sender", kind: c.kind === "tls_mismatch" ? "tls_mismatch" : "auth_failed", fix: c.message };
  }
  if (command === "STARTTLS" || code === "ETLS") {
    return { class: "sender", kind: "starttls_unavailable", fix: classifySmtpError(err, smtpCtx).message };
  }
  if (esc === "5.2.2") return { class: "temporary", kind: "mailbox_full" };
  if (esc === "5.4.5" || (command === "MAIL FROM" && /quota|limit exceeded|too many messages/i.test(text))) {
    return { class: "sender", kind: "quota_exceeded" };
  }
  if (esc?.startsWith("5.7.")) return { class: "sender", kind: "policy_rejected" };
  if (command === "CONN" || command === "EHLO" || command === "HELO" || command === "LHLO") {
    return { class: "sender", kind: "connection_rejected" };
  }
  if (command === "MAIL FROM" || esc === "5.1.7" || esc === "5.1.8") {
    return { class: "sender", kind: "sender_rejected", fix: classifySmtpError(err, smtpCtx).message };
  }
  if (esc === "5.2.3" || esc === "5.3.4" || (rc === 552 && command !== "RCPT TO")) return { class: "message", kind: "message_too_big" };
  if (esc?.startsWith("5.6.")) return { class: "message", kind: "message_rejected" };
  if (esc?.startsWith("5.1.")) return { class: "recipient", kind: "mailbox_unknown" };
  if (esc?.startsWith("5.2.")) return { class: "recipient", kind: "mailbox_disabled" };
  if (command === "RCPT TO") {
    // RFC 5321 4.5.3.1.10: a 552 to RCPT means "too many recipients", to be treated as 452.
    if (rc === 552) return { class: "temporary", kind: "temporary_reply" };
    return { class: "recipient", kind: "recipient_rejected" };
  }
  if (command === "DATA") return { class: "message", kind: "message_rejected" };
  return { class: "temporary", kind: "unknown" };
}

/**
 * Turns what nodemailer threw for one mail into a DeliveryFailure: its class (what the
 * worker does next), a kind (stored), the SMTP reply code, the server's reply with the
 * password removed, and advice in plain words.
 */
export function classifyDeliveryFailure(err: unknown, ctx: FailureContext): DeliveryFailure {
  const e = (err && typeof err === "object" ? err : { message: String(err) }) as NodemailerErrorLike;
  const transcript = ctx.transcript ?? [];
  const decided = decide(e, ctx, transcript);
  const reply = redact(describe(e, transcript), ctx.user, ctx.password);
  const rcText = e.response ?? lastFailureReply(transcript);
  const smtpCode = e.responseCode ?? (rcText && /^\d{3}/.test(rcText) ? Number(rcText.slice(0, 3)) : null);
  return {
    class: decided.class,
    kind: decided.kind,
    smtpCode,
    reply,
    advice: failureAdvice(decided.kind, decided.class, decided.fix),
  };
}

// ── Words ────────────────────────────────────────────────────────────────────────

/** What happened, per kind: one or two sentences a non-expert understands. */
const WHAT_HAPPENED: Record<FailureKind, Localized> = {
  unreachable: {
    de: "Der Mailserver war nicht erreichbar (keine Verbindung).",
    en: "The mail server could not be reached (no connection).",
  },
  timeout: {
    de: "Der Mailserver hat nicht rechtzeitig geantwortet.",
    en: "The mail server did not answer in time.",
  },
  dropped: {
    de: "Der Mailserver hat die Verbindung mitten in der Übergabe getrennt.",
    en: "The mail server closed the connection in the middle of the hand-over.",
  },
  service_unavailable: {
    de: "Der Mailserver nimmt gerade keine Mails an (überlastet oder in Wartung).",
    en: "The mail server is not accepting mail right now (busy or under maintenance).",
  },
  greylisted: {
    de: "Der empfangende Server hat die Mail vorläufig zurückgestellt (üblicher Spamschutz bei neuen Absendern).",
    en: "The receiving server deferred the mail for now (a common spam protection against new senders).",
  },
  temporary_reply: {
    de: "Der Mailserver meldet ein vorübergehendes Problem.",
    en: "The mail server reports a temporary problem.",
  },
  auth_temporary: {
    de: "Die Anmeldung am Mailserver ist vorübergehend gescheitert (ein Problem des Servers, nicht Ihres Passworts).",
    en: "Logging in to the mail server failed temporarily (a problem of the server, not of your password).",
  },
  mailbox_full: {
    de: "Das Postfach des Empfängers ist voll.",
    en: "The recipient's mailbox is full.",
  },
  unknown: {
    de: "Beim Versand ist ein unerwarteter Fehler aufgetreten.",
    en: "An unexpected error occurred while sending.",
  },
  mailbox_unknown: {
    de: "Diese E-Mail-Adresse gibt es beim Empfänger nicht (unbekanntes Postfach oder unbekannte Domain).",
    en: "This e-mail address does not exist at the receiving side (unknown mailbox or unknown domain).",
  },
  mailbox_disabled: {
    de: "Das Postfach des Empfängers ist gesperrt oder nimmt keine Mails mehr an.",
    en: "The recipient's mailbox is disabled or no longer accepts mail.",
  },
  recipient_rejected: {
    de: "Der empfangende Server hat diese Empfängeradresse dauerhaft abgelehnt.",
    en: "The receiving server permanently refused this recipient address.",
  },
  invalid_address: {
    de: "Die Empfängeradresse ist ungültig.",
    en: "The recipient address is not valid.",
  },
  auth_failed: {
    de: "Der Mailserver hat die Anmeldung abgelehnt (Benutzername oder Passwort).",
    en: "The mail server refused the login (user name or password).",
  },
  tls_mismatch: {
    de: "Die verschlüsselte Verbindung zum Mailserver kam nicht zustande (Verschlüsselungsart oder Zertifikat passen nicht).",
    en: "The encrypted connection to the mail server could not be made (the encryption setting or the certificate does not fit).",
  },
  starttls_unavailable: {
    de: "Der Mailserver bietet die verlangte Verschlüsselung (STARTTLS) nicht an.",
    en: "The mail server does not offer the required encryption (STARTTLS).",
  },
  policy_rejected: {
    de: "Der Mailserver lehnt Mails dieses Absenders aus Richtliniengründen ab – meist weil SPF, DKIM oder DMARC der Absenderdomain nicht passen, oder weil der Absender nicht senden darf.",
    en: "The mail server refuses mail from this sender for policy reasons – usually because SPF, DKIM or DMARC of the sender domain do not match, or because the sender may not send.",
  },
  quota_exceeded: {
    de: "Das Sendelimit des Absenderkontos ist erreicht.",
    en: "The sending account's limit is reached.",
  },
  sender_rejected: {
    de: "Der Mailserver hat die Absenderadresse abgelehnt.",
    en: "The mail server refused the sender address.",
  },
  connection_rejected: {
    de: "Der Mailserver weist Verbindungen der Plattform ab.",
    en: "The mail server refuses connections from the platform.",
  },
  refused_host: {
    de: "Der eingetragene Mailserver ist für die Plattform nicht erlaubt (eine interne Adresse oder ein nicht freigegebener Port).",
    en: "The mail server entered is not allowed for the platform (an internal address or a port that is not permitted).",
  },
  message_too_big: {
    de: "Die Mail ist für den empfangenden Server zu groß.",
    en: "The mail is too big for the receiving server.",
  },
  message_rejected: {
    de: "Der empfangende Server hat den Inhalt dieser Mail abgelehnt.",
    en: "The receiving server refused the content of this mail.",
  },
  message_invalid: {
    de: "Die Mail konnte nicht zusammengestellt werden.",
    en: "The mail could not be put together.",
  },
};

/** What happens next and what to do, per class. */
const NEXT_STEP: Record<FailureClass, Localized> = {
  temporary: {
    de: "Postillion versucht es automatisch erneut (nach etwa 1, 5 und 30 Minuten, dann nach 2 und alle 6 Stunden). Sie müssen nichts tun. Klappt es 3 Tage lang nicht, wird die Mail aufgegeben.",
    en: "Postillion tries again automatically (after about 1, 5 and 30 minutes, then after 2 and every 6 hours). You need not do anything. If it keeps failing for 3 days, the mail is given up.",
  },
  recipient: {
    de: "Die Mail ist endgültig gescheitert und die Adresse wurde für Ihre Organisation gesperrt, damit keine weiteren Mails an sie gehen (das schützt den Ruf Ihres Absenders). Bitte die Adresse der Person korrigieren; ist sie doch richtig, die Sperre unter „Zustellungen“ aufheben.",
    en: "The mail failed for good and the address was blocked for your organisation so that no more mail goes to it (this protects your sender's reputation). Please correct the person's address; if it is right after all, remove the block under “Deliveries”.",
  },
  sender: {
    de: "Der Versand Ihrer Organisation ist deshalb angehalten; keine Mail geht verloren, alle warten. Bitte die Ursache beheben (oder Ihre IT bzw. den Betreiber des Mailservers bitten) und dann unter „Zustellungen“ auf „Versand fortsetzen“ klicken.",
    en: "Your organisation's sending is therefore paused; no mail is lost, they all wait. Please fix the cause (or ask your IT or the mail server's operator) and then click “Resume sending” under “Deliveries”.",
  },
  message: {
    de: "Diese eine Mail wird nicht erneut versucht; andere Mails sind nicht betroffen. Ist die Vorlage der Erinnerung sehr lang, bitte kürzen.",
    en: "This one mail is not tried again; other mails are not affected. If the reminder's template is very long, please shorten it.",
  },
  expired: {
    de: "Postillion hat es 3 Tage lang immer wieder versucht und die Mail dann aufgegeben. Bleibt das Problem, bitte den Betreiber des Mailservers fragen.",
    en: "Postillion kept trying for 3 days and then gave the mail up. If the problem stays, please ask the mail server's operator.",
  },
};

function join(...parts: (Localized | undefined)[]): Localized {
  const present = parts.filter((p): p is Localized => !!p);
  return { de: present.map((p) => p.de).join(" "), en: present.map((p) => p.en).join(" ") };
}

/**
 * The advice for a failure: what happened, the fix when one is known (a sender-wide
 * failure's words from the connection test), and what happens next. For rows loaded
 * later (the deliveries page), from the stored kind and class alone.
 */
export function failureAdvice(kind: string, failureClass: FailureClass, fix?: Localized): Localized {
  const what = WHAT_HAPPENED[kind as FailureKind] ?? WHAT_HAPPENED.unknown;
  return join(what, fix, NEXT_STEP[failureClass] ?? NEXT_STEP.temporary);
}
