import { authenticate } from "mailauth";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CLI_ACTOR } from "../auth/policy";
import { derivedSecret } from "../config/secrets";
import { createResolver } from "../domain-check/resolver";
import { createDkimKey, startDomainCheck, type DomainCheckEnvironment } from "../domain-check/service";
import { putAssignment, putLearner } from "../learners/service";
import { defaultTemplateSet } from "../reminders/defaults";
import { savePlan, saveTraining } from "../reminders/service";
import { senderSettingsSchema } from "../sender/sender-schema";
import { loadSenderOverview, requestAddressProof, saveSenderSettings, verifyAddressProof } from "../sender/service";
import { createTenant } from "../tenants/queries";
import { createUser } from "../users/queries";
import { forEachDatabase } from "../testing/databases";
import { testDeliveryEnvironment } from "../testing/delivery";
import { testDomainCheckEnvironment } from "../testing/domain-check";
import { startDnsServer, type TestDnsServer, type Zone } from "../testing/dns-server";
import { startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server";
import { runWorkerOnce } from "./worker";

// The receiving side's view of a reminder in customer_domain mode: the tenant set its
// domain up as the product tells it (SPF include of the platform, DKIM key generated,
// published and verified by the domain check, DMARC p=reject, the From address proven
// by code), the real worker sends through the loopback relay, and the relay — standing
// in for the recipient's mail server, which sees the gateway's IP 127.0.0.1 — runs
// mailauth's SPF, DKIM and DMARC against the loopback DNS server.

const T = new Date("2026-12-07T08:00:00Z");
const GATEWAY_IP = "127.0.0.1";
const DOMAIN = "kunde-dmarc.example";
const FROM = `schulung@${DOMAIN}`;

const baseZone: Zone = {
  "secure-mailgate.com": { TXT: [`v=spf1 ip4:${GATEWAY_IP} -all`] },
  [DOMAIN]: { TXT: ["v=spf1 include:secure-mailgate.com -all"], MX: [{ priority: 10, exchange: `mx.${DOMAIN}` }] },
  [`mx.${DOMAIN}`]: { A: ["192.0.2.25"] },
  [`_dmarc.${DOMAIN}`]: { TXT: ["v=DMARC1; p=reject; adkim=s; aspf=s"] },
};

let dns: TestDnsServer;
let relay: TestSmtpServer;
beforeAll(async () => {
  dns = await startDnsServer(baseZone);
  relay = await startTestSmtpServer({ starttls: false });
});
afterAll(async () => {
  await dns?.close();
  await relay?.close();
});

function checkEnv(): DomainCheckEnvironment {
  return testDomainCheckEnvironment({
    dnsAddress: dns.address,
    relayUrl: `smtp://127.0.0.1:${relay.port}`,
    profile: { spfIncludes: ["secure-mailgate.com"], gatewayIps: [GATEWAY_IP] },
  });
}

async function receive(raw: string, p: { ip: string; sender: string }) {
  const resolver = createResolver({ servers: [dns.address] });
  return authenticate(raw, {
    ip: p.ip,
    helo: "gateway.secure-mailgate.com",
    sender: p.sender,
    mta: "mx.learner.example",
    resolver: (name: string, type: string) => resolver.resolve(name, type as "TXT"),
    disableArc: true,
    disableBimi: true,
  } as never);
}

forEachDatabase("deliverability in customer_domain mode", (db, dialect) => {
  it("a reminder the worker sends passes SPF, DKIM and DMARC at the receiving side; a changed mail or another IP does not", async () => {
    const env = testDeliveryEnvironment(relay.port);
    const tenant = await createTenant(db(), { slug: `dmarc-${dialect}`, name: "Kunde GmbH", timezone: "Europe/Berlin", locale: "de" });
    const admin = await createUser(db(), { email: `admin@dmarc-${dialect}.example`, name: "Ada", role: "admin", password: "long-enough-pass", tenantId: tenant.id });
    const setupAt = new Date(T.getTime() - 86_400_000);

    // 1. The sender: own domain, From proven by the code the relay delivers.
    const input = senderSettingsSchema(env.sender.profile).parse({
      mode: "customer_domain",
      fromAddress: FROM,
      displayName: "Kunde GmbH Schulungen",
      replyTo: `team@${DOMAIN}`,
      ratePerMinute: "60",
      dailyQuota: "1000",
    });
    await saveSenderSettings(db(), { tenantId: tenant.id, actorUserId: admin.id, input, keys: env.keys, now: setupAt });
    const secret = derivedSecret("address-proof");
    const before = relay.received.length;
    const asked = await requestAddressProof(db(), {
      tenant: { id: tenant.id, name: "Kunde GmbH", locale: "de" },
      actorUserId: admin.id,
      env: env.sender,
      secret,
      now: setupAt,
      probe: env.probe,
    });
    expect(asked.ok, JSON.stringify(asked)).toBe(true);
    const proofMail = await relay.waitForMail(before + 1);
    const code = /(\d{3}) (\d{3})/.exec(proofMail.parsed.text ?? "")!;
    expect((await verifyAddressProof(db(), { tenantId: tenant.id, actorUserId: admin.id, code: `${code[1]}${code[2]}`, secret, now: setupAt })).ok).toBe(true);

    // 2. DKIM: generate, publish, verify by the domain check (which must be green).
    const key = await createDkimKey(db(), { tenantId: tenant.id, actorUserId: admin.id, domain: DOMAIN, keys: env.keys, now: setupAt });
    if (!key.ok) throw new Error(JSON.stringify(key));
    dns.setZone({ ...baseZone, [key.data.name]: { TXT: [key.data.value] } });
    const check = await startDomainCheck(db(), { tenantId: tenant.id, actorUserId: admin.id, domain: DOMAIN, env: checkEnv(), now: () => setupAt });
    if (!check.ok) throw new Error(JSON.stringify(check));
    await check.done;
    const overview = await loadSenderOverview(db(), { tenantId: tenant.id, relayConfigured: true, now: setupAt });
    expect(overview.state).toMatchObject({ status: "ready", mode: "customer_domain" });

    // 3. A plan with one reminder at T and a learner: the planner plans, the worker sends.
    const ref = { id: tenant.id, timezone: "Europe/Berlin" };
    const training = await saveTraining(db(), { tenant: ref, actor: CLI_ACTOR, input: { name: "Datenschutz-Grundlagen", externalId: "T1" }, now: setupAt });
    if (!training.ok) throw new Error(training.code);
    const plan = await savePlan(db(), {
      tenant: ref,
      actor: CLI_ACTOR,
      input: {
        trainingId: training.data.id,
        name: "Einmal",
        active: true,
        anchor: "fixed",
        offsetDays: 0,
        startDate: "2026-12-07",
        sendTime: "09:00",
        repeatEveryDays: null,
        endDate: null,
        maxSends: 1,
        weekdaysOnly: false,
        escalateAfterSends: null,
        digestWeekday: null,
        digestTime: null,
        templates: defaultTemplateSet(),
        confirmHighRisk: false,
      },
      now: setupAt,
    });
    if (!plan.ok) throw new Error(JSON.stringify(plan));
    await putLearner(db(), { tenant: ref, actor: CLI_ACTOR, externalId: "L1", input: { email: "maria@learner.example", firstName: "Maria", lastName: "Muster" }, now: setupAt });
    await putAssignment(db(), { tenant: ref, actor: CLI_ACTOR, learnerExternalId: "L1", trainingExternalId: "T1", input: { assignedAt: "2026-12-01T08:00:00Z" }, now: setupAt });

    const arrived = relay.received.length;
    const counts = await runWorkerOnce(db(), { env, clock: () => new Date(T.getTime() + 60_000), log: () => {}, random: () => 0.5 });
    expect(counts).toMatchObject({ sent: 1, failed: 0 });
    const mail = await relay.waitForMail(arrived + 1);
    expect(mail.envelope.from).toBe(FROM);
    expect(mail.parsed.from?.value[0]).toEqual({ name: "Kunde GmbH Schulungen", address: FROM });
    expect(mail.raw.replace(/\r\n[ \t]+/g, " ")).toMatch(/^DKIM-Signature: .*\bd=kunde-dmarc\.example;/m);

    const at = await receive(mail.raw, { ip: GATEWAY_IP, sender: mail.envelope.from! });
    expect(at.spf && at.spf.status.result).toBe("pass");
    expect(at.dkim.results.map((r) => [r.status.result, r.signingDomain, r.status.aligned])).toEqual([["pass", DOMAIN, DOMAIN]]);
    expect(at.dmarc && at.dmarc.status.result).toBe("pass");
    expect(at.headers).toMatch(/spf=pass/);
    expect(at.headers).toMatch(/dkim=pass/);
    expect(at.headers).toMatch(/dmarc=pass/);

    // The checks can fail: another IP fails SPF (DMARC still passes through DKIM) …
    const elsewhere = await receive(mail.raw, { ip: "198.51.100.7", sender: mail.envelope.from! });
    expect(elsewhere.spf && elsewhere.spf.status.result).toBe("fail");
    expect(elsewhere.dmarc && elsewhere.dmarc.status.result).toBe("pass");
    // … and a changed mail from there fails DKIM too, so DMARC fails (p=reject).
    const forged = await receive(mail.raw.replace("Hallo Maria", "Hallo Mario"), { ip: "198.51.100.7", sender: mail.envelope.from! });
    // (mailauth words a body-hash mismatch "neutral": RFC 6376 §3.9 leaves it to the verifier.)
    expect(forged.dkim.results[0]!.status.result).not.toBe("pass");
    expect(forged.dmarc && forged.dmarc.status.result).toBe("fail");
  });
});
