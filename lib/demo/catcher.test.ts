import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/access";
import { createTenant } from "../tenants/queries";
import { forEachDatabase } from "../testing/databases";
import { startCatcher, type Catcher } from "./catcher";
import { demoMailboxDir, DEMO_MAILBOX_ENV, readMailbox, readMailboxMessage, visibleEntries } from "./mailbox";

const BOUNCE = "former.employee@globex.example";

function transportTo(catcher: Catcher) {
  return nodemailer.createTransport({ host: catcher.host, port: catcher.port, secure: false, ignoreTLS: true });
}

describe("the demo's SMTP catcher", () => {
  let dir: string;
  let catcher: Catcher;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "postillion-catcher-"));
    catcher = await startCatcher({ dir: path.join(dir, "demo-mailbox"), bounce: [BOUNCE] });
  });
  afterAll(async () => {
    await catcher.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("keeps what it accepts for the mailbox page (newest first, subject decoded, text part and headers) and answers 550 5.1.1 for the bouncing address", async () => {
    const mail = transportTo(catcher);
    await mail.sendMail({
      from: '"Acme Schulungen GmbH" <noreply@reflact.com>',
      to: "mia.neumann@acme.example",
      subject: "Erinnerung: Datenschutz-Grundschulung fällig",
      text: "Hallo Mia,\nbitte schließen Sie die Schulung ab.",
      html: "<p>Hallo Mia</p>",
      messageId: "<first@reflact.com>",
    });
    await mail.sendMail({ from: "noreply@reflact.com", to: "paul.schulz@acme.example", subject: "Second", text: "Two", messageId: "<second@reflact.com>" });
    const bounced = await mail.sendMail({ from: "noreply@reflact.com", to: BOUNCE, subject: "Never kept", text: "x" }).catch((e: unknown) => e);
    expect(bounced).toMatchObject({ code: "EENVELOPE", responseCode: 550 });
    expect(String((bounced as Error).message)).toContain("5.1.1");
    mail.close();

    const entries = await readMailbox(catcher.dir);
    expect(entries.map((e) => [e.to, e.subject, e.messageId])).toEqual([
      [["paul.schulz@acme.example"], "Second", "<second@reflact.com>"],
      [["mia.neumann@acme.example"], "Erinnerung: Datenschutz-Grundschulung fällig", "<first@reflact.com>"],
    ]);
    const shown = await readMailboxMessage(catcher.dir, entries[1]!);
    expect(shown?.text).toContain("bitte schließen Sie die Schulung ab.");
    expect(shown?.hasHtml).toBe(true);
    expect(shown?.headers.find((h) => h.name.toLowerCase() === "from")?.value).toBe("Acme Schulungen GmbH <noreply@reflact.com>");
    // Only ids the catcher made are read: nothing outside the directory.
    expect(await readMailboxMessage(catcher.dir, { ...entries[0]!, id: "../../etc/passwd" })).toBeNull();
  });

  it("exists only while the launcher says so", () => {
    expect(demoMailboxDir({})).toBeNull();
    expect(demoMailboxDir({ [DEMO_MAILBOX_ENV]: "/tmp/x/demo-mailbox" })).toBe("/tmp/x/demo-mailbox");
  });
});

forEachDatabase("the demo mailbox's visibility", (db) => {
  it("shows consultants everything, others their tenants' deliveries (by Message-ID) and mails to themselves", async () => {
    const acme = await createTenant(db(), { slug: `a-${randomUUID().slice(0, 6)}`, name: "A", timezone: "UTC", locale: "de" });
    const globex = await createTenant(db(), { slug: `g-${randomUUID().slice(0, 6)}`, name: "G", timezone: "UTC", locale: "en" });
    const now = new Date();
    const row = (tenantId: string, messageId: string) => ({
      id: randomUUID(),
      tenantId,
      kind: "reminder" as const,
      recipient: "x@example.com",
      dueAt: now,
      status: "sent" as const,
      attempts: 1,
      messageId,
    });
    await db().orm.insert(db().t.deliveries).values([row(acme.id, "<a@reflact.com>"), row(globex.id, "<g@reflact.com>")]);
    // A learner of acme whose outbox row is gone (the demo's live part started afresh).
    const learner = { externalId: "l1", email: "Old.Row@acme.example", firstName: "O", lastName: "R", locale: null };
    await db().orm.insert(db().t.learners).values({
      id: randomUUID(),
      tenantId: acme.id,
      ...learner,
      responsibleName: null,
      responsibleEmail: "boss@acme.example",
      active: true,
      searchText: "o r",
    });
    const entry = (id: string, to: string, messageId: string | null) => ({ id, receivedAt: now.toISOString(), from: "noreply@reflact.com", to: [to], subject: id, messageId, bytes: 1 });
    const entries = [
      entry("a", "mia@acme.example", "<a@reflact.com>"),
      entry("g", "ava@globex.example", "<g@reflact.com>"),
      entry("alert", "Admin@Acme.example", "<alert@reflact.com>"),
      entry("unknown", "someone@example.com", null),
      entry("old", "old.row@acme.example", "<gone@reflact.com>"),
      entry("digest", "boss@acme.example", null),
    ];
    const actor = (role: Actor["role"], tenantIds: string[]): Actor => ({ id: randomUUID(), email: "admin@acme.example", name: "A", role, locale: null, tenantIds });
    expect((await visibleEntries(db(), actor("consultant", []), entries)).map((e) => e.id)).toEqual(["a", "g", "alert", "unknown", "old", "digest"]);
    expect((await visibleEntries(db(), actor("admin", [acme.id]), entries)).map((e) => e.id)).toEqual(["a", "alert", "old", "digest"]);
    expect((await visibleEntries(db(), { ...actor("trainer", [globex.id]), email: "t@globex.example" }, entries)).map((e) => e.id)).toEqual(["g"]);
  });
});
