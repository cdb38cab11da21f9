import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { appendMailboxEntry, MAILBOX_MAX_BYTES, type MailboxEntry } from "./mailbox";

/**
 * The demo's platform relay: a real SMTP server on loopback (the `smtp-server` package)
 * that keeps every message it accepts in a directory (one .eml file each plus an
 * index.jsonl, read by /demo/mailbox) and rejects the demo's bouncing addresses with
 * `550 5.1.1` at RCPT TO, as a real receiving server does for a mailbox that does not
 * exist. No AUTH, no STARTTLS: it listens on 127.0.0.1 only.
 */

export interface Catcher {
  host: string;
  port: number;
  /** The SMTP_RELAY_URL that points at it. */
  url: string;
  dir: string;
  close(): Promise<void>;
}

export interface CatcherOptions {
  /** Where the messages go (created when missing). */
  dir: string;
  /** Recipients answered with 550 5.1.1 (compared lower-cased). */
  bounce?: readonly string[];
  /** 0 (default): a free port, read back. */
  port?: number;
  host?: string;
}

export async function startCatcher(opts: CatcherOptions): Promise<Catcher> {
  const host = opts.host ?? "127.0.0.1";
  const dir = path.resolve(opts.dir);
  await fs.mkdir(dir, { recursive: true });
  const bounce = new Set((opts.bounce ?? []).map((a) => a.toLowerCase()));

  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    hideSTARTTLS: true,
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    size: MAILBOX_MAX_BYTES,
    banner: "Postillion demo catcher",
    onRcptTo(address, _session, callback) {
      if (bounce.has(address.address.toLowerCase())) {
        const err = Object.assign(new Error("5.1.1 The e-mail account that you tried to reach does not exist (demo bounce)"), {
          responseCode: 550,
        });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(Object.assign(new Error("5.3.4 Message too big for the demo catcher"), { responseCode: 552 }));
        }
        const raw = Buffer.concat(chunks);
        const id = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
        const receivedAt = new Date().toISOString();
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        const to = session.envelope.rcptTo.map((r) => r.address);
        simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true })
          .then((parsed) => {
            const entry: MailboxEntry = {
              id,
              receivedAt,
              from,
              to,
              subject: parsed.subject ?? null,
              messageId: parsed.messageId ?? null,
              bytes: raw.length,
            };
            return fs.writeFile(path.join(dir, `${id}.eml`), raw).then(() => appendMailboxEntry(dir, entry));
          })
          .then(() => callback(null, `2.0.0 Kept as ${id}`))
          .catch((err: Error) => callback(Object.assign(err, { responseCode: 451 })));
      });
    },
  });
  server.on("error", (err) => console.error("demo catcher:", err.message));

  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      const address = server.server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });

  return {
    host,
    port,
    url: `smtp://${host}:${port}`,
    dir,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
