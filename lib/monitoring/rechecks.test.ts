import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditPage } from "../audit/read";
import type { Db } from "../db";
import { mailPendingAlerts } from "../delivery/alerts";
import { resolveTenantSender } from "../delivery/sender";
import { runWorkerOnce, startWorker } from "../delivery/worker";
import { runScheduledDomainCheck, startDomainCheck, type DomainCheckEnvironment } from "../domain-check/service";
import { senderSettingsSchema } from "../sender/sender-schema";
import { requestAddressProof, runSmtpCheck, saveSenderSettings, verifyAddressProof } from "../sender/service";
import { createTenant } from "../tenants/queries";
import { forEachDatabase } from "../testing/databases";
import { seedDeliveryTenant, testDeliveryEnvironment } from "../testing/delivery";
import { testDomainCheckEnvironment } from "../testing/domain-check";
import { startDnsServer, type TestDnsServer, type Zone } from "../testing/dns-server";
import { startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server";
import { createUser } from "../users/queries";
import { dueRechecks, recheckAlertPrefix, RECHECK_EVERY_MS, RECHECK_FAILING_EVERY_MS, runDueRechecks, type RecheckEnvironment } from "./rechecks";
import { countingStatements } from "../testing/query-count";
import { plainSmtpForm } from "../testing/sender-forms";

// The worker's daily re-checks on both databases, against real loopback parts: a DNS
// server whose zone the test changes between checks, the tenant's own SMTP server that
// goes away and comes back, and an SMTP server as the platform relay (proof codes, alert
// mails). Sending readiness is read through resolveTenantSender, as the worker does.

const GATEWAY_IP = "127.0.0.1";
const HOUR = 60 * 60 * 1000;
const SECRET = "rechecks-test-secret-rechecks-test-secret";

let dns: TestDnsServer;
let relay: TestSmtpServer;
let own: TestSmtpServer;
let ownPort: number;
beforeAll(async () => {
  dns = await startDnsServer({});
  relay = await startTestSmtpServer({ starttls: false });
  own = await startTestSmtpServer({ starttls: false });
  ownPort = own.port;
});
afterAll(async () => {
  await Promise.all([dns?.close(), relay?.close(), own?.close()]);
});

const greenZone = (domain: string): Zone => ({
  "secure-mailgate.com": { TXT: [`v=spf1 ip4:${GATEWAY_IP} -all`] },
  [domain]: { TXT: ["v=spf1 include:secure-mailgate.com -all"], MX: [{ priority: 10, exchange: `mx.${domain}` }] },
  [`mx.${domain}`]: { A: ["192.0.2.25"] },
});
/** The customer's DNS person replaced the record: the platform include is gone. */
const lostIncludeZone = (domain: string): Zone => ({ ...greenZone(domain), [domain]: { TXT: ["v=spf1 mx -all"], MX: [{ priority: 10, exchange: `mx.${domain}` }] } });

function checkEnv(): DomainCheckEnvironment {
  return testDomainCheckEnvironment({
    dnsAddress: dns.address,
    relayUrl: `smtp://127.0.0.1:${relay.port}`,
    profile: { spfIncludes: ["secure-mailgate.com"], gatewayIps: [GATEWAY_IP] },
    queryTimeoutMs: 1_000,
    deadlineMs: 10_000,
  });
}

function deliveryEnv() {
  const env = testDeliveryEnvironment(relay.port);
  const ports = [relay.port, ownPort];
  return {
    ...env,
    sender: { ...env.sender, profile: { ...env.sender.profile, allowedPorts: ports }, policy: { allowPrivate: true, allowedPorts: ports } },
    probe: { ...env.probe, timeoutMs: 3_000, lookup: async () => [{ address: "127.0.0.1", family: 4 as const }], uniformUnreachableTiming: false },
  };
}

function recheckEnv(): RecheckEnvironment {
  const env = deliveryEnv();
  return { domainCheck: checkEnv(), sender: env.sender, keys: env.keys, probe: env.probe };
}

async function alertsOf(db: Db, tenantId: string) {
  const a = db.t.alerts;
  return db.orm.select().from(a).where(eq(a.tenantId, tenantId)).orderBy(a.createdAt);
}

async function checksOf(db: Db, tenantId: string) {
  const d = db.t.domainChecks;
  return db.orm.select().from(d).where(eq(d.tenantId, tenantId)).orderBy(d.startedAt);
}

async function senderOk(db: Db, tenantId: string, now: Date) {
  return resolveTenantSender(db, { tenantId, env: deliveryEnv(), now });
}

async function systemAudit(db: Db, tenantId: string) {
  const page = await listAuditPage(db, { tenantId, filter: { actor: "system" } });
  return page.rows.map((r) => r.action).reverse();
}

/** A tenant that sends from its own domain: settings saved, From proven by the code mailed through the relay, domain checked green. */
async function seedDomainTenant(db: Db, p: { slug: string; domain: string; at: Date }) {
  const env = deliveryEnv();
  const tenant = await createTenant(db, { slug: p.slug, name: `Firma ${p.slug}`, timezone: "Europe/Berlin", locale: "de" });
  const admin = await createUser(db, { email: `admin@${p.domain}`, name: "Ada", role: "admin", password: "long-enough-pass", tenantId: tenant.id });
  const input = senderSettingsSchema(env.sender.profile).parse({
    mode: "customer_domain",
    fromAddress: `schulung@${p.domain}`,
    displayName: "Schulungen",
    replyTo: `team@${p.domain}`,
    ratePerMinute: "60",
    dailyQuota: "1000",
  });
  await saveSenderSettings(db, { tenantId: tenant.id, actorUserId: admin.id, input, keys: env.keys, now: p.at });
  const before = relay.received.length;
  const asked = await requestAddressProof(db, { tenant: { id: tenant.id, name: "Firma", locale: "de" }, actorUserId: admin.id, env: env.sender, secret: SECRET, now: p.at, probe: env.probe });
  expect(asked.ok, JSON.stringify(asked)).toBe(true);
  const mail = await relay.waitForMail(before + 1);
  const code = /(\d{3}) (\d{3})/.exec(mail.parsed.text ?? "")!;
  expect((await verifyAddressProof(db, { tenantId: tenant.id, actorUserId: admin.id, code: `${code[1]}${code[2]}`, secret: SECRET, now: p.at })).ok).toBe(true);
  await manualCheck(db, { tenantId: tenant.id, actorUserId: admin.id, domain: p.domain, at: p.at });
  return { tenantId: tenant.id, adminId: admin.id, slug: p.slug };
}

/** A tenant whose sender settings say customer_domain (set by the CLI), nothing checked yet. */
async function domainSender(db: Db, p: { slug: string; domain: string; at: Date }) {
  const env = deliveryEnv();
  const t = await createTenant(db, { slug: p.slug, name: p.slug, timezone: "UTC", locale: "en" });
  const input = senderSettingsSchema(env.sender.profile).parse({ mode: "customer_domain", fromAddress: `info@${p.domain}`, displayName: "Info", replyTo: "", ratePerMinute: "60", dailyQuota: "1000" });
  await saveSenderSettings(db, { tenantId: t.id, actorUserId: null, via: "cli", input, keys: env.keys, now: p.at });
  return t;
}

async function manualCheck(db: Db, p: { tenantId: string; actorUserId: string; domain: string; at: Date }) {
  const started = await startDomainCheck(db, { tenantId: p.tenantId, actorUserId: p.actorUserId, domain: p.domain, env: checkEnv(), now: () => p.at });
  if (!started.ok) throw new Error(JSON.stringify(started));
  await started.done;
}

forEachDatabase("daily re-checks", (db, dialect) => {
  const domain = `kunde-${dialect}.example`;
  const T0 = new Date("2026-12-01T06:00:00Z");
  let consultantEmail: string;

  beforeAll(async () => {
    consultantEmail = (await createUser(db(), { email: `consultant@recheck-${dialect}.example`, name: "Conny", role: "consultant", password: "long-enough-pass" })).email;
  });

  describe("customer domain", () => {
    let tenant: Awaited<ReturnType<typeof seedDomainTenant>>;
    const run = (at: Date) => runDueRechecks(db(), { env: recheckEnv(), now: at });

    it("DNS that loses the include between two scheduled checks raises one alert, stops sending, mails once; restoring clears it", async () => {
      dns.setZone(greenZone(domain));
      tenant = await seedDomainTenant(db(), { slug: `dom-${dialect}`, domain, at: T0 });
      expect((await senderOk(db(), tenant.tenantId, T0)).ok).toBe(true);

      // Within 24 h of the last (manual) check nothing is due.
      expect(await run(new Date(T0.getTime() + RECHECK_EVERY_MS - 60_000))).toEqual({ domain: 0, smtp: 0, failed: 0, recovered: 0 });

      // First scheduled check: still green, recorded as done by nobody, nothing raised.
      const T1 = new Date(T0.getTime() + RECHECK_EVERY_MS + 60_000);
      expect(await run(T1)).toEqual({ domain: 1, smtp: 0, failed: 0, recovered: 0 });
      const afterFirst = await checksOf(db(), tenant.tenantId);
      expect(afterFirst.map((c) => [c.status, c.verdict, c.startedBy])).toEqual([
        ["done", "green", tenant.adminId],
        ["done", "green", null],
      ]);
      expect((await senderOk(db(), tenant.tenantId, T1)).ok).toBe(true);

      // The include is gone at the next scheduled check: one alert, sending stops.
      dns.setZone(lostIncludeZone(domain));
      const T2 = new Date(T1.getTime() + RECHECK_EVERY_MS + 60_000);
      expect(await run(T2)).toEqual({ domain: 1, smtp: 0, failed: 1, recovered: 0 });
      const red = (await checksOf(db(), tenant.tenantId)).at(-1)!;
      expect([red.verdict, red.startedBy]).toEqual(["not_ready", null]);
      const [alert, ...more] = await alertsOf(db(), tenant.tenantId);
      expect(more).toEqual([]);
      expect(alert).toMatchObject({
        kind: "recheck_domain",
        severity: "error",
        dedupeKey: `${recheckAlertPrefix("domain", tenant.tenantId)}${red.id}`,
        link: `/t/${tenant.slug}/domain`,
        resolvedAt: null,
      });
      const message = alert!.message as Record<string, { title: string; text: string }>;
      expect(message.en!.text).toContain(`Reminders from @${domain} are not sent until the domain check is green again`);
      expect(message.de!.title).toContain(`Domain ${domain} nicht mehr bereit`);
      expect(alert!.detail).toContain("SPF records: v=spf1 mx -all");
      expect(await senderOk(db(), tenant.tenantId, T2)).toMatchObject({ ok: false, reason: "not_ready" });
      expect(await systemAudit(db(), tenant.tenantId)).toEqual(["domain.recheck.failed"]);
      const byLearner = await listAuditPage(db(), { tenantId: tenant.tenantId, filter: { actor: "learner" } });
      expect(byLearner.rows.map((r) => r.action)).not.toContain("domain.recheck.failed");

      // The worker's tick mails it once, to the tenant's admin and the consultant.
      const mailedBefore = relay.received.length;
      expect(await mailPendingAlerts(db(), { env: deliveryEnv(), now: T2 })).toBe(1);
      const mails = await relay.waitForMail(mailedBefore + 2);
      expect(mails).toBeDefined();
      const alertMails = relay.received.slice(mailedBefore);
      expect(alertMails.flatMap((m) => m.envelope.to).sort()).toEqual([`admin@${domain}`, consultantEmail].sort());
      expect(alertMails[0]!.parsed.subject).toContain(domain);

      // Failing: re-checked hourly, not sooner; a third red check raises and mails nothing new.
      expect((await run(new Date(T2.getTime() + 30 * 60_000))).domain).toBe(0);
      const T3 = new Date(T2.getTime() + RECHECK_FAILING_EVERY_MS + 60_000);
      expect(await run(T3)).toEqual({ domain: 1, smtp: 0, failed: 0, recovered: 0 });
      expect(await alertsOf(db(), tenant.tenantId)).toHaveLength(1);
      expect(await mailPendingAlerts(db(), { env: deliveryEnv(), now: T3 })).toBe(0);
      expect(relay.received.length).toBe(mailedBefore + 2);
      expect(await senderOk(db(), tenant.tenantId, T3)).toMatchObject({ ok: false });

      // Restored: the next due check is green, the alert is resolved, sending goes again.
      dns.setZone(greenZone(domain));
      const T4 = new Date(T3.getTime() + RECHECK_FAILING_EVERY_MS + 60_000);
      expect(await run(T4)).toEqual({ domain: 1, smtp: 0, failed: 0, recovered: 1 });
      expect((await alertsOf(db(), tenant.tenantId))[0]!.resolvedAt).not.toBeNull();
      expect((await senderOk(db(), tenant.tenantId, T4)).ok).toBe(true);
      expect(await systemAudit(db(), tenant.tenantId)).toEqual(["domain.recheck.failed", "domain.recheck.recovered"]);
      // Green again: back to daily.
      expect((await run(new Date(T4.getTime() + 2 * HOUR))).domain).toBe(0);
    });

    it("a manual check that comes out green clears the open alert (it audits itself, the re-check audit stays as it was)", async () => {
      dns.setZone(lostIncludeZone(domain));
      const last = (await checksOf(db(), tenant.tenantId)).at(-1)!.finishedAt!;
      const T5 = new Date(last.getTime() + RECHECK_EVERY_MS + 60_000);
      expect(await run(T5)).toMatchObject({ domain: 1, failed: 1 });
      const open = (await alertsOf(db(), tenant.tenantId)).filter((a) => !a.resolvedAt);
      expect(open).toHaveLength(1);

      dns.setZone(greenZone(domain));
      await manualCheck(db(), { tenantId: tenant.tenantId, actorUserId: tenant.adminId, domain, at: new Date(T5.getTime() + 10 * 60_000) });
      expect((await alertsOf(db(), tenant.tenantId)).filter((a) => !a.resolvedAt)).toEqual([]);
      expect((await senderOk(db(), tenant.tenantId, new Date(T5.getTime() + 11 * 60_000))).ok).toBe(true);
      expect(await systemAudit(db(), tenant.tenantId)).toEqual(["domain.recheck.failed", "domain.recheck.recovered", "domain.recheck.failed"]);
    });
  });

  describe("own SMTP server", () => {
    let tenantId: string;
    let adminId: string;
    const S0 = new Date("2026-12-02T06:00:00Z");
    const run = (at: Date) => runDueRechecks(db(), { env: recheckEnv(), now: at });

    async function saveSmtp(at: Date) {
      const env = deliveryEnv();
      const input = senderSettingsSchema(env.sender.profile).parse(plainSmtpForm({ host: "smtp.test.example", port: ownPort }));
      await saveSenderSettings(db(), { tenantId, actorUserId: adminId, input, keys: env.keys, now: at });
    }
    const manualTest = (at: Date) =>
      runSmtpCheck(db(), { tenantId, actorUserId: adminId, kind: "connection", env: deliveryEnv().sender, keys: deliveryEnv().keys, locale: "en", now: at, probe: deliveryEnv().probe });
    const openAlerts = async () => (await alertsOf(db(), tenantId)).filter((a) => !a.resolvedAt);

    it("the server going away raises one alert and stops sending; back again clears it", async () => {
      const tenant = await createTenant(db(), { slug: `smtp-${dialect}`, name: "ACME", timezone: "UTC", locale: "en" });
      tenantId = tenant.id;
      adminId = (await createUser(db(), { email: `admin@smtp-${dialect}.example`, name: "Sam", role: "admin", password: "long-enough-pass", tenantId })).id;
      await saveSmtp(S0);
      // Never tested: not re-checked (an untested server is not made ready behind the admin's back).
      expect(await run(new Date(S0.getTime() + 2 * RECHECK_EVERY_MS))).toEqual({ domain: 0, smtp: 0, failed: 0, recovered: 0 });
      expect((await senderOk(db(), tenantId, S0)).ok).toBe(false);
      expect((await manualTest(S0)).ok).toBe(true);
      expect((await senderOk(db(), tenantId, S0)).ok).toBe(true);
      expect((await run(new Date(S0.getTime() + RECHECK_EVERY_MS - 60_000))).smtp).toBe(0);

      await own.close();
      const S1 = new Date(S0.getTime() + RECHECK_EVERY_MS + 60_000);
      expect(await run(S1)).toEqual({ domain: 0, smtp: 1, failed: 1, recovered: 0 });
      const [alert, ...more] = await alertsOf(db(), tenantId);
      expect(more).toEqual([]);
      expect(alert).toMatchObject({ kind: "recheck_smtp", dedupeKey: `${recheckAlertPrefix("smtp", tenantId)}${S1.toISOString()}`, link: `/t/smtp-${dialect}/sender` });
      expect((alert!.message as Record<string, { text: string }>).en!.text).toContain(`smtp.test.example:${ownPort}`);
      expect(await senderOk(db(), tenantId, S1)).toMatchObject({ ok: false, reason: "not_ready" });
      const row = await db().orm.select().from(db().t.senderSettings).where(eq(db().t.senderSettings.tenantId, tenantId));
      expect(row[0]!.lastTest).toMatchObject({ kind: "connection", ok: false, via: "worker", at: S1.toISOString() });

      // Still down an hour later: checked again, nothing new.
      const S2 = new Date(S1.getTime() + RECHECK_FAILING_EVERY_MS + 60_000);
      expect(await run(S2)).toEqual({ domain: 0, smtp: 1, failed: 0, recovered: 0 });
      expect(await alertsOf(db(), tenantId)).toHaveLength(1);

      own = await startTestSmtpServer({ starttls: false, port: ownPort });
      const S3 = new Date(S2.getTime() + RECHECK_FAILING_EVERY_MS + 60_000);
      expect(await run(S3)).toEqual({ domain: 0, smtp: 1, failed: 0, recovered: 1 });
      expect(own.sessions.length).toBeGreaterThan(0); // the new server was reached
      expect(own.received).toEqual([]); // connection only, no mail
      expect(await openAlerts()).toEqual([]);
      expect((await senderOk(db(), tenantId, S3)).ok).toBe(true);
      expect(await systemAudit(db(), tenantId)).toEqual(["sender.recheck.failed", "sender.recheck.recovered"]);
    });

    it("a manual test that is ok clears the alert; leaving the mode clears it too", async () => {
      await own.close();
      const S4 = new Date("2026-12-04T09:00:00Z");
      expect(await run(S4)).toMatchObject({ smtp: 1, failed: 1 });
      expect(await openAlerts()).toHaveLength(1);
      own = await startTestSmtpServer({ starttls: false, port: ownPort });
      expect((await manualTest(new Date(S4.getTime() + 60_000))).ok).toBe(true);
      expect(await openAlerts()).toEqual([]);

      await own.close();
      const S5 = new Date(S4.getTime() + RECHECK_EVERY_MS + 2 * 60_000);
      expect(await run(S5)).toMatchObject({ smtp: 1, failed: 1 });
      expect(await openAlerts()).toHaveLength(1);
      own = await startTestSmtpServer({ starttls: false, port: ownPort });
      const env = deliveryEnv();
      const platform = senderSettingsSchema(env.sender.profile).parse({
        mode: "platform",
        noreplyAddress: "noreply@platform.example",
        displayName: "ACME",
        replyTo: "",
        confirmNoReplyTo: "on",
        ratePerMinute: "60",
        dailyQuota: "1000",
      });
      await saveSenderSettings(db(), { tenantId, actorUserId: adminId, input: platform, keys: env.keys, now: new Date(S5.getTime() + 60_000) });
      expect(await openAlerts()).toEqual([]);
      expect((await dueRechecks(db(), { now: new Date(S5.getTime() + 10 * RECHECK_EVERY_MS) })).filter((d) => d.tenantId === tenantId)).toEqual([]);
    });
  });

  it("finds what is due with the same three queries for 3 tenants as for 30", async () => {
    const at = new Date("2026-12-20T06:00:00Z");
    const statementsFor = async (n: number) => {
      const d = db().t.domainChecks;
      for (let i = 0; i < n; i++) {
        const t = await domainSender(db(), { slug: `due${n}-${i}-${dialect}`, domain: `due${n}-${i}.example`, at });
        await db().orm.insert(d).values({ id: crypto.randomUUID(), tenantId: t.id, domain: `due${n}-${i}.example`, status: "done", verdict: "green", findings: [], startedAt: at, finishedAt: at });
      }
      const counted = countingStatements(db());
      const due = await dueRechecks(counted.db, { now: new Date(at.getTime() + RECHECK_EVERY_MS), limit: 1_000 });
      expect(due.filter((x) => x.slug.startsWith(`due${n}-`))).toHaveLength(n);
      return counted.statements();
    };
    const few = await statementsFor(3);
    expect(await statementsFor(30)).toBe(few);
    expect(few).toBe(3);
  });

  it("a temporary DNS verdict is retried once at once before it counts", async () => {
    const at = new Date("2026-12-08T06:00:00Z");
    const d = `temp-${dialect}.example`;
    const t = await domainSender(db(), { slug: `temp-${dialect}`, domain: d, at });
    dns.setZone(greenZone(d));
    expect((await runScheduledDomainCheck(db(), { tenantId: t.id, domain: d, env: checkEnv(), now: at })).verdict).toBe("green");

    // The domain's name servers fail: a manual check a minute later (a later start, so
    // it sorts last) asks so many TXT questions …
    dns.setZone({ ...greenZone(d), [d]: { servfail: true } });
    const txtQueries = () => dns.queries.filter((q) => q.name.toLowerCase() === d && q.type === "TXT").length;
    let before = txtQueries();
    await manualCheck(db(), { tenantId: t.id, actorUserId: (await createUser(db(), { email: `a@${d}`, name: "A", role: "admin", password: "long-enough-pass", tenantId: t.id })).id, domain: d, at: new Date(at.getTime() + 60_000) });
    const once = txtQueries() - before;
    expect(once).toBeGreaterThan(0);
    // (the manual check's "temporary" is no re-check's business; it is the newest check now)
    const lastManual = (await checksOf(db(), t.id)).at(-1)!;
    expect(lastManual.verdict).toBe("temporary");

    // … the scheduled one twice as many (run, then run again at once), and only then counts.
    const later = new Date(lastManual.finishedAt!.getTime() + RECHECK_EVERY_MS + 60_000);
    before = txtQueries();
    await runDueRechecks(db(), { env: recheckEnv(), now: later });
    expect(txtQueries() - before).toBe(2 * once);
    expect((await checksOf(db(), t.id)).at(-1)).toMatchObject({ verdict: "temporary", startedBy: null });
  });

  it("two workers' sweeps at once check each due tenant once", async () => {
    const at = new Date("2026-12-10T06:00:00Z");
    const zone: Zone = {};
    const tenants: string[] = [];
    for (let i = 0; i < 5; i++) {
      const d = `par${i}-${dialect}.example`;
      Object.assign(zone, greenZone(d));
      const t = await domainSender(db(), { slug: `par${i}-${dialect}`, domain: d, at });
      tenants.push(t.id);
    }
    dns.setZone(zone);
    for (const [i, tenantId] of tenants.entries()) await runScheduledDomainCheck(db(), { tenantId, domain: `par${i}-${dialect}.example`, env: checkEnv(), now: at });

    const later = new Date(at.getTime() + RECHECK_EVERY_MS + 60_000);
    const worker = (id: string) =>
      runWorkerOnce(db(), { env: deliveryEnv(), workerId: id, clock: () => later, log: () => {}, rechecks: { domainCheck: checkEnv(), concurrency: 2 } });
    await Promise.all([worker("w1"), worker("w2")]);
    for (const tenantId of tenants) {
      const checks = await checksOf(db(), tenantId);
      expect(checks.map((c) => c.startedBy)).toEqual([null, null]);
    }
    // And again: nothing is due any more, whichever worker looks.
    await Promise.all([worker("w1"), worker("w2")]);
    for (const tenantId of tenants) expect(await checksOf(db(), tenantId)).toHaveLength(2);
  });

  it("a slow re-check never holds the sending tick back", async () => {
    const at = new Date("2026-12-12T06:00:00Z");
    const d = `slow-${dialect}.example`;
    const t = await domainSender(db(), { slug: `slow-${dialect}`, domain: d, at });
    dns.setZone(greenZone(d));
    await runScheduledDomainCheck(db(), { tenantId: t.id, domain: d, env: checkEnv(), now: at });
    // Every answer about the domain now takes 1.5 s: its re-check runs for seconds.
    dns.setZone({ ...greenZone(d), [d]: { ...greenZone(d)[d], delayMs: 1_500 } });

    const later = new Date(at.getTime() + RECHECK_EVERY_MS + 60_000);
    const sending = await seedDeliveryTenant(db(), { slug: `send-${dialect}`, relayPort: relay.port, dueAt: new Date(later.getTime() - 60_000), now: at });
    await sending.addLearners(1);
    const before = relay.received.length;
    const w = startWorker(db(), { env: deliveryEnv(), clock: () => later, log: () => {}, pollMs: 50, rechecks: { domainCheck: checkEnv() } });
    try {
      await relay.waitForMail(before + 1, 10_000);
      // The mail went while the re-check was still waiting for DNS: its row is written only
      // when it ends, so a tick that waited for it would find two rows here. (No wall-clock
      // bound: under load a send may take longer than one DNS answer.)
      expect(await checksOf(db(), t.id)).toHaveLength(1);
    } finally {
      await w.stop();
    }
    const lease = await db().orm.select().from(db().t.workerLeases).where(and(eq(db().t.workerLeases.name, "rechecks")));
    expect(lease[0]?.lastRunAt?.getTime()).toBe(later.getTime());
    expect(await checksOf(db(), t.id)).toHaveLength(2);
  });
});
