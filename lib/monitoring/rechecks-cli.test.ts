/** `postillion worker --once --now ISO` as its own process runs the due re-checks before its tick, and the tick mails the alert. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { runScheduledDomainCheck } from "../domain-check/service";
import { senderSettingsSchema } from "../sender/sender-schema";
import { saveSenderSettings } from "../sender/service";
import { createTenant } from "../tenants/queries";
import { runCli } from "../testing/cli";
import { createTestDb, type TestDb } from "../testing/databases";
import { testDeliveryEnvironment, workerProcessEnv } from "../testing/delivery";
import { startDnsServer, type TestDnsServer, type Zone } from "../testing/dns-server";
import { startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server";
import { createUser } from "../users/queries";
import { RECHECK_EVERY_MS } from "./rechecks";

// A Node process start takes seconds on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const DOMAIN = "cli-kunde.example";
const zone = (include: boolean): Zone => ({
  "secure-mailgate.com": { TXT: ["v=spf1 ip4:127.0.0.1 -all"] },
  [DOMAIN]: { TXT: [include ? "v=spf1 include:secure-mailgate.com -all" : "v=spf1 mx -all"], MX: [{ priority: 10, exchange: `mx.${DOMAIN}` }] },
  [`mx.${DOMAIN}`]: { A: ["192.0.2.25"] },
});

let dns: TestDnsServer;
let relay: TestSmtpServer;
let handle: TestDb;
let dataDir: string;
beforeAll(async () => {
  dns = await startDnsServer(zone(true));
  relay = await startTestSmtpServer({ starttls: false });
  handle = await createTestDb("sqlite");
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "postillion-recheck-cli-"));
});
afterAll(async () => {
  await Promise.all([dns?.close(), relay?.close(), handle?.dispose()]);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

it("worker --once re-checks a due domain, records it red, raises the alert and mails it in the same run", async () => {
  const db = handle.db;
  const T0 = new Date("2026-12-01T06:00:00Z");
  const env = testDeliveryEnvironment(relay.port);
  const tenant = await createTenant(db, { slug: "cli-kunde", name: "CLI Kunde", timezone: "UTC", locale: "en" });
  await createUser(db, { email: `admin@${DOMAIN}`, name: "Ada", role: "admin", password: "long-enough-pass", tenantId: tenant.id });
  const input = senderSettingsSchema(env.sender.profile).parse({ mode: "customer_domain", fromAddress: `info@${DOMAIN}`, displayName: "Info", replyTo: "", ratePerMinute: "60", dailyQuota: "1000" });
  await saveSenderSettings(db, { tenantId: tenant.id, actorUserId: null, via: "cli", input, keys: env.keys, now: T0 });
  const domainCheck = {
    dnsServers: [dns.address],
    profile: { spfIncludes: ["secure-mailgate.com"], gatewayIps: ["127.0.0.1"] },
    queryTimeoutMs: 1_000,
    deadlineMs: 10_000,
    relayUrl: undefined,
    noreplyAddress: "noreply@platform.example",
  };
  expect((await runScheduledDomainCheck(db, { tenantId: tenant.id, domain: DOMAIN, env: domainCheck, now: T0 })).verdict).toBe("green");

  dns.setZone(zone(false));
  const mailsBefore = relay.received.length;
  const at = new Date(T0.getTime() + RECHECK_EVERY_MS + 60_000);
  const run = await runCli(["worker", "--once", "--now", at.toISOString(), "--json"], {
    env: {
      ...workerProcessEnv({ databaseUrl: handle.url, relayPort: relay.port, dataDir }),
      DNS_SERVERS: dns.address,
      PLATFORM_SPF_INCLUDES: "secure-mailgate.com",
      PLATFORM_GATEWAY_IPS: "127.0.0.1",
    },
  });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toMatch(/rechecks domain=1 smtp=0 failed=1 recovered=0/);

  const d = db.t.domainChecks;
  const checks = await db.orm.select().from(d).where(eq(d.tenantId, tenant.id)).orderBy(d.startedAt);
  expect(checks.map((c) => [c.verdict, c.startedBy])).toEqual([
    ["green", null],
    ["not_ready", null],
  ]);
  const a = db.t.alerts;
  const [alert] = await db.orm.select().from(a).where(eq(a.tenantId, tenant.id));
  expect(alert).toMatchObject({ kind: "recheck_domain", resolvedAt: null });
  expect(alert!.mailedAt).not.toBeNull();
  const mail = await relay.waitForMail(mailsBefore + 1);
  expect(mail.envelope.to).toEqual([`admin@${DOMAIN}`]);
  expect(mail.parsed.subject).toContain(`domain ${DOMAIN} no longer ready`);
});
