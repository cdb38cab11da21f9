import fs from "node:fs/promises";
import path from "node:path";
import { and, inArray, or } from "drizzle-orm";
import { simpleParser } from "mailparser";
import { canSeeTenant, type Actor } from "../auth/access";
import type { Db } from "../db";

/**
 * The demo mailbox: what the demo's SMTP catcher (catcher.ts) kept, read by the page
 * /demo/mailbox. The launcher (`postillion serve --demo`) sets DEMO_MAILBOX_ENV to the
 * directory for the app; without it there is no mailbox (the page answers 404).
 */

export const DEMO_MAILBOX_ENV = "POSTILLION_DEMO_MAILBOX";
export const INDEX_FILE = "index.jsonl";
/** The catcher refuses bigger messages (552). */
export const MAILBOX_MAX_BYTES = 5 * 1024 * 1024;
/** The page lists at most this many (newest first). */
export const MAILBOX_PAGE_LIMIT = 200;

export interface MailboxEntry {
  id: string;
  receivedAt: string;
  /** Envelope sender and recipients (what the relay was told). */
  from: string;
  to: string[];
  subject: string | null;
  messageId: string | null;
  bytes: number;
}

const ID = /^[a-z0-9]+-[0-9a-f]{8}$/;

/** The mailbox directory while the demo runs, else null. */
export function demoMailboxDir(env: Record<string, string | undefined> = process.env): string | null {
  const dir = env[DEMO_MAILBOX_ENV];
  return dir ? path.resolve(dir) : null;
}

/** One line per message; appends are atomic enough for one catcher process. */
export async function appendMailboxEntry(dir: string, entry: MailboxEntry): Promise<void> {
  await fs.appendFile(path.join(dir, INDEX_FILE), JSON.stringify(entry) + "\n");
}

/** Every kept message, newest first (a missing index is an empty mailbox). */
export async function readMailbox(dir: string): Promise<MailboxEntry[]> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, INDEX_FILE), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const entries: MailboxEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as MailboxEntry;
      if (typeof e.id === "string" && ID.test(e.id)) entries.push(e);
    } catch {
      // A torn last line (the catcher was killed mid-write): skip it.
    }
  }
  return entries.reverse();
}

/**
 * What a signed-in user may see: consultants everything; others the mails of their
 * tenants' deliveries (by Message-ID in the outbox), mails to their tenants' learners and
 * responsible people, and mails addressed to themselves (alerts, address proofs).
 */
export async function visibleEntries(db: Db, actor: Actor, entries: MailboxEntry[]): Promise<MailboxEntry[]> {
  if (actor.role === "consultant") return entries;
  const own = actor.email.toLowerCase();
  const ids = [...new Set(entries.map((e) => e.messageId).filter((m): m is string => !!m))];
  const tenantOf = new Map<string, string>();
  const d = db.t.deliveries;
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.orm
      .select({ messageId: d.messageId, tenantId: d.tenantId })
      .from(d)
      .where(inArray(d.messageId, ids.slice(i, i + 500)));
    for (const r of rows) if (r.messageId) tenantOf.set(r.messageId, r.tenantId);
  }
  // Also by recipient: a learner or responsible person of one of the actor's tenants
  // (mails whose outbox row is gone, e.g. after the demo started its live part afresh).
  const recipients = [...new Set(entries.flatMap((e) => e.to.map((a) => a.toLowerCase())))];
  const known = new Set<string>();
  const l = db.t.learners;
  if (actor.tenantIds.length > 0) {
    for (let i = 0; i < recipients.length; i += 500) {
      const chunk = recipients.slice(i, i + 500);
      const rows = await db.orm
        .select({ email: l.email, responsibleEmail: l.responsibleEmail })
        .from(l)
        .where(and(inArray(l.tenantId, actor.tenantIds), or(inArray(l.email, chunk), inArray(l.responsibleEmail, chunk))));
      for (const r of rows) for (const a of [r.email, r.responsibleEmail]) if (a) known.add(a.toLowerCase());
    }
  }
  return entries.filter((e) => {
    const to = e.to.map((a) => a.toLowerCase());
    if (to.includes(own) || to.some((a) => known.has(a))) return true;
    const tenantId = e.messageId ? tenantOf.get(e.messageId) : undefined;
    return tenantId !== undefined && canSeeTenant(actor, tenantId);
  });
}

export interface MailboxMessage {
  entry: MailboxEntry;
  /** Header lines as received (name, value), in order. */
  headers: { name: string; value: string }[];
  text: string | null;
  hasHtml: boolean;
}

/** One kept message, parsed; null for an unknown or malformed id. */
export async function readMailboxMessage(dir: string, entry: MailboxEntry): Promise<MailboxMessage | null> {
  if (!ID.test(entry.id)) return null;
  let raw: Buffer;
  try {
    raw = await fs.readFile(path.join(dir, `${entry.id}.eml`));
  } catch {
    return null;
  }
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const headers = parsed.headerLines.map((h) => {
    const colon = h.line.indexOf(":");
    const value = colon < 0 ? "" : h.line.slice(colon + 1).replace(/\r?\n[ \t]+/g, " ").trim();
    return { name: colon < 0 ? h.key : h.line.slice(0, colon), value };
  });
  return { entry, headers, text: parsed.text ?? null, hasHtml: typeof parsed.html === "string" && parsed.html.length > 0 };
}
