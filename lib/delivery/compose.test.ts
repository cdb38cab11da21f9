import { eq } from "drizzle-orm";
import { dkimVerify } from "mailauth";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createResolver } from "../domain-check/resolver";
import { generateDkimKeyPair, dkimTxtRecord } from "../domain-check/dkim";
import { startDnsServer, type TestDnsServer } from "../testing/dns-server";
import { forEachDatabase } from "../testing/databases";
import { countingStatements } from "../testing/query-count";
import { insertReminderRow, seedMailFixture, type MailFixture } from "../testing/mail-fixture";
import { startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server";
import { prepareMails, type ComposeSender, type ComposedMail, type DeliveryRow, type PreparedMail } from "./compose";
import { deliveryKey, messageIdFor } from "./keys";
import { verifyUnsubscribeToken } from "./unsubscribe";

// Sunday 29 Nov 2026, 08:30 in Berlin: the fixture plan's first reminder for an
// assignment of the 27th (offset 1 day → 28th), second a week later …
const now = new Date("2026-11-29T07:30:00Z");
const PUBLIC_URL = "https://postillion.example.com";

const sender: ComposeSender = { fromAddress: "noreply@reflact.com", fromName: "Beispiel GmbH", replyTo: "schulung@beispiel.example", dkim: null };

let sink: TestSmtpServer;
let dns: TestDnsServer;
beforeAll(async () => {
  sink = await startTestSmtpServer({ starttls: false });
  dns = await startDnsServer({});
});
afterAll(async () => {
  await sink.close();
  await dns.close();
});

function isMail(x: PreparedMail | undefined): x is ComposedMail {
  return !!x && "message" in x;
}

async function send(mails: ComposedMail[]): Promise<void> {
  const transport = nodemailer.createTransport({
    host: sink.host,
    port: sink.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    for (const m of mails) await transport.sendMail(m.message);
  } finally {
    transport.close();
  }
}

/** A header field of the received message as sent (unfolded), by exact name. */
function rawHeader(raw: string, name: string): string {
  const head = raw.slice(0, raw.indexOf("\r\n\r\n")).replace(/\r\n[ \t]+/g, " ");
  const line = head.split("\r\n").find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : "";
}

forEachDatabase("prepareMails", (db, dialect) => {
  let f: MailFixture;
  const tag = dialect === "sqlite" ? "s" : "p";

  beforeAll(async () => {
    f = await seedMailFixture(db(), {
      slug: `cmp-${tag}`,
      now,
      learners: [
        { externalId: "maria", email: "maria@learner.example", firstName: "Maria", locale: "de", assignedAt: "2026-11-27T09:00:00Z", dueAt: "2026-12-20T12:00:00Z", responsibleName: "Jana Schulz" },
        { externalId: "sam", email: "sam@learner.example", firstName: "Sam", lastName: "Sample", locale: "en", assignedAt: "2026-11-27T09:00:00Z", dueAt: "2026-12-20T12:00:00Z" },
        { externalId: "done", email: "done@learner.example", firstName: "Dora", assignedAt: "2026-11-27T09:00:00Z" },
      ],
    });
  });

  it("composes a multipart reminder that arrives with every header: Date, Message-ID from the key, https List-Unsubscribe, one-click, Auto-Submitted", async () => {
    const row = await insertReminderRow(db(), f, { learner: "maria", occurrence: 1, recipient: "maria@learner.example", dueAt: now });
    const prepared = await prepareMails(db(), { rows: [row], sender, tenant: f.tenant, publicUrl: PUBLIC_URL, now });
    const mail = prepared.get(row.id);
    if (!isMail(mail)) throw new Error(`not composed: ${JSON.stringify(mail)}`);
    expect(mail.messageId).toBe(messageIdFor(deliveryKey(row), sender.fromAddress));
    expect(mail).toMatchObject({ locale: "de", variantIndex: 0, subject: "Erinnerung: Datenschutz-Grundlagen" });

    const before = sink.received.length;
    await send([mail]);
    const got = await sink.waitForMail(before + 1);
    const parsed = got.parsed;
    expect(got.envelope).toEqual({ from: "noreply@reflact.com", to: ["maria@learner.example"] });
    expect(parsed.subject).toBe("Erinnerung: Datenschutz-Grundlagen");
    expect(parsed.from?.value).toEqual([{ name: "Beispiel GmbH", address: "noreply@reflact.com" }]);
    expect(parsed.replyTo?.value[0]?.address).toBe("schulung@beispiel.example");
    expect(parsed.messageId).toBe(mail.messageId);
    expect(parsed.date?.toISOString()).toBe(now.toISOString());
    expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
    // Both parts, each with the greeting, the due date and the way to the training.
    expect(parsed.text).toContain("Hallo Maria,");
    expect(parsed.text).toContain("20. Dezember 2026");
    expect(parsed.text).toContain("https://learning.example.com/t/1");
    expect(parsed.html).toContain("Hallo Maria,");
    expect(parsed.html).toContain('href="https://learning.example.com/t/1"');
    // RFC 8058: an https POST address and the one-click marker; the footer links the page.
    const listUnsubscribe = rawHeader(got.raw, "List-Unsubscribe");
    expect(listUnsubscribe).toMatch(/^<https:\/\/postillion\.example\.com\/api\/unsubscribe\/[^>]+>$/);
    const token = listUnsubscribe.slice(listUnsubscribe.lastIndexOf("/") + 1, -1);
    expect(verifyUnsubscribeToken(token)).toBe(row.id);
    expect(rawHeader(got.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(parsed.text).toContain(`${PUBLIC_URL}/u/${token}`);
    expect(parsed.html).toContain(`href="${PUBLIC_URL}/u/${token}"`);
  });

  it("rotates the variant by occurrence and speaks the learner's language", async () => {
    const rows = [
      await insertReminderRow(db(), f, { learner: "sam", occurrence: 1, recipient: "sam@learner.example", dueAt: now }),
      await insertReminderRow(db(), f, { learner: "sam", occurrence: 2, recipient: "sam@learner.example", dueAt: now }),
      await insertReminderRow(db(), f, { learner: "sam", occurrence: 3, recipient: "sam@learner.example", dueAt: now }),
    ];
    const prepared = await prepareMails(db(), { rows, sender, tenant: f.tenant, publicUrl: PUBLIC_URL, now });
    const mails = rows.map((r) => prepared.get(r.id));
    expect(mails.map((m) => (isMail(m) ? [m.locale, m.variantIndex, m.subject] : m))).toEqual([
      ["en", 0, "Reminder: Datenschutz-Grundlagen"],
      ["en", 1, 'Sam, your training "Datenschutz-Grundlagen" is waiting'],
      ["en", 2, "Still open: Datenschutz-Grundlagen (reminder 3 of 3)"],
    ]);
  });

  it("does not send what must not go: completed, withdrawn, inactive learner, unsubscribed, suppressed, inactive plan, a gone occurrence", async () => {
    const d = await seedMailFixture(db(), {
      slug: `cmp-stop-${tag}`,
      now,
      learners: ["a", "b", "c", "d", "e", "f", "g"].map((x) => ({ externalId: x, email: `${x}@stop.example`, firstName: x.toUpperCase(), assignedAt: "2026-11-27T09:00:00Z" })),
    });
    const row = (x: string, occurrence = 1) => insertReminderRow(db(), d, { learner: x, occurrence, recipient: `${x}@stop.example`, dueAt: now });
    const rows: Record<string, DeliveryRow> = {};
    for (const x of ["a", "b", "c", "d", "e"]) rows[x] = await row(x);
    rows.gone = await row("f", 9); // the plan has at most 3
    const t = db().t;
    await db().orm.update(t.assignments).set({ completedAt: now }).where(eq(t.assignments.id, d.assignmentIds.a!));
    await db().orm.update(t.assignments).set({ withdrawnAt: now }).where(eq(t.assignments.id, d.assignmentIds.b!));
    await db().orm.update(t.learners).set({ active: false }).where(eq(t.learners.id, d.learnerIds.c!));
    await db().orm.insert(t.unsubscribes).values({ id: crypto.randomUUID(), tenantId: d.tenant.id, planId: d.planId, learnerId: d.learnerIds.d!, via: "page", createdAt: now });
    await db().orm.insert(t.suppressions).values({ id: crypto.randomUUID(), tenantId: d.tenant.id, address: "e@stop.example", reason: "bounce", createdAt: now });
    const prepared = await prepareMails(db(), { rows: Object.values(rows), sender, tenant: d.tenant, publicUrl: PUBLIC_URL, now });
    expect(Object.fromEntries(Object.entries(rows).map(([k, r]) => [k, prepared.get(r.id)]))).toEqual({
      a: { cancel: "completed" },
      b: { cancel: "withdrawn" },
      c: { cancel: "learner_inactive" },
      d: { cancel: "unsubscribed" },
      e: { cancel: "suppressed" },
      gone: { cancel: "plan_changed" },
    });
    await db().orm.update(t.reminderPlans).set({ active: false }).where(eq(t.reminderPlans.id, d.planId));
    const g = await row("g");
    expect((await prepareMails(db(), { rows: [g], sender, tenant: d.tenant, publicUrl: PUBLIC_URL, now })).get(g.id)).toEqual({ cancel: "plan_inactive" });
  });

  it("loads a batch with the same few statements whatever its size (no query per row)", async () => {
    const many = await seedMailFixture(db(), {
      slug: `cmp-many-${tag}`,
      now,
      learners: Array.from({ length: 60 }, (_, i) => ({ externalId: `L${i}`, email: `l${i}@many.example`, firstName: `L${i}`, assignedAt: "2026-11-27T09:00:00Z" })),
    });
    const rows = [];
    for (let i = 0; i < 60; i++) rows.push(await insertReminderRow(db(), many, { learner: `L${i}`, occurrence: 1, recipient: `l${i}@many.example`, dueAt: now }));
    const small = countingStatements(db());
    const few = await prepareMails(small.db, { rows: rows.slice(0, 3), sender, tenant: many.tenant, publicUrl: PUBLIC_URL, now });
    const large = countingStatements(db());
    const all = await prepareMails(large.db, { rows, sender, tenant: many.tenant, publicUrl: PUBLIC_URL, now });
    expect([...few.values()].every(isMail)).toBe(true);
    expect([...all.values()].filter(isMail)).toHaveLength(60);
    expect(large.statements()).toBe(small.statements());
    expect(large.statements()).toBeLessThanOrEqual(7);
  });

  it("signs with the tenant's key: the signature verifies against the published DNS record and covers the unsubscribe headers", async () => {
    const keys = await generateDkimKeyPair();
    const record = dkimTxtRecord(keys.publicKeyPem, "pst1", "beispiel.example");
    dns.setZone({ [record.name]: { TXT: [record.strings] } });
    const signed: ComposeSender = {
      fromAddress: "schulung@beispiel.example",
      fromName: "Beispiel GmbH",
      replyTo: null,
      dkim: { domainName: "beispiel.example", keySelector: "pst1", privateKey: keys.privateKeyPem },
    };
    const row = await insertReminderRow(db(), f, { learner: "maria", occurrence: 2, recipient: "maria@learner.example", dueAt: now });
    const mail = (await prepareMails(db(), { rows: [row], sender: signed, tenant: f.tenant, publicUrl: PUBLIC_URL, now })).get(row.id);
    if (!isMail(mail)) throw new Error("not composed");
    expect(mail.messageId).toMatch(/@beispiel\.example>$/);
    const before = sink.received.length;
    await send([mail]);
    const got = await sink.waitForMail(before + 1);
    const resolver = createResolver({ servers: [dns.address] });
    const result = await dkimVerify(got.raw, { resolver: (name: string, type: string) => resolver.resolve(name, type as "TXT") } as never);
    const sig = result.results[0]!;
    expect(sig.status.result).toBe("pass");
    expect(sig.signingDomain).toBe("beispiel.example");
    expect(sig.status.aligned).toBe("beispiel.example");
    const signedHeaders = String(got.raw.match(/[;\s]h=([^;]+);/)?.[1]).replace(/\s+/g, "").toLowerCase().split(":");
    expect(signedHeaders).toEqual(expect.arrayContaining(["from", "subject", "date", "message-id", "list-unsubscribe", "list-unsubscribe-post"]));
    // A changed header breaks it: the check can fail.
    const tampered = await dkimVerify(got.raw.replace("List-Unsubscribe-Post: List-Unsubscribe=One-Click", "List-Unsubscribe-Post: List-Unsubscribe=Nope"), {
      resolver: (name: string, type: string) => resolver.resolve(name, type as "TXT"),
    } as never);
    expect(tampered.results[0]!.status.result).toBe("fail");
  });
});
