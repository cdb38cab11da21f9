import { SMTPServer } from "smtp-server";

/**
 * A loopback SMTP sink for the worker's tests: accepts mail and keeps envelope, arrival
 * time and Message-ID of each (no full parse: thousands of mails stay cheap). Behaviour
 * can be switched while it runs: `answer` decides per recipient (e.g. 451 = try later),
 * `stallData` holds every DATA without an answer (a server that hangs mid-mail),
 * `greetingDelayMs` delays the 220 (a worker that claimed and is still connecting).
 */

export interface SunkMail {
  to: string[];
  from: string | null;
  messageId: string | null;
  subject: string | null;
  at: number;
  raw: string;
}

export interface MailSink {
  port: number;
  mails: SunkMail[];
  /** DATA transfers begun (stalled ones included). */
  dataStarted: number;
  /** Connections opened. */
  connections: number;
  answer: ((rcpt: string) => { code: number; message: string } | null) | null;
  stallData: boolean;
  greetingDelayMs: number;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function header(raw: string, name: string): string | null {
  const end = raw.indexOf("\r\n\r\n");
  const head = (end >= 0 ? raw.slice(0, end) : raw).replace(/\r\n[ \t]+/g, " ");
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, "im").exec(head);
  return m ? m[1]!.trim() : null;
}

export async function startMailSink(opts: { keepRaw?: boolean } = {}): Promise<MailSink> {
  const stalled: Array<() => void> = [];
  const sink: MailSink = {
    port: 0,
    mails: [],
    dataStarted: 0,
    connections: 0,
    answer: null,
    stallData: false,
    greetingDelayMs: 0,
    async waitFor(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (sink.mails.length < count) {
        if (Date.now() > until) throw new Error(`sink: ${sink.mails.length} of ${count} mails after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: async () => {
      for (const release of stalled.splice(0)) release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    size: 0,
    socketTimeout: 60_000,
    closeTimeout: 500,
    onConnect(_session, callback) {
      sink.connections++;
      if (sink.greetingDelayMs > 0) setTimeout(() => callback(), sink.greetingDelayMs).unref();
      else callback();
    },
    onRcptTo(address, _session, callback) {
      const a = sink.answer?.(address.address);
      if (a) return callback(Object.assign(new Error(a.message), { responseCode: a.code }));
      callback();
    },
    onData(stream, session, callback) {
      sink.dataStarted++;
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const done = () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          sink.mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            messageId: header(raw, "Message-ID"),
            subject: header(raw, "Subject"),
            at: Date.now(),
            raw: opts.keepRaw ? raw : "",
          });
          callback(null, "2.0.0 Queued");
        };
        if (sink.stallData) stalled.push(() => callback(Object.assign(new Error("4.3.0 shutting down"), { responseCode: 421 })));
        else done();
      });
    },
  });
  server.on("error", () => {});
  for (let attempt = 0; ; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => {
          server.off("error", reject);
          resolve();
        });
      });
      sink.port = port;
      return sink;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt > 30) throw error;
    }
  }
}
