import crypto from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseEncryptionKeys } from "../crypto/secret-box";
import { forEachDatabase } from "../testing/databases";
import { startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server";
import { seedTwoTenants } from "../testing/tenants";
import { getSenderSettings } from "./queries";
import { senderSettingsSchema } from "./sender-schema";
import { loadSenderOverview, runSmtpCheck, saveSenderSettings, type SenderEnvironment } from "./service";
import { plainSmtpForm } from "../testing/sender-forms";

// Issue 8, items 5 and 6 for the tenant's own SMTP server, on both databases: 20
// connection tests an hour per tenant (counted at the loopback server), and a probe that
// outlives a save does not mark the new settings ready.

const keys = parseEncryptionKeys(`k1:${crypto.randomBytes(32).toString("base64")}`);
let fast: TestSmtpServer;
let slow: TestSmtpServer;

beforeAll(async () => {
  [fast, slow] = await Promise.all([startTestSmtpServer({ starttls: false }), startTestSmtpServer({ starttls: false, greetingDelayMs: 1500 })]);
});
afterAll(async () => {
  await Promise.all([fast?.close(), slow?.close()]);
});

function env(): SenderEnvironment {
  const ports = [fast.port, slow.port];
  return {
    profile: { noreplyAddresses: ["noreply@platform.example"], allowedPorts: ports },
    policy: { allowPrivate: true, allowedPorts: ports },
    relayUrl: undefined,
    defaults: { ratePerMinute: 60, dailyQuota: 1000 },
  };
}

const probe = { lookup: async () => [{ address: "127.0.0.1", family: 4 as const }], timeoutMs: 5000, uniformUnreachableTiming: false };

forEachDatabase("SMTP test limits", (getDb, dialect) => {
  let ids: Awaited<ReturnType<typeof seedTwoTenants>>;
  beforeAll(async () => {
    ids = await seedTwoTenants(getDb(), { prefix: `smtplim-${dialect}` });
  });

  async function save(tenantId: string, actor: string, port: number, now: Date) {
    const input = senderSettingsSchema(env().profile).parse(plainSmtpForm({ host: "smtp.test.example", port: port }));
    await saveSenderSettings(getDb(), { tenantId, actorUserId: actor, input, keys, now });
  }

  const check = (tenantId: string, actor: string, now: Date) =>
    runSmtpCheck(getDb(), { tenantId, actorUserId: actor, kind: "connection", env: env(), keys, locale: "de", now, probe });

  it("a tenant has 20 connection tests an hour: a burst of 25 reaches the server 20 times", async () => {
    const now = new Date("2026-11-28T10:48:00Z");
    await save(ids.a, ids.adminA, fast.port, now);
    const before = fast.sessions.length;
    const results = await Promise.all(Array.from({ length: 25 }, () => check(ids.a, ids.adminA, now)));
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(5);
    expect(refused[0]!.message).toEqual({
      de: "Zu viele Verbindungstests: wieder möglich in 12 Minuten.",
      en: "Too many connection tests: possible again in 12 minutes.",
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(fast.sessions.length - before).toBe(20);
    // The next hour has a new budget.
    expect((await check(ids.a, ids.adminA, new Date("2026-11-28T11:00:01Z"))).ok).toBe(true);
  });

  it("settings saved while a probe runs are not marked ready by the old probe", async () => {
    const t0 = new Date();
    await save(ids.b, ids.adminB, slow.port, t0);
    const inFlight = check(ids.b, ids.adminB, t0);
    await new Promise((r) => setTimeout(r, 300));
    await save(ids.b, ids.adminB, fast.port, new Date(t0.getTime() + 1000));
    const result = await inFlight;
    expect(result.ok).toBe(false);
    expect(result.message.en).toMatch(/changed during the test/);
    const row = await getSenderSettings(getDb(), { tenantId: ids.b });
    expect(row?.smtpPort).toBe(fast.port);
    expect(row?.lastTest).toBeNull();
    const overview = await loadSenderOverview(getDb(), { tenantId: ids.b, relayConfigured: true, now: new Date() });
    expect(overview.state).toMatchObject({ status: "not_ready", reasons: ["not_tested"] });

    // A test of the saved settings is recorded.
    expect((await check(ids.b, ids.adminB, new Date(t0.getTime() + 2000))).ok).toBe(true);
    const after = await loadSenderOverview(getDb(), { tenantId: ids.b, relayConfigured: true, now: new Date() });
    expect(after.state.status).toBe("ready");
  });
});
