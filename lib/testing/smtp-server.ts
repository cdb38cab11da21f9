import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from "smtp-server";

/**
 * A real SMTP server on loopback for tests (the `smtp-server` package): accepts and
 * collects mail (parsed with mailparser), authenticates test users, offers STARTTLS or
 * not, speaks implicit TLS, delays its greeting, and answers 421 / 451 / 535 / 550 / 554
 * at a chosen stage on demand.
 *
 * Ports: random in 20000–32000. Below the ephemeral range (32768–60999), so the
 * TIME_WAIT sockets many loopback connections leave behind never collide with it.
 */

const execFileAsync = promisify(execFile);

export interface TestSmtpServerOptions {
  /** user → password. Given: AUTH PLAIN/LOGIN offered and required for MAIL. Absent: no AUTH at all. */
  users?: Record<string, string>;
  /** Offer STARTTLS (default true). false: neither advertised nor accepted (502), like a server without TLS. */
  starttls?: boolean;
  /** TLS from the first byte (port 465 style). */
  implicitTls?: boolean;
  /** Wait this long before the 220 greeting (on top of smtp-server's own 100 ms). */
  greetingDelayMs?: number;
  /** Wait this long before answering AUTH (a server that stalls after the greeting). */
  authDelayMs?: number;
  /** Names in the self-signed certificate; default localhost, smtp.test.example, 127.0.0.1. */
  certNames?: string[];
  /** Bind address; default 127.0.0.1. */
  host?: string;
  /** A fixed port (e.g. the relay port an app under test is configured with); default random in 20000–32000. */
  port?: number;
}

export type FailureStage = "connect" | "auth" | "mail" | "rcpt" | "data";

export interface ReceivedMail {
  envelope: { from: string | null; to: string[] };
  user: string | undefined;
  raw: string;
  parsed: ParsedMail;
}

export interface SessionRecord {
  /** SNI server name the client asked for (TLS sessions only). */
  servername: string | undefined;
  secure: boolean;
  user: string | undefined;
  remoteAddress: string;
}

