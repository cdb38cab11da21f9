import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { setProcessDb, type Db } from "@/lib/db";
import { forEachDatabase } from "@/lib/testing/databases";
import { loadZoneFile, startDnsServer, type TestDnsServer, type Zone } from "@/lib/testing/dns-server";
import { startTestSmtpServer, type TestSmtpServer } from "@/lib/testing/smtp-server";
import { listAudit } from "@/lib/audit/log";
import { resetConfigCache } from "@/lib/config/platform-profile";
import { encryptionKeys } from "@/lib/config/encryption";
import { decryptSecret, secretAad } from "@/lib/crypto/secret-box";
import { dkimTxtRecord } from "@/lib/domain-check/dkim";
import { getDkimKeyRow, getDomainCheck, latestDomainCheck, listDkimKeys, listDomainChecks } from "@/lib/domain-check/queries";
import { whatChanged, type CheckView } from "@/lib/domain-check/service";
import type { StepReport } from "@/lib/domain-check/types";
import { runWithTestSession } from "@/app/_server/request-context";
import { takeSlot } from "@/lib/limits/fixed-window";
import { INSTRUCTIONS_BUDGET } from "@/lib/domain-check/service";
import { generateDkimKeyAction, sendInstructionsAction, startDomainCheckAction } from "./actions";
import { GET } from "./checks/[id]/route";
import { seedTwoTenants } from "@/lib/testing/tenants";

// The page's mutations and its polling endpoint, called as the browser would call them,
// against a real DNS server on loopback (never a mocked resolver) and both databases.

const GATEWAY_IP = "192.0.2.10";
const ENV_KEYS = ["DNS_SERVERS", "PLATFORM_GATEWAY_IPS", "POSTILLION_ENCRYPTION_KEYS", "SMTP_RELAY_URL", "SMTP_ALLOW_PRIVATE_HOSTS"] as const;
const savedEnv: Record<string, string | undefined> = {};
let dns: TestDnsServer;
let relay: TestSmtpServer;
let baseZone: Zone;

beforeAll(async () => {
  baseZone = await loadZoneFile(path.resolve("lib/domain-check/fixtures/check-zone.json"));
  baseZone["slowmx.example"] = { TXT: ["v=spf1 include:secure-mailgate.com -all"], MX: [{ priority: 10, exchange: "mx1.good.example" }], delayMs: 150 };
  baseZone["flaky.example"] = { servfail: true };
  dns = await startDnsServer(baseZone);
  relay = await startTestSmtpServer({ starttls: false });
  for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
  process.env.DNS_SERVERS = dns.address;
  process.env.PLATFORM_GATEWAY_IPS = GATEWAY_IP;
  process.env.POSTILLION_ENCRYPTION_KEYS = `k1:${Buffer.alloc(32, 7).toString("base64")}`;
  process.env.SMTP_RELAY_URL = `smtp://127.0.0.1:${relay.port}`;
  resetConfigCache();
});

afterAll(async () => {
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  resetConfigCache();
  await dns?.close();
  await relay?.close();
});

