import net from "node:net";
import nodemailer, { type SMTPTransportOptions } from "nodemailer";
import { localized, type Locale, type Localized } from "../i18n/locale";
import { headerDisplayName, parseSingleAddress } from "./address";
import { checkSmtpTarget, type SmtpTargetPolicy } from "./ssrf-guard";

/**
 * Connection test and test mail for a tenant's own SMTP server (mode custom_smtp), and
 * a small one-off sender for the platform relay (address-proof mails).
 *
 * Every result is either `{ ok: true, reply, ms }` or a failure with a kind the code can
 * act on, a message in plain words for a non-expert (what happened, what to do), and the
 * raw server reply / error code as `detail` for the "details" disclosure. The password
 * never appears in either (see redact()).
 *
 * Port-scanner resistance: a closed port (connection refused) and a filtered one
 * (connect timeout) give the same kind, text and detail, and — unless switched off —
 * the same timing: an "unreachable" answer is held back until the connect timeout has
 * passed. Together with the SSRF guard (public addresses and SMTP ports only) the
 * feature tells a user no more than "a mail server answers there, or not".
 */

export type SmtpSecurity = "tls" | "starttls" | "none";

export interface SmtpSettings {
  host: string;
  port: number;
  /** "tls": TLS from the first byte (usually 465); "starttls": STARTTLS required (usually 587); "none": no encryption required. */
  security: SmtpSecurity;
  user?: string | null;
  password?: string | null;
  fromAddress: string;
  fromName?: string | null;
  replyTo?: string | null;
}

export type ProbeFailureKind =
  | "auth_failed"
  | "tls_mismatch"
  | "starttls_unavailable"
  | "unreachable"
  | "timeout"
  | "refused_host"
  | "rejected_sender"
  | "rejected_recipient"
  | "unknown";

export type ProbeResult =
  | { ok: true; reply: string; ms: number; messageId?: string }
  | { ok: false; kind: ProbeFailureKind; message: Localized; detail: string; ms: number; temporary: boolean };

