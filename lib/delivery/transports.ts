import { createHash } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool";
import { buildTransportOptions, type ProbeOptions, type SmtpSettings } from "../mail/transport";
import { checkSmtpTarget } from "../mail/ssrf-guard";
import type { Localized } from "../i18n/locale";
import type { DkimSigning } from "./sender";

/**
 * One pooled nodemailer transport per tenant sender, reused across ticks: a connection
 * set up once carries many mails (smtp-server and real servers greet slowly). The cache
 * key is a hash of everything that shapes the connection (server, login, policy, DKIM
 * key), so a changed setting gets a new pool. Targets pass the SSRF guard exactly like a
 * connection test (the checked IP is dialled, the TLS name kept); file and URL access
 * are off; the DKIM signature covers the List-Unsubscribe headers (RFC 8058 §4).
 * Pools unused for a while, and all of them at shutdown, are closed.
 */

/** Signed headers: nodemailer's defaults that matter here, plus both RFC 8058 headers. */
export const DKIM_HEADER_FIELDS =
  "From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:" +
  "In-Reply-To:References:List-Id:List-Unsubscribe:List-Unsubscribe-Post:Auto-Submitted";

/** Connections per tenant sender (raw nodemailer reaches about 2,000 mails/s on loopback with 5). */
export const POOL_CONNECTIONS = 5;
/** Mails per connection before the pool reconnects. */
export const POOL_MAX_MESSAGES = 1000;
/** A delivery waits longer than a connection test: a busy server may take its time with DATA. */
export const DELIVERY_TIMEOUT_MS = 60_000;

export interface PooledSender {
  key: string;
  transport: Transporter<SMTPPool.SentMessageInfo>;
  hostname: string;
  port: number;
}

/** The target was refused before any connection (SSRF guard): a setting to fix, not a server to wait for. */
export interface RefusedTarget {
  reason: "invalid_host" | "port_not_allowed" | "not_found" | "blocked_address";
  message: Localized;
}

interface Entry {
  sender: PooledSender;
  lastUsed: number;
  inFlight: number;
}

export function transportKey(smtp: SmtpSettings, policy: ProbeOptions, dkim: DkimSigning | null): string {
  const { lookup: _lookup, ...plainPolicy } = policy;
  return createHash("sha256").update(JSON.stringify({ smtp, policy: plainPolicy, dkim })).digest("hex");
}

export class TransportCache {
  private readonly entries = new Map<string, Entry>();
  private readonly connecting = new Map<string, Promise<PooledSender | RefusedTarget>>();

  constructor(private readonly opts: { idleMs?: number; maxConnections?: number; maxMessages?: number } = {}) {}

  /** The pool for this sender, made (after the SSRF check) on first use. */
  async get(p: { smtp: SmtpSettings; policy: ProbeOptions; dkim: DkimSigning | null; now: number }): Promise<PooledSender | RefusedTarget> {
    const key = transportKey(p.smtp, p.policy, p.dkim);
    const entry = this.entries.get(key);
    if (entry) {
      entry.lastUsed = p.now;
      return entry.sender;
    }
    let pending = this.connecting.get(key);
    if (!pending) {
      pending = this.create(key, p).finally(() => this.connecting.delete(key));
      this.connecting.set(key, pending);
    }
    const made = await pending;
    if ("transport" in made && !this.entries.has(key)) this.entries.set(key, { sender: made, lastUsed: p.now, inFlight: 0 });
    return made;
  }

  private async create(
    key: string,
    p: { smtp: SmtpSettings; policy: ProbeOptions; dkim: DkimSigning | null },
  ): Promise<PooledSender | RefusedTarget> {
    const target = await checkSmtpTarget(p.smtp.host, p.smtp.port, p.policy);
    if (!target.ok) return { reason: target.reason, message: target.message };
    const options = buildTransportOptions(p.smtp, target, { timeoutMs: DELIVERY_TIMEOUT_MS, ...p.policy });
    const transport = nodemailer.createTransport({
      ...options,
      pool: true,
      maxConnections: this.opts.maxConnections ?? POOL_CONNECTIONS,
      maxMessages: this.opts.maxMessages ?? POOL_MAX_MESSAGES,
      logger: false,
      ...(p.dkim
        ? {
            dkim: {
              domainName: p.dkim.domainName,
              keySelector: p.dkim.keySelector,
              privateKey: p.dkim.privateKey,
              headerFieldNames: DKIM_HEADER_FIELDS,
            },
          }
        : {}),
    } as SMTPPool.Options);
    return { key, transport, hostname: target.hostname, port: target.port };
  }

  /** Marks a send in flight (an idle sweep never closes a pool that is sending). */
  use(key: string, delta: 1 | -1, now: number): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.inFlight += delta;
    entry.lastUsed = now;
  }

  /** Closes pools that sent nothing for `idleMs` (default 60 s). */
  closeIdle(now: number): number {
    const idleMs = this.opts.idleMs ?? 60_000;
    let closed = 0;
    for (const [key, entry] of this.entries) {
      if (entry.inFlight === 0 && now - entry.lastUsed >= idleMs) {
        entry.sender.transport.close();
        this.entries.delete(key);
        closed++;
      }
    }
    return closed;
  }

  closeAll(): void {
    for (const entry of this.entries.values()) entry.sender.transport.close();
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