async function waitForCheck(db: Db, tenantId: string, id: string) {
  for (let i = 0; i < 500; i++) {
    const row = await getDomainCheck(db, { tenantId, id });
    if (row && row.status !== "running") return row;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("check did not finish");
}

const codes = (findings: unknown[]) => (findings as StepReport[]).flatMap((s) => s.findings.map((f) => f.code));

forEachDatabase("domain check page", (db) => {
  const ids = {} as Record<"a" | "b" | "adminA" | "trainerA" | "adminB" | "consultant", string>;
  const as = <T>(userId: string, locale: "de" | "en", fn: () => Promise<T>) => runWithTestSession({ userId, locale }, fn);
  const start = (userId: string, input: Record<string, unknown>, locale: "de" | "en" = "en") =>
    as(userId, locale, () => startDomainCheckAction(null, { tenantSlug: "dom-a", ...input }));
  const get = (userId: string, slug: string, id: string) =>
    as(userId, "en", () => GET(new Request(`http://localhost/t/${slug}/domain/checks/${id}`), { params: Promise.resolve({ slug, id }) }));

  beforeAll(async () => {
    setProcessDb(db());
    Object.assign(ids, await seedTwoTenants(db(), { prefix: "dom", a: { name: "Dom A" }, b: { name: "Dom B" }, adminAName: "Anna Admin" }));
  });

  it("runs a check on the server and stores each step, the verdict and the raw records", async () => {
    dns.setZone(baseZone);
    const result = await start(ids.adminA, { domain: " NoInclude.Example. " });
    expect(result).toMatchObject({ ok: true, data: { domain: "noinclude.example" } });
    const id = result.ok ? result.data.id : "";
    const row = await waitForCheck(db(), ids.a, id);
    expect(row).toMatchObject({ status: "done", verdict: "not_ready", domain: "noinclude.example", startedBy: ids.adminA });
    expect(row.finishedAt).toBeInstanceOf(Date);
    expect((row.findings as StepReport[]).map((s) => s.step)).toEqual(["txt", "spf-records", "spf-evaluation", "mx", "dmarc", "dkim"]);
    expect(codes(row.findings)).toContain("spf.platform-missing");
    const raw = row.raw as { txt: string[]; spf: { records: string[]; suggestion: { record: string; lookups: number } }; mx: { records: unknown[] } };
    expect(raw.txt).toEqual(["v=spf1 ip4:198.51.100.0/24 mx ~all"]);
    expect(raw.spf.suggestion.record).toBe("v=spf1 ip4:198.51.100.0/24 mx include:secure-mailgate.com ~all");
    expect(raw.mx.records).toEqual([{ priority: 10, exchange: "mx.noinclude.example" }]);
    const [audit] = await listAudit(db(), { tenantId: ids.a, action: "domain.check" });
    expect(audit).toMatchObject({ actorUserId: ids.adminA, targetId: "noinclude.example" });

    // The polling endpoint shows the same check, with the merged record and its lookup count.
    const response = await get(ids.adminA, "dom-a", id);
    expect(response.status).toBe(200);
    const view = (await response.json()) as CheckView;
    expect(view).toMatchObject({ id, status: "done", verdict: "not_ready", suggestion: { record: raw.spf.suggestion.record, lookups: 2 } });
    expect(view.problems).toBeGreaterThan(0);
    expect(view.technical["spf-records"]).toEqual(expect.arrayContaining(["DNS lookups: 1/10", "Void lookups: 0/2"]));
  });

  it("shows the steps while the check runs, one after another", async () => {
    dns.setZone(baseZone);
    const result = await start(ids.consultant, { domain: "slowmx.example" });
    const id = result.ok ? result.data.id : "";
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const row = await getDomainCheck(db(), { tenantId: ids.a, id });
      if (row?.status !== "running") break;
      seen.add((row.findings as StepReport[]).length);
      await new Promise((r) => setTimeout(r, 10));
    }
    // Every answer for this name is delayed, so the row is seen part-way.
    expect([...seen].some((n) => n > 0 && n < 6)).toBe(true);
    const row = await waitForCheck(db(), ids.a, id);
    expect(row.verdict).toBe("green");
  });

  it("a SERVFAIL is 'could not check (temporary)', never a failure", async () => {
    dns.setZone(baseZone);
    const result = await start(ids.adminA, { domain: "flaky.example" });
    const row = await waitForCheck(db(), ids.a, result.ok ? result.data.id : "");
    expect(row.status).toBe("done");
    expect(row.verdict).toBe("temporary");
    expect((row.findings as StepReport[])[0]).toMatchObject({ step: "txt", status: "temporary" });
  });

  it("keeps the history and says what changed between the last two checks", async () => {
    dns.setZone({ ...baseZone, "change.example": { TXT: ["v=spf1 mx ~all"], MX: [{ priority: 10, exchange: "mx1.good.example" }] } });
    const first = await start(ids.adminA, { domain: "change.example" });
    await waitForCheck(db(), ids.a, first.ok ? first.data.id : "");
    expect(await latestDomainCheck(db(), { tenantId: ids.a, domain: "change.example" })).toMatchObject({ verdict: "not_ready" });
    expect(await whatChanged(db(), { tenantId: ids.a, domain: "change.example" })).toBeNull();

    dns.setZone({ ...baseZone, "change.example": { TXT: ["v=spf1 mx include:secure-mailgate.com ~all"], MX: [{ priority: 10, exchange: "mx1.good.example" }] } });
    const second = await start(ids.adminA, { domain: "change.example" });
    const secondId = second.ok ? second.data.id : "";
    const done = await waitForCheck(db(), ids.a, secondId);
    expect(done.verdict).toBe("green");
    expect(await latestDomainCheck(db(), { tenantId: ids.a, domain: "change.example" })).toEqual({
      id: secondId,
      verdict: "green",
      startedAt: done.startedAt,
      finishedAt: done.finishedAt,
    });
    // Another tenant never sees it.
    expect(await latestDomainCheck(db(), { tenantId: ids.b, domain: "change.example" })).toBeUndefined();

    const diff = await whatChanged(db(), { tenantId: ids.a, domain: "change.example" });
    expect(diff).toMatchObject({ verdictChanged: true, previous: { verdict: "not_ready" }, current: { id: secondId, verdict: "green" } });
    expect(diff!.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: "spf.platform-missing", from: "error", to: null }),
        expect.objectContaining({ code: "spf.platform-included", from: null, to: "ok" }),
      ]),
    );
    expect(diff!.records).toContainEqual({ what: "spf", added: ["v=spf1 mx include:secure-mailgate.com ~all"], removed: ["v=spf1 mx ~all"] });

    const all = await listDomainChecks(db(), { tenantId: ids.a, page: 1, pageSize: 2 });
    expect(all.total).toBeGreaterThanOrEqual(5);
    expect(all.rows).toHaveLength(2);
    expect(all.rows[0]!.id).toBe(secondId);
    const ofDomain = await listDomainChecks(db(), { tenantId: ids.a, domain: "change.example", page: 2, pageSize: 1 });
    expect(ofDomain).toMatchObject({ total: 2, rows: [{ id: first.ok ? first.data.id : "", verdict: "not_ready" }] });
    expect((await listDomainChecks(db(), { tenantId: ids.b, page: 1, pageSize: 10 })).total).toBe(0);
  });

  it("generates a DKIM key stored only encrypted, and the check verifies the published key", async () => {
    const result = await as(ids.adminA, "en", () => generateDkimKeyAction(null, { tenantSlug: "dom-a", domain: "good.example", selector: "" }));
    expect(result).toMatchObject({ ok: true, data: { selector: "pst1" } });
    const [key] = await listDkimKeys(db(), { tenantId: ids.a, domain: "good.example" });
    const row = await getDkimKeyRow(db(), { tenantId: ids.a, id: key!.id });
    expect(await getDkimKeyRow(db(), { tenantId: ids.b, id: key!.id })).toBeUndefined();
    const privatePem = decryptSecret(row!.privateKeyBox, { keys: encryptionKeys().keys, aad: secretAad(ids.a, "dkim_private_key") });
    expect(privatePem).toContain("BEGIN PRIVATE KEY");
    const body = privatePem.split("\n").slice(1, 4).join("");
    const stored = JSON.stringify(row);
    expect(stored).not.toContain("PRIVATE KEY");
    expect(stored).not.toContain(body.slice(0, 40));
    expect(() => decryptSecret(row!.privateKeyBox, { keys: encryptionKeys().keys, aad: secretAad(ids.b, "dkim_private_key") })).toThrow(/could not be decrypted/);
    const audits = JSON.stringify(await listAudit(db(), { tenantId: ids.a, action: "domain.dkim.generate" }));
    expect(audits).toContain("pst1");
    expect(audits).not.toContain(body.slice(0, 40));

    // The same selector again is refused with a field message; no second key.
    const again = await as(ids.adminA, "de", () => generateDkimKeyAction(null, { tenantSlug: "dom-a", domain: "good.example", selector: "pst1" }));
    expect(again).toMatchObject({ ok: false, fieldErrors: { selector: expect.stringContaining("Für pst1 gibt es schon einen Schlüssel") } });

    // Published: the check (its selector taken from the stored key) finds the match and marks the key verified.
    dns.setZone({ ...baseZone, "pst1._domainkey.good.example": { TXT: [dkimTxtRecord(row!.publicKey, "pst1", "good.example").strings] } });
    const check = await start(ids.adminA, { domain: "good.example" });
    const done = await waitForCheck(db(), ids.a, check.ok ? check.data.id : "");
    expect(codes(done.findings)).toContain("dkim.match");
    expect((await listDkimKeys(db(), { tenantId: ids.a, domain: "good.example" }))[0]!.verifiedAt).toBeInstanceOf(Date);
  });

  it("refuses a trainer and another tenant's admin, and stores nothing", async () => {
    const before = (await listDomainChecks(db(), { tenantId: ids.a, page: 1, pageSize: 1 })).total;
    const trainer = await start(ids.trainerA, { domain: "good.example" });
    expect(trainer).toEqual({ ok: false, error: "You do not have permission to do this." });
    const other = await start(ids.adminB, { domain: "good.example" }, "de");
    expect(other).toMatchObject({ ok: false, error: "Nicht gefunden." });
    const key = await as(ids.adminB, "en", () => generateDkimKeyAction(null, { tenantSlug: "dom-a", domain: "other.example", selector: "" }));
    expect(key).toMatchObject({ ok: false, error: "Not found." });
    const keyByTrainer = await as(ids.trainerA, "en", () => generateDkimKeyAction(null, { tenantSlug: "dom-a", domain: "other.example", selector: "" }));
    expect(keyByTrainer).toMatchObject({ ok: false });
    expect((await listDomainChecks(db(), { tenantId: ids.a, page: 1, pageSize: 1 })).total).toBe(before);
    expect((await listDomainChecks(db(), { tenantId: ids.b, page: 1, pageSize: 1 })).total).toBe(0);
    expect(await listDkimKeys(db(), { tenantId: ids.a, domain: "other.example" })).toEqual([]);
    expect(await listDkimKeys(db(), { tenantId: ids.b, domain: "other.example" })).toEqual([]);

    // The polling endpoint answers 404 to both, for an existing check.
    const latest = (await listDomainChecks(db(), { tenantId: ids.a, page: 1, pageSize: 1 })).rows[0]!;
    expect((await get(ids.adminB, "dom-a", latest.id)).status).toBe(404);
    expect((await get(ids.adminB, "dom-b", latest.id)).status).toBe(404);
    expect((await get(ids.trainerA, "dom-a", latest.id)).status).toBe(404);
    expect((await as("", "en", () => GET(new Request("http://localhost/"), { params: Promise.resolve({ slug: "dom-a", id: latest.id }) }))).status).toBe(401);
  });

  it("answers bad input with a field message in German and in English", async () => {
    const before = (await listDomainChecks(db(), { tenantId: ids.a, page: 1, pageSize: 1 })).total;
    const de = await start(ids.adminA, { domain: "info@firma.de", selector: "Bad_Selector!" }, "de");
    expect(de).toMatchObject({
      ok: false,
      error: "Bitte prüfen Sie die markierten Felder.",
      fieldErrors: {
        domain: "Bitte nur die Domain eingeben – den Teil nach dem @, z. B. firma.de.",
        selector: expect.stringContaining("Der Selektor besteht aus Kleinbuchstaben"),
      },
    });
    const en = await start(ids.adminA, { domain: "https://company.com/path" }, "en");
    expect(en).toMatchObject({ ok: false, fieldErrors: { domain: "Please enter only the domain, without https:// and path, e.g. company.com." } });
    const empty = await start(ids.adminA, { domain: "" }, "en");
    expect(empty).toMatchObject({ ok: false, fieldErrors: { domain: "Please enter the domain, e.g. company.com." } });
    expect((await listDomainChecks(db(), { tenantId: ids.a, page: 1, pageSize: 1 })).total).toBe(before);
  });

  it("mails the instructions to a colleague through the relay, in the user's language, at most 10 an hour", async () => {
    dns.setZone(baseZone);
    const check = await start(ids.adminA, { domain: "noinclude.example" });
    const id = check.ok ? check.data.id : "";
    await waitForCheck(db(), ids.a, id);
    const badAddress = await as(ids.adminA, "de", () => sendInstructionsAction(null, { tenantSlug: "dom-a", checkId: id, to: "kein-at" }));
    expect(badAddress).toMatchObject({ ok: false, fieldErrors: { to: "Bitte eine gültige E-Mail-Adresse eingeben." } });

    const count = relay.received.length;
    const sent = await as(ids.adminA, "de", () => sendInstructionsAction(null, { tenantSlug: "dom-a", checkId: id, to: "dns@dom-a.example" }));
    expect(sent).toMatchObject({ ok: true, message: "Die Anleitung ist an dns@dom-a.example unterwegs." });
    const mail = await relay.waitForMail(count + 1);
    expect(mail.envelope.to).toEqual(["dns@dom-a.example"]);
    expect(mail.parsed.subject).toBe("Bitte DNS-Eintrag für noinclude.example ändern");
    expect(mail.parsed.text).toContain("v=spf1 ip4:198.51.100.0/24 mx include:secure-mailgate.com ~all");
    expect(mail.parsed.text).toContain("KEINEN zweiten SPF-Eintrag");
    expect(mail.parsed.replyTo?.text).toContain("admin@dom-a.example");

    // Another tenant cannot use this tenant's check.
    const foreign = await as(ids.adminB, "en", () => sendInstructionsAction(null, { tenantSlug: "dom-b", checkId: id, to: "x@example.com" }));
    expect(foreign).toMatchObject({ ok: false, error: "This check was not found." });

    // The limit is counted in the database: 8 more make 9 + 1 = 10, the 11th is refused.
    for (let i = 0; i < 8; i++) await takeSlot(db(), INSTRUCTIONS_BUDGET, ids.a, new Date());
    const tenth = await as(ids.adminA, "en", () => sendInstructionsAction(null, { tenantSlug: "dom-a", checkId: id, to: "dns@dom-a.example" }));
    expect(tenth).toMatchObject({ ok: true, message: "The instructions are on their way to dns@dom-a.example." });
    const english = await relay.waitForMail(count + 2);
    expect(english.parsed.subject).toBe("Please change a DNS record for noinclude.example");
    const eleventh = await as(ids.adminA, "en", () => sendInstructionsAction(null, { tenantSlug: "dom-a", checkId: id, to: "dns@dom-a.example" }));
    expect(eleventh).toMatchObject({ ok: false, error: expect.stringContaining("10 instructions were already sent this hour: possible again in") });
    expect(relay.received.length).toBe(count + 2);
  });
});
