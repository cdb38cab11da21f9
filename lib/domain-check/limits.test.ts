import crypto from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachDatabase } from "../testing/databases";
import { testDomainCheckEnvironment } from "../testing/domain-check";
import { loadZoneFile, startDnsServer, type TestDnsServer } from "../testing/dns-server";
import { startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server";
import { seedTwoTenants } from "../testing/tenants";
import { getDomainCheck } from "./queries";
import { latestCheckView, loadCheckView, sendInstructions, startDomainCheck, type DomainCheckEnvironment } from "./service";

// Issue 8, items 4, 5 and 7 for the domain check, on both databases: at most one running
// check per tenant and domain, 30 checks an hour, 10 instruction mails an hour (counted
// at the loopback relay), and checks whose process died do not stay "running".

let dns: TestDnsServer;
let relay: TestSmtpServer;

beforeAll(async () => {
  const zone = await loadZoneFile(path.resolve("lib/domain-check/fixtures/check-zone.json"));
  zone["slowmx.example"] = { TXT: ["v=spf1 include:secure-mailgate.com -all"], MX: [{ priority: 10, exchange: "mx1.good.example" }], delayMs: 150 };
  dns = await startDnsServer(zone);
  relay = await startTestSmtpServer({ starttls: false });
});
afterAll(async () => {
  await dns?.close();
  await relay?.close();
});

function env(): DomainCheckEnvironment {
  return testDomainCheckEnvironment({ dnsAddress: dns.address, relayUrl: `smtp://127.0.0.1:${relay.port}` });
}

forEachDatabase("domain check limits", (getDb, dialect) => {
  let ids: Awaited<ReturnType<typeof seedTwoTenants>>;
  beforeAll(async () => {
    ids = await seedTwoTenants(getDb(), { prefix: `dlim-${dialect}`, a: { name: `Müller & Söhne <GmbH> "Süd", @Team` } });
  });

  it("ten parallel starts of one domain run one check; the others join it", async () => {
    const db = getDb();
    const starts = await Promise.all(
      Array.from({ length: 10 }, () => startDomainCheck(db, { tenantId: ids.a, actorUserId: ids.adminA, domain: "slowmx.example", env: env() })),
    );
    const okStarts = starts.filter((s) => s.ok);
    expect(okStarts).toHaveLength(10);
    expect(new Set(okStarts.map((s) => s.id)).size).toBe(1);
    expect(okStarts.filter((s) => !s.joined)).toHaveLength(1);
    await Promise.all(okStarts.map((s) => s.done));
    const row = await getDomainCheck(db, { tenantId: ids.a, id: okStarts[0]!.id });
    expect(row?.status).toBe("done");
    const rows = await db.orm.select().from(db.t.domainChecks);
    expect(rows.filter((r) => r.tenantId === ids.a && r.domain === "slowmx.example")).toHaveLength(1);
  });

  it("a check whose process died is marked interrupted when read, and a new one can start", async () => {
    const db = getDb();
    const id = crypto.randomUUID();
    const crashedAt = new Date(Date.now() - 5 * 60_000);
    await db.orm.insert(db.t.domainChecks).values({
      id, tenantId: ids.a, domain: "good.example", status: "running", verdict: null, findings: [], raw: null, startedAt: crashedAt, finishedAt: null, startedBy: null,
    });
    const view = await loadCheckView(db, { tenantId: ids.a, id });
    expect(view?.status).toBe("failed");
    expect(view?.verdict).toBeNull();
    expect((await getDomainCheck(db, { tenantId: ids.a, id }))?.status).toBe("failed");
    expect((await latestCheckView(db, { tenantId: ids.a, domain: "good.example" }))?.status).toBe("failed");

    const started = await startDomainCheck(db, { tenantId: ids.a, actorUserId: ids.adminA, domain: "good.example", env: env() });
    expect(started).toMatchObject({ ok: true, joined: false });
    if (started.ok) await started.done;
  });

  it("a crashed check that nobody read does not block the next start either", async () => {
    const db = getDb();
    const id = crypto.randomUUID();
    await db.orm.insert(db.t.domainChecks).values({
      id, tenantId: ids.a, domain: "none.example", status: "running", verdict: null, findings: [], raw: null, startedAt: new Date(Date.now() - 10 * 60_000), finishedAt: null, startedBy: null,
    });
    const started = await startDomainCheck(db, { tenantId: ids.a, actorUserId: ids.adminA, domain: "none.example", env: env() });
    expect(started).toMatchObject({ ok: true, joined: false });
    expect(started.ok && started.id).not.toBe(id);
    if (started.ok) await started.done;
    expect((await getDomainCheck(db, { tenantId: ids.a, id }))?.status).toBe("failed");
  });

  it("a tenant has 30 checks an hour; the 31st is refused with the time to wait", async () => {
    const db = getDb();
    const now = new Date("2026-11-28T10:48:00Z");
    const starts = await Promise.all(
      Array.from({ length: 35 }, (_, i) =>
        startDomainCheck(db, { tenantId: ids.b, actorUserId: ids.adminB, domain: `d${i}.none.example`, env: env(), now: () => now }),
      ),
    );
    expect(starts.filter((s) => s.ok)).toHaveLength(30);
    const refused = starts.find((s) => !s.ok);
    expect(refused && !refused.ok && refused.message).toEqual({
      de: "Zu viele Domain-Prüfungen: wieder möglich in 12 Minuten.",
      en: "Too many domain checks: possible again in 12 minutes.",
    });
    await Promise.all(starts.map((s) => (s.ok ? s.done : undefined)));
    // Another tenant's budget is its own.
    const other = await startDomainCheck(db, { tenantId: ids.a, actorUserId: ids.adminA, domain: "d0.none.example", env: env(), now: () => now });
    expect(other.ok).toBe(true);
    if (other.ok) await other.done;
  });

  it("a burst of 20 instruction mails sends 10; the tenant name round-trips as the display name", async () => {
    const db = getDb();
    const started = await startDomainCheck(db, { tenantId: ids.a, actorUserId: ids.adminA, domain: "noinclude.example", env: env() });
    if (!started.ok) throw new Error("not started");
    await started.done;
    const before = relay.received.length;
    const now = new Date();
    const tenant = { id: ids.a, name: `Müller & Söhne <GmbH> "Süd", @Team` };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sendInstructions(db, {
          tenant,
          actor: { id: ids.adminA, email: "admin@firma.example", name: "Anna" },
          checkId: started.id,
          to: `dns${i}@firma.example`,
          locale: "de",
          env: env(),
          now,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.find((r) => !r.ok)?.message.de).toMatch(/^Es wurden schon 10 Anleitungen in dieser Stunde verschickt: wieder möglich in \d+ Minuten?\.$/);
    await relay.waitForMail(before + 10);
    await new Promise((r) => setTimeout(r, 300));
    expect(relay.received.length - before).toBe(10);
    expect(relay.received[before]!.parsed.from?.value).toEqual([{ name: tenant.name, address: "noreply@platform.example" }]);
  });
});
