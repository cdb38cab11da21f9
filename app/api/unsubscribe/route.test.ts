import { afterAll, beforeAll, expect, it } from "vitest";
import { setProcessDb } from "@/lib/db";
import { prepareMails, type ComposeSender } from "@/lib/delivery/compose";
import { unsubscribeTarget, unsubscribeToken } from "@/lib/delivery/unsubscribe";
import { forEachDatabase } from "@/lib/testing/databases";
import { runWorkerOnce } from "@/lib/delivery/worker";
import { testDeliveryEnvironment } from "@/lib/testing/delivery";
import { auditEntries, deliveriesOf, deliveryState, insertReminderRow, seedMailFixture, unsubscribesOf, usePlatformSender, type MailFixture } from "@/lib/testing/mail-fixture";
import { startTestSmtpServer, type TestSmtpServer } from "@/lib/testing/smtp-server";
import { GET, POST } from "./[token]/route";

const now = new Date("2026-11-29T07:30:00Z");
const PUBLIC_URL = "https://postillion.example.com";
const sender: ComposeSender = { fromAddress: "noreply@reflact.com", fromName: "Beispiel GmbH", replyTo: null, dkim: null };

let relay: TestSmtpServer;
beforeAll(async () => {
  relay = await startTestSmtpServer({ starttls: false });
});
afterAll(async () => {
  await relay?.close();
});

