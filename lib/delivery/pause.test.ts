import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { listAudit } from "../audit/log";
import { appActor } from "../auth/policy";
import type { SenderEnvironment } from "../sender/service";
import { forEachDatabase } from "../testing/databases";
import { findClosedPort, startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { listAlerts, mailPendingAlerts, type AlertMailEnvironment } from "./alerts";
import { classifyDeliveryFailure } from "./failures";
import { getOpenPause, pausedTenantIds, pauseTenantSending, resumeTenantSending } from "./pause";

/**
 * Pause → alert → alert mail → resume, on both databases, with a real relay on loopback.
 */

let relay: TestSmtpServer;
beforeAll(async () => {
  relay = await startTestSmtpServer({ starttls: false });
});
afterAll(async () => {
  await relay.close();
});

function envFor(relayPort: number): AlertMailEnvironment {
  const sender: SenderEnvironment = {
    profile: { noreplyAddresses: ["noreply@platform.example"], allowedPorts: [587, 465] },
    policy: { allowPrivate: true, allowedPorts: [relayPort] },
    relayUrl: `smtp://127.0.0.1:${relayPort}`,
    defaults: { ratePerMinute: 60, dailyQuota: 1000 },
  };
  return { sender, publicUrl: "https://postillion.test.example", probe: { timeoutMs: 3_000, uniformUnreachableTiming: false } };
}

const authFailure = classifyDeliveryFailure(
  Object.assign(new Error("Invalid login: 535 5.7.8 Authentication credentials invalid"), {
    code: "EAUTH",
    responseCode: 535,
    response: "535 5.7.8 Authentication credentials invalid",
    command: "AUTH PLAIN",
  }),
  { host: "smtp.tenant.example", port: 587, security: "starttls", from: "kurse@tenant.example", to: "x@y.example", user: "u", password: "pw-secret" },
);

forEachDatabase("pause, alert mail, resume", (getDb) => {
  let t: TwoTenants;
  const t0 = new Date("2026-11-30T08:00:00Z");

  beforeAll(async () => {
    const db = getDb();
    t = await seedTwoTenants(db, { prefix: "pause", emailTag: `-${db.dialect}` });
    // The consultant reads English; tenant A's admin has no preference (tenant A is German).
    await db.orm.update(db.t.users).set({ locale: "en" }).where(eq(db.t.users.id, t.consultant));
  });

  it("one open pause per tenant, also when many workers fail at once; one alert", async () => {
    const db = getDb();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => db.transaction((tx) => pauseTenantSending(tx, { tenantId: t.a, failure: authFailure, deliveryId: null, now: t0 }))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.pauseId)).size).toBe(1);
    expect(await pausedTenantIds(db)).toEqual([t.a]);
    const open = await getOpenPause(db, { tenantId: t.a });
    expect(open?.errorKind).toBe("auth_failed");
    expect(open?.reply).toContain("535 5.7.8");
    expect(open?.reply).not.toContain("pw-secret");
    expect(await getOpenPause(db, { tenantId: t.b })).toBeNull();

    const alerts = await listAlerts(db, { tenantId: t.a });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.kind).toBe("sending_paused");
    expect(alerts[0]!.link).toBe("/t/pause-a/deliveries");
    expect(alerts[0]!.message.de.text).toMatch(/Versand fortsetzen/);
    expect(alerts[0]!.message.en.text).toMatch(/user name or password/);
    expect(alerts[0]!.mailedAt).toBeNull();
  });

  it("relay down: the alert stays unmailed and goes on a later tick", async () => {
    const db = getDb();
    const closed = await findClosedPort();
    expect(await mailPendingAlerts(db, { env: envFor(closed), now: t0 })).toBe(0);
    expect((await listAlerts(db, { tenantId: t.a }))[0]!.mailedAt).toBeNull();
  });

  it("two workers mailing at once send the alert once: to the tenant's admins and every consultant, each in their language", async () => {
    const db = getDb();
    const before = relay.received.length;
    const counts = await Promise.all([
      mailPendingAlerts(db, { env: envFor(relay.port), now: t0 }),
      mailPendingAlerts(db, { env: envFor(relay.port), now: t0 }),
    ]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    const mails = relay.received.slice(before);
    const to = mails.map((m) => m.envelope.to[0]).sort();
    expect(to).toEqual([`admin@pause-a-${db.dialect}.example`, `consultant@pause-${db.dialect}.example`]);
    const admin = mails.find((m) => m.envelope.to[0]!.startsWith("admin@"))!;
    const consultant = mails.find((m) => m.envelope.to[0]!.startsWith("consultant@"))!;
    expect(admin.parsed.subject).toBe("Postillion: Versand angehalten: A");
    expect(admin.parsed.text).toContain("https://postillion.test.example/t/pause-a/deliveries");
    expect(admin.parsed.text).toContain("535 5.7.8 Authentication credentials invalid");
    expect(consultant.parsed.subject).toBe("Postillion: Sending paused: A");
    expect(consultant.parsed.text).toMatch(/Resume sending/);
    expect(mails.every((m) => !m.raw.includes("pw-secret"))).toBe(true);
    expect((await listAlerts(db, { tenantId: t.a }))[0]!.mailedAt).not.toBeNull();
    // Nothing left to mail.
    expect(await mailPendingAlerts(db, { env: envFor(relay.port), now: t0 })).toBe(0);
    expect(relay.received.length).toBe(before + 2);
  });

  it("a trainer may not resume; an admin of the tenant may", async () => {
    const db = getDb();
    const trainer = await resumeTenantSending(db, { actor: appActor({ id: t.trainerA, role: "trainer" }), tenantId: t.a, now: t0 });
    expect(trainer).toEqual({ ok: false, code: "forbidden" });
    expect(await pausedTenantIds(db)).toEqual([t.a]);
  });

  it("a burst of parallel resumes: exactly one resumes and is audited, the alert is resolved", async () => {
    const db = getDb();
    const at = new Date(t0.getTime() + 3_600_000);
    const actor = appActor({ id: t.adminA, role: "admin" });
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => resumeTenantSending(db, { actor, tenantId: t.a, now: at })));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(outcomes.filter((o) => o.ok && o.data.resumed)).toHaveLength(1);
    expect(await pausedTenantIds(db)).toEqual([]);
    expect(await getOpenPause(db, { tenantId: t.a })).toBeNull();
    const audit = await listAudit(db, { tenantId: t.a, action: "delivery.resume" });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).toBe(t.adminA);
    expect(audit[0]!.details).toMatchObject({ errorKind: "auth_failed" });
    const [alert] = await listAlerts(db, { tenantId: t.a });
    expect(alert!.resolvedAt?.getTime()).toBe(at.getTime());
  });

  it("a later failure pauses again with a new alert (the old one stays resolved)", async () => {
    const db = getDb();
    const later = new Date(t0.getTime() + 7_200_000);
    const again = await db.transaction((tx) => pauseTenantSending(tx, { tenantId: t.a, failure: authFailure, deliveryId: null, now: later }));
    expect(again.created).toBe(true);
    const alerts = await listAlerts(db, { tenantId: t.a });
    expect(alerts).toHaveLength(2);
    expect(alerts[0]!.resolvedAt).toBeNull();
    expect(alerts[1]!.resolvedAt).not.toBeNull();
    // A resolved alert that was never mailed is not mailed any more; the open one is.
    expect(await mailPendingAlerts(db, { env: envFor(relay.port), now: later })).toBe(1);
    const ok = await resumeTenantSending(db, { actor: appActor({ id: t.consultant, role: "consultant" }), tenantId: t.a, now: later });
    expect(ok).toEqual({ ok: true, data: { resumed: true } });
  });
});