export interface TestSmtpServer {
  host: string;
  port: number;
  /** PEM of the self-signed certificate (to trust it explicitly in a test). */
  cert: string;
  received: ReceivedMail[];
  sessions: SessionRecord[];
  /** Answer `code` at `stage` for the next `times` attempts (default: until cleared). */
  failWith(stage: FailureStage, code: number, message?: string, times?: number): void;
  clearFailures(): void;
  /** Resolves when at least `count` mails have arrived. */
  waitForMail(count?: number, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

interface Failure {
  code: number;
  message: string;
  remaining: number;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  421: "4.3.2 Service not available, closing transmission channel",
  451: "4.3.0 Temporary local problem, try again later",
  454: "4.7.0 Temporary authentication failure",
  535: "5.7.8 Authentication credentials invalid",
  550: "5.1.1 Mailbox unavailable",
  553: "5.1.3 Sender address rejected",
  554: "5.7.1 Transaction failed",
};

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

let certCache: Promise<{ key: string; cert: string }> | undefined;
let certCacheNames = "";

/**
 * A self-signed certificate made at test time with the openssl CLI (node:crypto cannot
 * build X.509 certificates). Cached per process: one key per test file is plenty.
 */
export function selfSignedCertificate(names: string[] = ["localhost", "smtp.test.example", "127.0.0.1"]): Promise<{ key: string; cert: string }> {
  const key = names.join(",");
  if (certCache && certCacheNames === key) return certCache;
  certCacheNames = key;
  certCache = (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "postillion-smtp-cert-"));
    try {
      const san = names.map((n) => (net.isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
      const keyPath = path.join(dir, "key.pem");
      const certPath = path.join(dir, "cert.pem");
      await execFileAsync("openssl", [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", keyPath, "-out", certPath, "-days", "2",
        "-subj", `/CN=${names[0] ?? "localhost"}`, "-addext", `subjectAltName=${san}`,
      ]).catch((err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") throw new Error("The openssl command is missing (needed for the test certificate): apt-get install -y openssl");
        throw err;
      });
      return { key: await readFile(keyPath, "utf8"), cert: await readFile(certPath, "utf8") };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return certCache;
}

function randomPort(): number {
  return 20000 + Math.floor(Math.random() * 12000);
}

function listen(server: SMTPServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/** A loopback port below 32768 with nothing listening on it (bound, then released). */
export async function findClosedPort(host = "127.0.0.1"): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = randomPort();
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once("error", () => resolve(false));
      s.listen(port, host, () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error("No free port found in 20000–32000");
}

export async function startTestSmtpServer(opts: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const host = opts.host ?? "127.0.0.1";
  const { key, cert } = await selfSignedCertificate(opts.certNames);
  const received: ReceivedMail[] = [];
  const sessions: SessionRecord[] = [];
  const failures = new Map<FailureStage, Failure>();
  const waiters: Array<{ count: number; resolve: (m: ReceivedMail) => void }> = [];
  const starttls = opts.starttls ?? true;
  const users = opts.users;

  const takeFailure = (stage: FailureStage): Error | null => {
    const f = failures.get(stage);
    if (!f || f.remaining <= 0) return null;
    f.remaining -= 1;
    return smtpError(f.code, f.message);
  };

  /** One record per connection (keyed by session id), updated at every hook. */
  const byId = new Map<string, SessionRecord>();
  const record = (session: SMTPServerSession, user?: string) => {
    const s = session as SMTPServerSession & { servername?: string };
    let r = byId.get(session.id);
    if (!r) {
      r = { servername: undefined, secure: false, user: undefined, remoteAddress: session.remoteAddress };
      byId.set(session.id, r);
      sessions.push(r);
    }
    r.servername = s.servername ?? r.servername;
    r.secure = !!session.secure;
    r.user = user ?? (typeof session.user === "string" ? session.user : r.user);
  };

  const disabled: string[] = [];
  if (!starttls && !opts.implicitTls) disabled.push("STARTTLS");
  if (!users) disabled.push("AUTH");

  const options: SMTPServerOptions = {
    secure: !!opts.implicitTls,
    key,
    cert,
    hideSTARTTLS: !starttls,
    disabledCommands: disabled,
    authMethods: ["PLAIN", "LOGIN"],
    authOptional: !users,
    // Lets a "security: none" client log in without STARTTLS (the product allows it
    // after an explicit acknowledgement); TLS clients upgrade first anyway.
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    socketTimeout: 30_000,
    closeTimeout: 1_000,
    onConnect(session, callback) {
      record(session);
      const fail = takeFailure("connect");
      const go = () => callback(fail);
      if (opts.greetingDelayMs) setTimeout(go, opts.greetingDelayMs).unref();
      else go();
    },
    onSecure(_socket, session, callback) {
      record(session);
      callback();
    },
    onAuth(auth, session, callback) {
      const answer = () => {
        const fail = takeFailure("auth");
        if (fail) return callback(fail);
        const expected = users ? users[auth.username ?? ""] : undefined;
        if (expected === undefined || auth.password !== expected) {
          return callback(smtpError(535, DEFAULT_MESSAGES[535]!));
        }
        record(session, auth.username);
        callback(null, { user: auth.username });
      };
      if (opts.authDelayMs) setTimeout(answer, opts.authDelayMs).unref();
      else answer();
    },
    onMailFrom(_address, session, callback) {
      record(session);
      callback(takeFailure("mail"));
    },
    onRcptTo(_address, _session, callback) {
      callback(takeFailure("rcpt"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const fail = takeFailure("data");
        if (fail) return callback(fail);
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const mail: ReceivedMail = {
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              user: typeof session.user === "string" ? session.user : undefined,
              raw: raw.toString("utf8"),
              parsed,
            };
            received.push(mail);
            for (const w of waiters.splice(0)) {
              if (received.length >= w.count) w.resolve(mail);
              else waiters.push(w);
            }
            callback(null, "2.0.0 Queued");
          })
          .catch((err: Error) => callback(err));
      });
    },
  };

  const server = new SMTPServer(options);
  // A test server must never take the test process down; failures show in the test.
  server.on("error", () => {});

  let port = 0;
  if (opts.port !== undefined) {
    await listen(server, opts.port, host);
    port = opts.port;
  }
  for (let attempt = 0; port === 0; attempt++) {
    const candidate = randomPort();
    try {
      await listen(server, candidate, host);
      port = candidate;
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt >= 30) throw err;
    }
  }

  return {
    host,
    port,
    cert,
    received,
    sessions,
    failWith(stage, code, message, times = Number.POSITIVE_INFINITY) {
      failures.set(stage, { code, message: message ?? DEFAULT_MESSAGES[code] ?? "Rejected by test server", remaining: times });
    },
    clearFailures() {
      failures.clear();
    },
    waitForMail(count = received.length + 1, timeoutMs = 5_000) {
      if (received.length >= count) return Promise.resolve(received[count - 1]!);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`No mail #${count} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          count,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
