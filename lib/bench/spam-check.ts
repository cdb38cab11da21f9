/**
 * SpamAssassin scores of every mail the default templates can produce: each default
 * reminder variant in German and English, and the digest in both languages — composed
 * by prepareMails exactly as the worker sends them (headers, unsubscribe, DKIM-signed
 * with a fresh key) and scored by Debian's `spamassassin -L -t` (local rules only: no
 * network tests, so the figure depends on the mail, not on blocklists).
 *
 *   npm run check:spam [-- --json] [--save DIR] [--max 0.5]
 *
 * Exit status 1 when a mail scores above the target (default 0.5); 0 with a message
 * when spamassassin is not installed (apt-get install -y spamassassin).
 */
import { execFile, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import nodemailer from "nodemailer";

process.env.NEXTAUTH_SECRET ??= crypto.randomBytes(32).toString("hex");

const { openDb } = await import("../db/client");
const { prepareMails } = await import("../delivery/compose");
const { generateDkimKeyPair } = await import("../domain-check/dkim");
const { insertDigestRow, insertReminderRow, seedMailFixture } = await import("../testing/mail-fixture");

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const json = args.includes("--json");
const saveDir = flag("--save");
const max = Number(flag("--max") ?? 0.5);

async function spamassassinPath(): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)("sh", ["-c", "command -v spamassassin"]);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/** `spamassassin -L -t`: the score and the rules that hit, from the report's X-Spam-Status. */
function score(bin: string, raw: Buffer): Promise<{ score: number; rules: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ["-L", "-t"], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.on("error", reject);
    child.on("close", () => {
      const text = Buffer.concat(out).toString("utf8");
      const head = text.slice(0, text.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, " ");
      const status = /^X-Spam-Status: .*?score=(-?[\d.]+).*?tests=([\w,\s]*?)\s+(?:autolearn|version)=/im.exec(head);
      if (!status) return reject(new Error(`no X-Spam-Status in spamassassin's answer:\n${text.slice(0, 500)}`));
      resolve({ score: Number(status[1]), rules: status[2]!.split(/[,\s]+/).filter(Boolean) });
    });
    child.stdin.end(raw);
  });
}

const bin = await spamassassinPath();
if (!bin) {
  process.stdout.write("spamassassin is not installed here: check skipped (Debian: apt-get install -y spamassassin).\n");
  process.exit(0);
}

// ── Every mail, composed as the worker composes it ─────────────────────────────

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postillion-spam-"));
const db = await openDb({ url: `file:${path.join(dir, "spam.db")}` });
const now = new Date("2026-11-30T07:30:00Z"); // Monday 08:30 in Berlin
const keys = await generateDkimKeyPair();
const mails: { name: string; raw: Buffer }[] = [];
const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, disableFileAccess: true, disableUrlAccess: true });

try {
  for (const locale of ["de", "en"] as const) {
    const de = locale === "de";
    const f = await seedMailFixture(db, {
      slug: `spam-${locale}`,
      name: de ? "Beispiel GmbH" : "Example Ltd",
      locale,
      trainingName: de ? "Datenschutz-Grundlagen" : "Data protection basics",
      link: "https://learning.example.com/trainings/data-protection",
      now,
      schedule: { escalateAfterSends: 3, digestWeekday: 1, digestTime: "08:30", maxSends: 3 },
      learners: [
        {
          externalId: "L1",
          email: de ? "maria.muster@kunde.example" : "sam.sample@customer.example",
          firstName: de ? "Maria" : "Sam",
          lastName: de ? "Muster" : "Sample",
          locale,
          responsibleName: de ? "Jana Schulz" : "Jordan Lee",
          responsibleEmail: de ? "jana.schulz@kunde.example" : "jordan.lee@customer.example",
          assignedAt: "2026-11-02T09:00:00Z",
          dueAt: "2026-11-27T16:00:00Z",
        },
        {
          externalId: "L2",
          email: de ? "max.beispiel@kunde.example" : "alex.example@customer.example",
          firstName: de ? "Max" : "Alex",
          lastName: de ? "Beispiel" : "Example",
          locale,
          responsibleName: de ? "Jana Schulz" : "Jordan Lee",
          responsibleEmail: de ? "jana.schulz@kunde.example" : "jordan.lee@customer.example",
          assignedAt: "2026-11-23T09:00:00Z",
          dueAt: "2026-12-18T16:00:00Z",
        },
      ],
    });
    const sender = {
      fromAddress: de ? "schulung@kunde.example" : "training@customer.example",
      fromName: f.tenant.name,
      replyTo: de ? "schulungsteam@kunde.example" : "training-team@customer.example",
      dkim: { domainName: de ? "kunde.example" : "customer.example", keySelector: "pst1", privateKey: keys.privateKeyPem },
    };
    const learner = "L2";
    const to = de ? "max.beispiel@kunde.example" : "alex.example@customer.example";
    const rows = [];
    // L1 got its three reminders and escalated; the digest lists them.
    for (const occurrence of [1, 2, 3]) {
      await insertReminderRow(db, f, { learner: "L1", occurrence, recipient: "x@x.example", dueAt: now, status: "sent" });
      rows.push(await insertReminderRow(db, f, { learner, occurrence, recipient: to, dueAt: now }));
    }
    const digest = await insertDigestRow(db, f, { responsibleEmail: de ? "jana.schulz@kunde.example" : "jordan.lee@customer.example", dueAt: now, status: "sending" });
    const prepared = await prepareMails(db, { rows: [...rows, digest], sender, tenant: f.tenant, publicUrl: "https://postillion.example.com", now });
    for (const [i, row] of [...rows, digest].entries()) {
      const mail = prepared.get(row.id);
      if (!mail || !("message" in mail)) throw new Error(`${locale} ${row.kind}: not composed: ${JSON.stringify(mail)}`);
      const info = await composer.sendMail(mail.message);
      const name = row.kind === "digest" ? `digest ${locale}` : `reminder ${locale} variant ${i + 1}`;
      mails.push({ name, raw: info.message as Buffer });
    }
  }
} finally {
  composer.close();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

// ── Scores ─────────────────────────────────────────────────────────────────────

if (saveDir) {
  fs.mkdirSync(saveDir, { recursive: true });
  for (const m of mails) fs.writeFileSync(path.join(saveDir, `${m.name.replace(/\s+/g, "-")}.eml`), m.raw);
}
const results = await Promise.all(mails.map(async (m) => ({ mail: m.name, ...(await score(bin, m.raw)) })));
const worst = Math.max(...results.map((r) => r.score));
if (json) {
  process.stdout.write(JSON.stringify({ target: max, worst, results }, null, 2) + "\n");
} else {
  const width = Math.max(...results.map((r) => r.mail.length));
  process.stdout.write(`SpamAssassin (${bin} -L -t), target ≤ ${max}\n`);
  for (const r of results) {
    process.stdout.write(`${r.mail.padEnd(width)}  ${r.score.toFixed(1).padStart(5)}  ${r.score <= max ? "ok  " : "HIGH"}  ${r.rules.join(",")}\n`);
  }
}
process.exit(worst <= max ? 0 : 1);