forEachDatabase("one-click unsubscribe", (db, dialect) => {
  let f: MailFixture;
  const tag = dialect === "sqlite" ? "s" : "p";
  beforeAll(async () => {
    setProcessDb(db());
    f = await seedMailFixture(db(), {
      slug: `uns-${tag}`,
      now,
      learners: [
        { externalId: "maria", email: "maria@learner.example", firstName: "Maria", assignedAt: "2026-11-27T09:00:00Z" },
        { externalId: "max", email: "max@learner.example", firstName: "Max", assignedAt: "2026-11-27T09:00:00Z" },
      ],
    });
  });

  const ctx = (token: string) => ({ params: Promise.resolve({ token }) });
  const oneClick = (token: string) =>
    POST(
      new Request(`${PUBLIC_URL}/api/unsubscribe/${token}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      }),
      ctx(token),
    );
  const statusOf = (id: string) => deliveryState(db(), id);

  it("a GET changes nothing; the one-click POST stops that plan's further reminders for that learner only, once", async () => {
    const sent = await insertReminderRow(db(), f, { learner: "maria", occurrence: 1, recipient: "maria@learner.example", dueAt: now, status: "sent" });
    const next = await insertReminderRow(db(), f, { learner: "maria", occurrence: 2, recipient: "maria@learner.example", dueAt: new Date(now.getTime() + 7 * 86_400_000), status: "planned", attempts: 0 });
    const inFlight = await insertReminderRow(db(), f, { learner: "maria", occurrence: 3, recipient: "maria@learner.example", dueAt: now, status: "sending" });
    const other = await insertReminderRow(db(), f, { learner: "max", occurrence: 1, recipient: "max@learner.example", dueAt: now, status: "planned", attempts: 0 });
    const token = unsubscribeToken(sent.id);

    // A link scanner's GET: redirected to the page, nothing recorded.
    const get = await GET(new Request(`${PUBLIC_URL}/api/unsubscribe/${token}`), ctx(token));
    expect(get.status).toBe(303);
    expect(get.headers.get("location")).toBe(`${PUBLIC_URL}/u/${token}`);
    expect(await statusOf(next.id)).toEqual({ status: "planned", reason: null });
    expect((await unsubscribeTarget(db(), { token }))?.already).toBe(false);

    const res = await oneClick(token);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("Unsubscribed\n");
    expect(await statusOf(next.id)).toEqual({ status: "cancelled", reason: "unsubscribed" });
    expect(await statusOf(sent.id)).toEqual({ status: "sent", reason: null });
    expect(await statusOf(other.id)).toEqual({ status: "planned", reason: null });
    // The row a worker holds right now is stopped before the hand-over.
    expect((await prepareMails(db(), { rows: [inFlight], sender, tenant: f.tenant, publicUrl: PUBLIC_URL, now })).get(inFlight.id)).toEqual({ cancel: "unsubscribed" });

    const rows = await unsubscribesOf(db(), f.tenant.id);
    expect(rows).toMatchObject([{ planId: f.planId, learnerId: f.learnerIds.maria, deliveryId: sent.id, via: "one_click" }]);
    const entries = await auditEntries(db(), f.tenant.id, "delivery.unsubscribed");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorUserId: null, targetId: f.learnerIds.maria, details: { actor: "learner", via: "one_click", cancelled: 1 } });

    // A second click: fine, nothing new.
    const again = await oneClick(token);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe("Already unsubscribed\n");
    expect(await unsubscribesOf(db(), f.tenant.id)).toHaveLength(1);
    expect(await auditEntries(db(), f.tenant.id, "delivery.unsubscribed")).toHaveLength(1);
  });

  it("the page's button posts via=page and comes back to the page; a forged token is refused", async () => {
    const row = await insertReminderRow(db(), f, { learner: "max", occurrence: 2, recipient: "max@learner.example", dueAt: now, status: "sent" });
    const token = unsubscribeToken(row.id);
    const res = await POST(
      new Request(`${PUBLIC_URL}/api/unsubscribe/${token}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "via=page" }),
      ctx(token),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${PUBLIC_URL}/u/${token}?done=1`);
    expect(await unsubscribeTarget(db(), { token })).toMatchObject({ already: true, planName: "Erinnerungen Datenschutz", trainingName: "Datenschutz-Grundlagen", tenantName: "Beispiel GmbH", locale: "de" });
    expect((await unsubscribesOf(db(), f.tenant.id)).filter((x) => x.learnerId === f.learnerIds.max).map((x) => x.via)).toEqual(["page"]);

    const forged = `${row.id}.AAAAAAAAAAAAAAAAAAAAAA`;
    const refused = await oneClick(forged);
    expect(refused.status).toBe(404);
    expect(await unsubscribeTarget(db(), { token: forged })).toBeNull();
  });

  it("through the real worker: after the click in Maria's first reminder she gets no further reminders of the plan, Max still does", async () => {
    const env = testDeliveryEnvironment(relay.port);
    // Assigned Friday 27 Nov; the plan reminds 1 day later at 08:30 Berlin, weekly, at most 3.
    const w = await seedMailFixture(db(), {
      slug: `uns-w-${tag}`,
      now: new Date("2026-11-27T09:00:00Z"),
      learners: [
        { externalId: "maria", email: `maria@uns-w-${tag}.example`, firstName: "Maria", assignedAt: "2026-11-27T09:00:00Z" },
        { externalId: "max", email: `max@uns-w-${tag}.example`, firstName: "Max", assignedAt: "2026-11-27T09:00:00Z" },
      ],
    });
    await usePlatformSender(db(), w, env, new Date("2026-11-27T09:00:00Z"));
    const tick = (iso: string) => runWorkerOnce(db(), { env, clock: () => new Date(iso), log: () => {}, random: () => 0.5 });
    const to = (who: string) => relay.received.filter((m) => m.envelope.to[0] === `${who}@uns-w-${tag}.example`);

    expect(await tick("2026-11-28T07:31:00Z")).toMatchObject({ sent: 2 });
    const first = to("maria")[0]!;
    const link = /<(https:\/\/[^>]+)>/.exec(String(first.raw.replace(/\r\n[ \t]+/g, " ").match(/^List-Unsubscribe: (.*)$/m)?.[1]))![1]!;
    expect(link.startsWith(`${env.publicUrl}/api/unsubscribe/`)).toBe(true);
    const res = await oneClick(link.slice(link.lastIndexOf("/") + 1));
    expect(res.status).toBe(200);

    expect(await tick("2026-12-05T07:31:00Z")).toMatchObject({ sent: 1 });
    expect(await tick("2026-12-12T07:31:00Z")).toMatchObject({ sent: 1 });
    expect(await tick("2026-12-19T07:31:00Z")).toMatchObject({ sent: 0 });
    expect(to("maria")).toHaveLength(1);
    expect(to("max").map((m) => m.parsed.subject)).toEqual([
      "Erinnerung: Datenschutz-Grundlagen",
      "Max, Ihre Schulung „Datenschutz-Grundlagen“ wartet",
      "Noch offen: Datenschutz-Grundlagen (Erinnerung 3 von 3)",
    ]);
    const maria = (await deliveriesOf(db(), w.tenant.id)).filter((r) => r.recipient.startsWith("maria@"));
    expect(maria.map((r) => [r.occurrence, r.status, r.cancelReason])).toEqual([
      [1, "sent", null],
      [2, "cancelled", "unsubscribed"],
    ]);
  });
});