export interface ProbeOptions extends SmtpTargetPolicy {
  /** Overall limit and every nodemailer timeout (connect, greeting, socket). Default 10 s. */
  timeoutMs?: number;
  /** TESTS ONLY: false accepts any certificate (self-signed test server). Default true (verify). */
  tlsRejectUnauthorized?: boolean;
  /** Extra trusted CA certificates (PEM): a test's self-signed certificate, or an operator's private CA. */
  tlsCa?: string | string[];
  /** EHLO name (default: nodemailer's, the machine's host name). */
  clientName?: string;
  /**
   * Hold "unreachable" results back until the connect timeout has passed, so a closed
   * port cannot be told from a filtered one by timing. Default true.
   */
  uniformUnreachableTiming?: boolean;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

/** What nodemailer's errors carry (also read by lib/delivery/failures.ts). */
export interface NodemailerErrorLike {
  code?: string;
  originalCode?: string;
  timeoutType?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  message?: string;
}

/** Removes the password in every form it could travel in (plain, base64, AUTH PLAIN blob). */
export function redact(text: string, user: string | null | undefined, password: string | null | undefined): string {
  if (!password) return text;
  const forms = new Set<string>([
    password,
    Buffer.from(password, "utf8").toString("base64"),
    Buffer.from(`\u0000${user ?? ""}\u0000${password}`, "utf8").toString("base64"),
    Buffer.from(`${user ?? ""}\u0000${user ?? ""}\u0000${password}`, "utf8").toString("base64"),
  ]);
  let out = text;
  for (const f of [...forms].sort((a, b) => b.length - a.length)) {
    if (f.length >= 1) out = out.split(f).join("[redacted]");
  }
  return out;
}

/** The nodemailer options for a checked target: connect to the IP, verify TLS against the host name. */
export function buildTransportOptions(
  settings: Pick<SmtpSettings, "port" | "security" | "user" | "password">,
  target: { hostname: string; address: string },
  opts: Pick<ProbeOptions, "timeoutMs" | "tlsRejectUnauthorized" | "tlsCa" | "clientName"> = {},
): SMTPTransportOptions {
  const timeout = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  // SNI and certificate check use the name the user typed; an IP literal has no SNI.
  const servername = net.isIP(target.hostname) ? undefined : target.hostname;
  const user = settings.user?.trim() || undefined;
  return {
    host: target.address,
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    // "none" = encryption not required: still upgrade when offered, but go on in plain
    // text if the upgrade fails (the admin acknowledged that).
    opportunisticTLS: settings.security === "none",
    ...(servername ? { servername } : {}),
    tls: {
      ...(servername ? { servername } : {}),
      rejectUnauthorized: opts.tlsRejectUnauthorized ?? true,
      ...(opts.tlsCa ? { ca: opts.tlsCa } : {}),
    },
    ...(user ? { auth: { user, pass: settings.password ?? "" }, forceAuth: true } : {}),
    ...(opts.clientName ? { name: opts.clientName } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** Collects the server's side of the SMTP dialogue (never the client's, which carries AUTH data). */
function transcriptLogger() {
  const lines: string[] = [];
  const noop = () => {};
  const logger = {
    trace: noop,
    info: noop,
    warn: noop,
    error: noop,
    fatal: noop,
    debug: (entry: { tnx?: string } | undefined, message?: unknown) => {
      if (entry?.tnx === "server" && typeof message === "string") lines.push(message);
    },
  };
  return { lines, logger };
}

const TEMPORARY = new Set([421, 450, 451, 452, 454]);

interface ClassifyContext {
  hostname: string;
  port: number;
  security: SmtpSecurity;
  transcript: readonly string[];
  from?: string;
  to?: string;
}

type Classified = { kind: ProbeFailureKind; message: Localized; temporary: boolean; detail?: string };

/** Last 4xx/5xx line the server sent (nodemailer drops some, e.g. a 421 greeting at verify()). */
export function lastFailureReply(lines: readonly string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (/^[45]\d\d[ -]/.test(l)) return l;
  }
  return undefined;
}

const CERT_PROBLEM = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|certificate|self[- ]signed|Hostname\/IP does not match/i;
const TLS_PROTOCOL = /WRONG_VERSION|wrong version number|packet length too long|unknown protocol|ssl3_get_record|record layer failure|EPROTO|handshake failure|tlsv1 alert|http request/i;
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN", "EADDRNOTAVAIL", "ENOTFOUND"]);

/**
 * Maps a nodemailer error to a kind and plain words. Exported for tests and for the
 * delivery worker, which sees the same errors.
 */
export function classifySmtpError(err: NodemailerErrorLike, ctx: ClassifyContext): Classified {
  const { hostname: host, port } = ctx;
  const code = err.code ?? "";
  const orig = err.originalCode ?? "";
  const serverReply = err.response ?? lastFailureReply(ctx.transcript);
  const rc = err.responseCode ?? (serverReply ? Number(serverReply.slice(0, 3)) : undefined);
  const text = `${err.message ?? ""} ${orig}`;
  const sawServer = ctx.transcript.length > 0;

  // 1. No connection at all. Refused and timed-out connects are deliberately the same
  //    answer, with a fixed detail (see the module comment).
  if (
    err.timeoutType === "CONNECT_TIMEOUT" ||
    UNREACHABLE_CODES.has(orig) ||
    UNREACHABLE_CODES.has(code) ||
    (!sawServer && (orig === "ECONNRESET" || code === "EDNS"))
  ) {
    return {
      kind: "unreachable",
      temporary: true,
      detail: `No connection to ${host}:${port} could be established.`,
      message: localized(
        "Zum Server {host} auf Port {port} kam keine Verbindung zustande. Bitte Servername und Port prüfen (üblich: 587 oder 465). Stimmen beide, blockiert vermutlich eine Firewall die Verbindung – dann bitte beim Betreiber des Mailservers nachfragen, ob Verbindungen von der Plattform erlaubt sind.",
        "No connection to the server {host} on port {port} could be made. Please check the server name and the port (usual: 587 or 465). If both are right, a firewall is probably blocking the connection – please ask the mail server's operator whether connections from the platform are allowed.",
        { host, port },
      ),
    };
  }

  // 2. Certificate not trusted.
  if (CERT_PROBLEM.test(text)) {
    return {
      kind: "tls_mismatch",
      temporary: false,
      message: localized(
        "Die Verbindung war verschlüsselt, aber das Zertifikat des Servers ist nicht vertrauenswürdig (selbst ausgestellt, abgelaufen oder für einen anderen Namen als {host}). Bitte den Namen verwenden, auf den das Zertifikat ausgestellt ist, oder den Betreiber bitten, ein gültiges Zertifikat einzurichten.",
        "The connection was encrypted, but the server's certificate is not trusted (self-signed, expired or issued for a name other than {host}). Please use the name the certificate is issued for, or ask the operator to install a valid certificate.",
        { host },
      ),
    };
  }

  // 3. TLS spoken to a plain port or the other way round.
  if (TLS_PROTOCOL.test(text) || (err.timeoutType && !sawServer && (port === 465) !== (ctx.security === "tls"))) {
    const fix =
      ctx.security === "tls"
        ? localized(
            "Der Server erwartet auf Port {port} keine sofortige TLS-Verschlüsselung. Bitte „STARTTLS“ wählen (meist mit Port 587).",
            "The server does not expect TLS right away on port {port}. Please choose “STARTTLS” (usually with port 587).",
            { port },
          )
        : localized(
            "Der Server erwartet auf Port {port} TLS-Verschlüsselung von Anfang an. Bitte „TLS“ wählen (meist mit Port 465).",
            "The server expects TLS encryption from the start on port {port}. Please choose “TLS” (usually with port 465).",
            { port },
          );
    return { kind: "tls_mismatch", temporary: false, message: fix };
  }

  // 4. STARTTLS required but the server does not offer it (or refuses it).
  if ((code === "ETLS" && err.command === "STARTTLS") || /does not support required STARTTLS/i.test(text)) {
    return {
      kind: "starttls_unavailable",
      temporary: false,
      message: localized(
        "Der Server bietet auf Port {port} keine Verschlüsselung per STARTTLS an. Versuchen Sie „TLS“ mit Port 465. Unterstützt der Server gar keine Verschlüsselung, würden Passwort und Mails lesbar übertragen – das nur nach Rücksprache mit Ihrer IT.",
        "The server does not offer STARTTLS encryption on port {port}. Try “TLS” with port 465. If the server supports no encryption at all, the password and mails would travel readable – only do that after talking to your IT.",
        { port },
      ),
    };
  }

  // 5. Timeouts once connected: the server is there but too slow.
  if (code === "ETIMEDOUT" || err.timeoutType) {
    return {
      kind: "timeout",
      temporary: true,
      message: localized(
        "Der Server {host} hat die Verbindung angenommen, aber nicht rechtzeitig geantwortet. Er ist vielleicht überlastet – bitte später erneut versuchen. Bleibt es so, Port und Verschlüsselung prüfen.",
        "The server {host} accepted the connection but did not answer in time. It may be overloaded – please try again later. If it stays like this, check the port and the encryption setting.",
        { host },
      ),
    };
  }

  // 6. Server replies.
  if (rc === 538 || (code === "EAUTH" && /STARTTLS/i.test(serverReply ?? ""))) {
    return {
      kind: "tls_mismatch",
      temporary: false,
      message: localized(
        "Der Server verlangt vor der Anmeldung eine Verschlüsselung. Bitte „STARTTLS“ (Port 587) oder „TLS“ (Port 465) wählen.",
        "The server requires encryption before login. Please choose “STARTTLS” (port 587) or “TLS” (port 465).",
      ),
    };
  }
  if (rc === 421 || (rc === 554 && err.command === "CONN")) {
    const temporary = rc === 421;
    return {
      kind: "unknown",
      temporary,
      message: temporary
        ? localized(
            "Der Server {host} nimmt gerade keine Verbindungen an (er ist überlastet oder wird gewartet). Bitte in einigen Minuten erneut versuchen.",
            "The server {host} is not accepting connections right now (it is busy or under maintenance). Please try again in a few minutes.",
            { host },
          )
        : localized(
            "Der Server {host} weist Verbindungen von der Plattform ab. Bitte den Betreiber des Mailservers bitten, die Plattform zuzulassen.",
            "The server {host} refuses connections from the platform. Please ask the mail server's operator to allow the platform.",
            { host },
          ),
    };
  }
  if (code === "EAUTH" || code === "ENOAUTH" || rc === 535 || rc === 534 || rc === 530) {
    if (rc === 454) {
      return {
        kind: "auth_failed",
        temporary: true,
        message: localized(
          "Die Anmeldung ist am Server vorübergehend gescheitert (Serverproblem, nicht Ihr Passwort). Bitte später erneut versuchen.",
          "Login failed temporarily on the server's side (a server problem, not your password). Please try again later.",
        ),
      };
    }
    if (rc === 500 || rc === 502 || rc === 503 || rc === 504) {
      return {
        kind: "auth_failed",
        temporary: false,
        message: localized(
          "Der Server bietet auf dieser Verbindung keine Anmeldung mit Benutzer und Passwort an. Vielleicht braucht er keine Anmeldung (dann Benutzer leer lassen) oder erst eine Verschlüsselung (STARTTLS oder TLS wählen).",
          "The server does not offer login with user and password on this connection. Maybe it needs no login (then leave the user empty) or encryption first (choose STARTTLS or TLS).",
        ),
      };
    }
    if (rc === 530 || code === "ENOAUTH") {
      return {
        kind: "auth_failed",
        temporary: false,
        message: localized(
          "Der Server verlangt eine Anmeldung. Bitte Benutzername und Passwort des Postfachs eintragen.",
          "The server requires a login. Please enter the mailbox's user name and password.",
        ),
      };
    }
    return {
      kind: "auth_failed",
      temporary: false,
      message: localized(
        "Der Server hat Benutzername oder Passwort abgelehnt. Bitte beides prüfen. Hinweis: Manche Anbieter (z. B. Microsoft 365, Google) verlangen ein App-Passwort oder haben die SMTP-Anmeldung für das Postfach abgeschaltet – dann muss Ihre IT sie freischalten.",
        "The server rejected the user name or password. Please check both. Note: some providers (such as Microsoft 365 or Google) require an app password or have SMTP login switched off for the mailbox – then your IT has to enable it.",
      ),
    };
  }
  if (rc !== undefined && TEMPORARY.has(rc)) {
    return {
      kind: "unknown",
      temporary: true,
      message: localized(
        "Der Server meldet ein vorübergehendes Problem. Bitte später erneut versuchen; die Details unten nennen den Grund.",
        "The server reports a temporary problem. Please try again later; the details below give the reason.",
      ),
    };
  }
  const quota = /5\.4\.5|quota|limit exceeded|too many/i.test(serverReply ?? "");
  if (err.command === "MAIL FROM" || (err.command === "DATA" && rc !== undefined && rc >= 500)) {
    return {
      kind: "rejected_sender",
      temporary: false,
      message: quota
        ? localized(
            "Der Server hat die Mail abgelehnt, weil das Sendelimit des Kontos erreicht ist. Für den Versand vieler Erinnerungen ist dieses Konto nicht geeignet – bitte einen Server mit höherem Limit verwenden oder das Limit hier senken.",
            "The server refused the mail because the account's sending limit is reached. This account is not suitable for sending many reminders – please use a server with a higher limit or lower the limit here.",
          )
        : localized(
            "Der Server hat den Absender {from} abgelehnt. Meist darf das angemeldete Konto nicht mit dieser Adresse senden: Bitte die Adresse des Postfachs verwenden, mit dem Sie sich anmelden, oder die IT bitten, das Senden mit dieser Adresse zu erlauben.",
            "The server refused the sender {from}. Usually the account you log in with may not send with this address: please use the address of that mailbox, or ask your IT to allow sending with this address.",
            { from: ctx.from ?? "" },
          ),
    };
  }
  if (err.command === "RCPT TO") {
    return {
      kind: "rejected_recipient",
      temporary: false,
      message: localized(
        "Der Server hat den Empfänger {to} abgelehnt. Bitte die Adresse prüfen. Lehnt der Server jede fremde Adresse ab („relay denied“), fehlt meist die Anmeldung mit Benutzer und Passwort.",
        "The server refused the recipient {to}. Please check the address. If the server refuses every outside address (“relay denied”), the login with user and password is usually missing.",
        { to: ctx.to ?? "" },
      ),
    };
  }
  return {
    kind: "unknown",
    temporary: false,
    message: localized(
      "Beim Gespräch mit dem Server {host} ist ein unerwarteter Fehler aufgetreten. Die Details unten zeigen die Antwort des Servers; bei Bedarf bitte an den Betreiber des Mailservers weitergeben.",
      "An unexpected error occurred while talking to the server {host}. The details below show the server's answer; if needed, please pass them on to the mail server's operator.",
      { host },
    ),
  };
}

/** The "details" text of a failure: the server's reply, else the error's codes and message. */
export function describeError(err: NodemailerErrorLike, transcript: readonly string[]): string {
  const parts: string[] = [];
  const reply = err.response ?? lastFailureReply(transcript);
  if (reply) parts.push(reply);
  const codes = [err.code, err.originalCode, err.timeoutType].filter(Boolean).join(" / ");
  if (codes) parts.push(`[${codes}]${err.command ? ` at ${err.command}` : ""}`);
  if (!reply && err.message) parts.push(err.message.trim());
  return parts.join(" ");
}

function refusedResult(message: Localized, detail: string, ms: number): ProbeResult {
  return { ok: false, kind: "refused_host", message, detail, ms, temporary: false };
}

/** Runs one nodemailer operation against a checked target and turns the outcome into a ProbeResult. */
async function runAgainstTarget<T>(
  settings: SmtpSettings,
  opts: ProbeOptions,
  operation: (transport: ReturnType<typeof nodemailer.createTransport>) => Promise<T>,
  onSuccess: (value: T, transcript: readonly string[]) => { reply: string; messageId?: string },
  ctxExtra: { from?: string; to?: string } = {},
): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;

  const target = await checkSmtpTarget(settings.host, settings.port, opts);
  if (!target.ok) {
    // The blocked address itself stays out of the detail: it would disclose what an
    // internal name resolves to.
    const detail = `Refused before connecting: ${target.reason}${target.category ? ` (${target.category})` : ""}.`;
    if (target.reason === "not_found") {
      return { ok: false, kind: "unreachable", message: target.message, detail: `Host name ${settings.host} not found.`, ms: elapsed(), temporary: false };
    }
    return refusedResult(target.message, detail, elapsed());
  }

  const { lines, logger } = transcriptLogger();
  const transport = nodemailer.createTransport({
    ...buildTransportOptions(settings, target, opts),
    logger,
    transactionLog: true,
  });
  const ctx: ClassifyContext = { hostname: target.hostname, port: target.port, security: settings.security, transcript: lines, ...ctxExtra };

  let timer: NodeJS.Timeout | undefined;
  // A last line of defence: nodemailer's own timers bound each phase, this bounds the whole.
  const overall = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error("Overall time limit reached"), { code: "ETIMEDOUT", timeoutType: "OVERALL" })),
      timeoutMs + 1_000,
    );
  });
  try {
    const value = await Promise.race([operation(transport), overall]);
    const { reply, messageId } = onSuccess(value, lines);
    return {
      ok: true,
      reply: redact(reply, settings.user, settings.password),
      ms: elapsed(),
      ...(messageId ? { messageId } : {}),
    };
  } catch (e) {
    const err = (e ?? {}) as NodemailerErrorLike;
    const c = classifySmtpError(err, ctx);
    if (c.kind === "unreachable" && opts.uniformUnreachableTiming !== false) {
      const wait = timeoutMs - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const detail = redact(c.detail ?? describeError(err, lines), settings.user, settings.password);
    return { ok: false, kind: c.kind, message: c.message, detail, ms: elapsed(), temporary: c.temporary };
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}

/**
 * Connects, upgrades/negotiates TLS as configured, logs in (when a user is set) and
 * says goodbye — nodemailer's verify(). No mail is sent.
 */
export async function testConnection(settings: SmtpSettings, opts: ProbeOptions = {}): Promise<ProbeResult> {
  return runAgainstTarget(
    settings,
    opts,
    (t) => t.verify(),
    (_v, lines) => {
      const greeting = lines[0]?.split("\n")[0] ?? "";
      const auth = lines.find((l) => l.startsWith("235"));
      return { reply: [greeting, auth].filter(Boolean).join("\n") };
    },
  );
}

export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

/** Sends one message through the given server (checked by the SSRF guard like a connection test). */
export async function sendMessage(settings: SmtpSettings, message: OutgoingMessage, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const started = performance.now();
  const invalid = (kind: ProbeFailureKind, which: string): ProbeResult => ({
    ok: false,
    kind,
    temporary: false,
    ms: Math.round(performance.now() - started),
    detail: `Not sent: invalid ${which} address.`,
    message: localized(
      "Die Adresse „{which}“ ist ungültig; es wurde nichts gesendet.",
      "The “{which}” address is not valid; nothing was sent.",
      { which },
    ),
  });
  const from = parseSingleAddress(settings.fromAddress);
  if (!from.ok) return invalid("rejected_sender", "From");
  // Header safety only (the sender schema already decided which names a tenant may
  // use); nodemailer quotes or encodes the name of the { name, address } object.
  const fromName = headerDisplayName(settings.fromName);
  if (fromName === null) return invalid("rejected_sender", "From");
  const replyTo = settings.replyTo ? parseSingleAddress(settings.replyTo) : null;
  if (replyTo && !replyTo.ok) return invalid("rejected_sender", "Reply-To");
  const to = parseSingleAddress(message.to);
  if (!to.ok) return invalid("rejected_recipient", "To");

  return runAgainstTarget(
    settings,
    opts,
    (t) =>
      t.sendMail({
        from: { name: fromName, address: from.address },
        ...(replyTo?.ok ? { replyTo: replyTo.address } : {}),
        to: to.address,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        headers: { "Auto-Submitted": "auto-generated", ...(message.headers ?? {}) },
      }),
    (info) => ({ reply: info.response, messageId: info.messageId }),
    { from: from.address, to: to.address },
  );
}

/** The test mail's words; bilingual when no locale is given. */
export function testMailContent(locale?: Locale): { subject: string; text: string } {
  const de = {
    subject: "Testnachricht aus den Mail-Einstellungen",
    text:
      "Diese Nachricht bestätigt, dass der Versand über Ihren Mailserver funktioniert.\n\n" +
      "Prüfen Sie bitte auch Absendername, Absenderadresse und Antwortadresse: So sehen Ihre Teilnehmenden die Erinnerungen.\n",
  };
  const en = {
    subject: "Test message from the mail settings",
    text:
      "This message confirms that sending through your mail server works.\n\n" +
      "Please also check the sender name, the sender address and the Reply-To address: this is how your learners will see the reminders.\n",
  };
  if (locale === "de") return de;
  if (locale === "en") return en;
  return { subject: `${de.subject} / ${en.subject}`, text: `${de.text}\n---\n\n${en.text}` };
}

/** A test mail to an address the user names, with the configured From, display name and Reply-To. */
export async function sendTestMail(
  settings: SmtpSettings,
  to: string,
  opts: ProbeOptions & { locale?: Locale } = {},
): Promise<ProbeResult> {
  const content = testMailContent(opts.locale);
  return sendMessage(settings, { to, ...content }, opts);
}
