import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { forEachDatabase } from "../testing/databases";
import { insertDigestRow, insertReminderRow, seedMailFixture, type MailFixture } from "../testing/mail-fixture";
import { prepareMails, type ComposeSender } from "./compose";
import { loadDigestContent, renderDigestMail } from "./digest";

// Sunday 29 Nov 2026, 09:00 in Berlin.
const now = new Date("2026-11-29T08:00:00Z");
const sender: ComposeSender = { fromAddress: "noreply@reflact.com", fromName: "Beispiel GmbH", replyTo: null, dkim: null };
const JANA = "Jana.Schulz@Boss.example";

forEachDatabase("weekly digest", (db, dialect) => {
  let f: MailFixture;
  const tag = dialect === "sqlite" ? "s" : "p";
  beforeAll(async () => {
    const boss = { responsibleName: "Jana Schulz", responsibleEmail: JANA };
    f = await seedMailFixture(db(), {
      slug: `dig-${tag}`,
      now,
      schedule: { escalateAfterSends: 2, digestWeekday: 1, digestTime: "09:00" },
      learners: [
        { externalId: "late", email: "late@l.example", firstName: "Lena", lastName: "Lang", assignedAt: "2026-11-01T09:00:00Z", dueAt: "2026-11-20T11:00:00Z", ...boss },
        { externalId: "esc", email: "esc@l.example", firstName: "Emil", lastName: "Eskaliert", assignedAt: "2026-11-01T09:00:00Z", dueAt: "2026-12-20T11:00:00Z", ...boss },
        { externalId: "fine", email: "fine@l.example", firstName: "Fritz", assignedAt: "2026-11-01T09:00:00Z", dueAt: "2026-12-20T11:00:00Z", ...boss },
        { externalId: "done", email: "done@l.example", firstName: "Doris", assignedAt: "2026-11-01T09:00:00Z", dueAt: "2026-11-20T11:00:00Z", ...boss },
        { externalId: "gone", email: "gone@l.example", firstName: "Gustav", assignedAt: "2026-11-01T09:00:00Z", dueAt: "2026-11-20T11:00:00Z", ...boss },
        { externalId: "other", email: "other@l.example", firstName: "Otto", assignedAt: "2026-11-01T09:00:00Z", dueAt: "2026-11-20T11:00:00Z", responsibleEmail: "other@boss.example" },
      ],
    });
    for (const occurrence of [1, 2]) {
      await insertReminderRow(db(), f, { learner: "esc", occurrence, recipient: "esc@l.example", dueAt: now, status: "sent" });
    }
    await insertReminderRow(db(), f, { learner: "fine", occurrence: 1, recipient: "fine@l.example", dueAt: now, status: "sent" });
    const t = db().t;
    await db().orm.update(t.assignments).set({ completedAt: now }).where(eq(t.assignments.id, f.assignmentIds.done!));
    await db().orm.update(t.learners).set({ active: false }).where(eq(t.learners.id, f.learnerIds.gone!));
  });

  it("lists the person's overdue and escalated learners per training, and nobody else", async () => {
    const content = await loadDigestContent(db(), { tenantId: f.tenant.id, responsibleEmail: "jana.schulz@boss.example", now });
    expect(content.learnerCount).toBe(2);
    expect(content.responsibleName).toBe("Jana Schulz");
    expect(content.trainings).toHaveLength(1);
    expect(content.trainings[0]!.learners.map((l) => [l.firstName, l.daysOverdue, l.daysLeft, l.escalated, l.remindersSent])).toEqual([
      ["Lena", 9, null, false, 0],
      ["Emil", null, 21, true, 2],
    ]);
  });

  it("renders German and English with due dates, days overdue and the escalation", () => {
    const content = {
      responsibleEmail: "jana@boss.example",
      responsibleName: "Jana Schulz",
      learnerCount: 1,
      trainings: [
        {
          trainingId: "t",
          name: "Brandschutz <Basis>",
          link: "https://learning.example.com/t/9",
          learners: [
            { learnerId: "l", firstName: "Lena", lastName: "Lang", email: "lena@l.example", dueAt: new Date("2026-11-20T11:00:00Z"), daysOverdue: 9, daysLeft: null, escalated: true, remindersSent: 3 },
          ],
        },
      ],
    };
    const de = renderDigestMail(content, { locale: "de", tenantName: "Beispiel GmbH", timezone: "Europe/Berlin" });
    expect(de.subject).toBe("Wochenübersicht: 1 Person mit offener Schulung");
    expect(de.text).toContain("Hallo Jana Schulz,");
    expect(de.text).toContain("- Lena Lang (lena@l.example): fällig am 20. November 2026, seit 9 Tagen überfällig, 3 Erinnerungen ohne Abschluss");
    expect(de.html).toContain("Brandschutz &lt;Basis&gt;</h2>");
    expect(de.html).toContain('<html lang="de">');
    const en = renderDigestMail(content, { locale: "en", tenantName: "Example Ltd", timezone: "Europe/Berlin" });
    expect(en.subject).toBe("Weekly summary: 1 person with an open training");
    expect(en.text).toContain("- Lena Lang (lena@l.example): due on 20 November 2026, 9 days overdue, 3 reminders without completion");
  });

  it("prepareMails: a digest with content is composed without List-Unsubscribe; an empty one is never sent", async () => {
    const full = await insertDigestRow(db(), f, { responsibleEmail: "jana.schulz@boss.example", dueAt: now, status: "sending" });
    const empty = await insertDigestRow(db(), f, { responsibleEmail: "nobody@boss.example", dueAt: now, status: "sending" });
    const prepared = await prepareMails(db(), { rows: [full, empty], sender, tenant: f.tenant, publicUrl: "https://p.example", now });
    expect(prepared.get(empty.id)).toEqual({ cancel: "digest_empty" });
    const mail = prepared.get(full.id);
    if (!mail || !("message" in mail)) throw new Error(JSON.stringify(mail));
    expect(mail).toMatchObject({ locale: "de", variantIndex: null, subject: "Wochenübersicht: 2 Personen mit offenen Schulungen" });
    expect(mail.message.to).toBe("jana.schulz@boss.example");
    expect(Object.keys(mail.message.headers as Record<string, string>)).not.toContain("List-Unsubscribe");
    expect(String(mail.message.text)).toContain("Lena Lang (late@l.example)");
    expect(String(mail.message.text)).not.toContain("Fritz");
  });
});
