import { SMTPServer, type SMTPServerSession } from "smtp-server";
import { selfSignedCertificate } from "./smtp-server";

/**
 * A loopback SMTP server that misbehaves on purpose, per recipient: it answers a chosen
 * reply at RCPT TO or after DATA, drops the connection after DATA without a reply, or
 * stalls there (never answers), for a chosen number of attempts, then accepts. The
 * login can be refused (535) or fail temporarily (454). What arrived (and what was
 * transmitted but never acknowledged) is recorded with its Message-ID, so a test can
 * prove that nothing was lost and that a repeat carries the same Message-ID.
 *
 * The replies are sent exactly as given (smtp-server's automatic enhanced status codes
 * are off), e.g. "550 5.1.1 No such user".
 */

export type Fault =
  | { at: "rcpt" | "data"; code: number; message: string; times?: number }
  | { at: "data"; action: "drop" | "stall"; times?: number };

export interface FaultMail {
  to: string[];
  messageId: string | null;
  raw: string;
}

export interface FaultSmtpServer {
  host: string;
  port: number;
  /** Mails the server acknowledged with 250. */
  received: FaultMail[];
  /** Every DATA payload the server read completely, acknowledged or not (a dropped or stalled one too). */
  transmitted: FaultMail[];
  /** RCPT TO commands seen per recipient (each attempt counts). */
  rcptCount(address: string): number;
  /** Sets (or replaces) the fault for one recipient. */
  fault(address: string, fault: Fault | null): void;
  /** The login's answer: null accepts the right password; a code refuses every login with it. */
  authFault(reply: { code: number; message: string; times?: number } | null): void;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

function messageIdOf(raw: string): string | null {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? "";
  return /^message-id:\s*(<[^>\r\n]+>)/im.exec(head)?.[1] ?? null;
}

export async function startFaultSmtpServer(opts: { users?: Record<string, string>; port?: number } = {}): Promise<FaultSmtpServer> {
  const { key, cert } = await selfSignedCertificate();
  const faults = new Map<string, Fault & { remaining: number }>();
  const rcpts = new Map<string, number>();
  const received: FaultMail[] = [];
  const transmitted: FaultMail[] = [];
  let auth: { code: number; message: string; remaining: number } | null = null;

  const take = (address: string, at: "rcpt" | "data"): Fault | null => {
    const f = faults.get(address.toLowerCase());
    if (!f || f.at !== at || f.remaining <= 0) return null;
    f.remaining -= 1;
    return f;
  };

  const server: SMTPServer = new SMTPServer({
    key,
    cert,
    hideENHANCEDSTATUSCODES: true,
    disabledCommands: opts.users ? [] : ["AUTH"],
    authOptional: !opts.users,
    allowInsecureAuth: true,
    authMethods: ["PLAIN", "LOGIN"],
    disableReverseLookup: true,
    logger: false,
    socketTimeout: 60_000,
    closeTimeout: 500,
    onAuth(a, _session, callback) {
      if (auth && auth.remaining > 0) {
        auth.remaining -= 1;
        return callback(smtpError(auth.code, auth.message));
      }
      if (!opts.users || opts.users[a.username ?? ""] !== a.password) return callback(smtpError(535, "5.7.8 Authentication credentials invalid"));
      callback(null, { user: a.username });
    },
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      rcpts.set(to, (rcpts.get(to) ?? 0) + 1);
      const f = take(to, "rcpt");
      callback(f && "code" in f ? smtpError(f.code, f.message) : null);
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const mail: FaultMail = { to, messageId: messageIdOf(raw), raw };
        transmitted.push(mail);
        const f = to.map((t) => take(t, "data")).find(Boolean) ?? null;
        if (f && "action" in f) {
          if (f.action === "drop") {
            // Close without a reply: the client cannot know whether the mail arrived.
            for (const c of (server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections) {
              if (c.id === session.id) c._socket.destroy();
            }
          }
          // "stall": never call back; the client's socket timeout ends it.
          return;
        }
        if (f) return callback(smtpError(f.code, f.message));
        received.push(mail);
        callback(null, "2.0.0 Queued");
      });
    },
  });
  server.on("error", () => {});

  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    // Port 0 and read back: the kernel picks a free one (TCP, no dns2 caveat here).
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      const addr = (server as unknown as { server: { address(): { port: number } } }).server.address();
      resolve(addr.port);
    });
  });

  return {
    host: "127.0.0.1",
    port,
    received,
    transmitted,
    rcptCount: (address) => rcpts.get(address.toLowerCase()) ?? 0,
    fault(address, fault) {
      if (!fault) faults.delete(address.toLowerCase());
      else faults.set(address.toLowerCase(), { ...fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    },
    authFault(reply) {
      auth = reply ? { ...reply, remaining: reply.times ?? Number.POSITIVE_INFINITY } : null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Stalled sessions would hold close() for its closeTimeout; that is fine (500 ms).
        server.close(() => resolve());
      }),
  };
}
