import crypto from "node:crypto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { setProcessDb } from "@/lib/db";
import { forEachDatabase } from "@/lib/testing/databases";
import { findClosedPort, startTestSmtpServer, type TestSmtpServer } from "@/lib/testing/smtp-server";
import { listAudit } from "@/lib/audit/log";
import { config, resetConfigCache } from "@/lib/config/platform-profile";
import { derivedSecret } from "@/lib/config/secrets";
import { encryptionKeys } from "@/lib/config/encryption";
import { decryptSecret, secretAad, SecretBoxError } from "@/lib/crypto/secret-box";
import { getAddressProof, getSenderSettings, listSenderHistory } from "@/lib/sender/queries";
import { loadSenderOverview, requestAddressProof, runSmtpCheck, senderEnvironment, verifyAddressProof } from "@/lib/sender/service";
import { messagesFor } from "@/app/_i18n/catalog";
import { runWithTestSession } from "@/app/_server/request-context";
import {
  saveSenderSettingsAction,
  sendProofCodeAction,
  sendTestMailAction,
  testConnectionAction,
  verifyProofCodeAction,
} from "./actions";
import { seedTwoTenants } from "@/lib/testing/tenants";

// The sender actions called as plain functions, on both databases, against real SMTP
// servers on loopback: the platform relay (address proofs) and the tenants' own servers.

const PASSWORD = "Sup3r-Secret+Pa55/word";
const PASSWORD_FORMS = [
  PASSWORD,
  Buffer.from(PASSWORD).toString("base64"),
  Buffer.from(`\u0000mailer\u0000${PASSWORD}`).toString("base64"),
];
const ENV_KEYS = [
  "SMTP_RELAY_URL",
  "SMTP_ALLOW_PRIVATE_HOSTS",
  "SMTP_ALLOWED_PORTS",
  "NEXTAUTH_SECRET",
  "POSTILLION_ENCRYPTION_KEYS",
  "PLATFORM_NOREPLY_ADDRESSES",
] as const;
const savedEnv: Record<string, string | undefined> = {};

let relay: TestSmtpServer; // the platform relay: no auth, plain
let plain: TestSmtpServer; // a tenant's server without STARTTLS, with login
let secure: TestSmtpServer; // a tenant's server with STARTTLS and login
let slow: TestSmtpServer; // greets after 3 s
let closedPort: number;
const consoleOutput: string[] = [];
const results: unknown[] = [];
const timings: number[] = [];

beforeAll(async () => {
  [relay, plain, secure, slow] = await Promise.all([
    startTestSmtpServer({ starttls: false }),
    startTestSmtpServer({ users: { mailer: PASSWORD }, starttls: false }),
    startTestSmtpServer({ users: { mailer: PASSWORD } }),
    startTestSmtpServer({ greetingDelayMs: 3000 }),
  ]);
  closedPort = await findClosedPort();
  for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
  process.env.SMTP_RELAY_URL = `smtp://127.0.0.1:${relay.port}`;
  process.env.SMTP_ALLOW_PRIVATE_HOSTS = "true";
  process.env.SMTP_ALLOWED_PORTS = ["25", "465", "587", "2525", plain.port, secure.port, slow.port, closedPort].join(",");
  process.env.NEXTAUTH_SECRET = crypto.randomBytes(32).toString("base64url");
  process.env.POSTILLION_ENCRYPTION_KEYS = `k1:${crypto.randomBytes(32).toString("base64")}`;
  delete process.env.PLATFORM_NOREPLY_ADDRESSES;
  resetConfigCache();
  // Everything the code under test writes to the console, to search for the password.
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleOutput.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    });
  }
});

afterAll(async () => {
  vi.restoreAllMocks();
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  resetConfigCache();
  await Promise.all([relay, plain, secure, slow].map((s) => s?.close()));
  if (timings.length) process.stdout.write(`\n[sender] connection test against loopback (ms): ${timings.join(", ")}\n`);
});

function expectNoPassword(value: unknown) {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  for (const form of PASSWORD_FORMS) expect(text).not.toContain(form);
}

forEachDatabase("sender actions", (db, dialect) => {
  const ids = {} as Record<"a" | "b" | "adminA" | "trainerA" | "adminB" | "consultant", string>;
  const as = <T>(userId: string, locale: "de" | "en", fn: () => Promise<T>) =>
    runWithTestSession({ userId, locale }, async () => {
      const r = await fn();
      results.push(r);
      return r;
    });
  const platform = { tenantSlug: "snd-a", mode: "platform", noreplyAddress: "noreply@reflact.com", displayName: "ACME Akademie", replyTo: "training@acme.example", ratePerMinute: "60", dailyQuota: "10000" };
  const smtp = (server: TestSmtpServer, over: Record<string, string> = {}) => ({
    tenantSlug: "snd-a",
    mode: "custom_smtp",
    host: "127.0.0.1",
    port: String(server.port),
    security: "none",
    acknowledgeNoTls: "on",
    user: "mailer",
    password: PASSWORD,
    fromAddress: "reminders@acme.example",
    displayName: "ACME Akademie",
    replyTo: "training@acme.example",
    ratePerMinute: "30",
    dailyQuota: "10000",
    ...over,
  });

  beforeAll(async () => {
    setProcessDb(db());
    Object.assign(ids, await seedTwoTenants(db(), { prefix: "snd", emailTag: `-${dialect}`, a: { name: "ACME Schulungen" }, b: { name: "Globex" }, adminAName: "Anna Admin", consultantName: "Carla Consultant" }));
  });

  it("refuses trainers and other tenants' admins for every action, and saves nothing", async () => {
    const trainer = await as(ids.trainerA, "en", () => saveSenderSettingsAction(null, platform));
    expect(trainer).toEqual({ ok: false, error: "You do not have permission to do this." });
    const other = await as(ids.adminB, "de", () => saveSenderSettingsAction(null, platform));
    expect(other).toMatchObject({ ok: false, error: "Nicht gefunden." });
    const calls: (() => Promise<unknown>)[] = [
      () => sendProofCodeAction(null, { tenantSlug: "snd-a" }),
      () => verifyProofCodeAction(null, { tenantSlug: "snd-a", code: "123456" }),
      () => testConnectionAction(null, { tenantSlug: "snd-a" }),
      () => sendTestMailAction(null, { tenantSlug: "snd-a", to: "x@acme.example" }),
    ];
    for (const call of calls) {
      expect(await as(ids.trainerA, "en", call)).toMatchObject({ ok: false, error: "You do not have permission to do this." });
      expect(await as(ids.adminB, "en", call)).toMatchObject({ ok: false, error: "Not found." });
    }
    expect(await getSenderSettings(db(), { tenantId: ids.a })).toBeUndefined();
    expect(await listAudit(db(), { tenantId: ids.a })).toEqual([]);
  });

  it("shows 'not configured' before anything is saved", async () => {
    const overview = await loadSenderOverview(db(), { tenantId: ids.a, relayConfigured: true, now: new Date() });
    expect(overview.state).toEqual({ status: "not_configured" });
  });

  it("names each bad field in German and English and saves nothing", async () => {
    const cases: { input: Record<string, string>; field: string; de: RegExp; en: RegExp }[] = [
      { input: { ...platform, mode: "fax" }, field: "mode", de: /angebotenen Möglichkeiten/, en: /offered options/ },
      { input: { ...platform, noreplyAddress: "me@evil.example" }, field: "noreplyAddress", de: /angebotenen Möglichkeiten/, en: /offered options/ },
      { input: { ...platform, displayName: "ACME\r\nBcc: x@y.z" }, field: "displayName", de: /Zeilenumbrüche/, en: /Line breaks/ },
      { input: { ...platform, replyTo: "a@acme.example, b@acme.example" }, field: "replyTo", de: /genau eine Adresse/, en: /exactly one address/ },
      { input: { ...platform, replyTo: "" }, field: "confirmNoReplyTo", de: /Antwortadresse/, en: /Reply-To/ },
      { input: { ...platform, replyTo: "acme@gmail.com" }, field: "acknowledgeFreeMail", de: /Gmail/, en: /Gmail/ },
      { input: { ...platform, ratePerMinute: "0" }, field: "ratePerMinute", de: /Mindestens 1/, en: /At least 1/ },
      { input: { ...platform, dailyQuota: "viele" }, field: "dailyQuota", de: /ganze Zahl/, en: /whole number/ },
      { input: { ...platform, ratePerMinute: "100", dailyQuota: "50" }, field: "dailyQuota", de: /Tageslimit/, en: /daily quota/ },
      { input: { ...platform, mode: "customer_domain", fromAddress: "kein-at" }, field: "fromAddress", de: /keine gültige E-Mail-Adresse/, en: /not a valid e-mail address/ },
      { input: { ...platform, mode: "customer_domain", fromAddress: "acme@gmx.de" }, field: "fromAddress", de: /GMX/, en: /GMX/ },
      { input: smtp(plain, { host: "smtp://mail.acme.example:587" }), field: "host", de: /Servernamen/, en: /server name/ },
      { input: smtp(plain, { port: "22" }), field: "port", de: /Port ist nicht erlaubt/, en: /port is not allowed/ },
      { input: smtp(plain, { security: "ssl" }), field: "security", de: /angebotenen Möglichkeiten/, en: /offered options/ },
      { input: smtp(plain, { user: "mailer\u0007" }), field: "user", de: /Benutzername/, en: /user name/ },
      { input: smtp(plain, { password: "" }), field: "password", de: /Passwort/, en: /password/ },
      { input: smtp(plain, { security: "none", acknowledgeNoTls: "" }), field: "acknowledgeNoTls", de: /Verschlüsselung/, en: /encryption/ },
      { input: smtp(plain, { fromAddress: "acme.training@gmail.com" }), field: "acknowledgeFreeMail", de: /Gmail/, en: /Gmail/ },
    ];
    for (const c of cases) {
      for (const [locale, pattern] of [["de", c.de], ["en", c.en]] as const) {
        const r = await as(ids.adminA, locale, () => saveSenderSettingsAction(null, c.input));
        expect(r.ok, `${c.field} ${locale}`).toBe(false);
        if (r.ok) continue;
        expect(r.fieldErrors?.[c.field], `${c.field} ${locale}`).toMatch(pattern);
        expect(r.values?.password).toBeUndefined();
        if (c.field.startsWith("confirm") || c.field.startsWith("acknowledge")) {
          // A confirmation checkbox is not a field to fix: the summary asks to confirm the notice.
          expect(r.error).toBe(locale === "de" ? "Bitte bestätigen Sie den markierten Hinweis." : "Please confirm the marked notice.");
          continue;
        }
        // The summary names the field by its label in the user's language.
        expect(r.error).toMatch(locale === "de" ? /^Bitte prüfen Sie die markierten Felder: / : /^Please check the marked fields: /);
        const label = messagesFor(locale).sender.formFields[c.field as keyof ReturnType<typeof messagesFor>["sender"]["formFields"]];
        expect(r.error).toContain(label);
      }
    }
    const named = await as(ids.adminA, "de", () => saveSenderSettingsAction(null, smtp(plain, { port: "22" })));
    expect(named.ok === false && named.error).toBe("Bitte prüfen Sie die markierten Felder: Port.");
    const namedEn = await as(ids.adminA, "en", () => saveSenderSettingsAction(null, { ...platform, displayName: "A\nB", ratePerMinute: "x" }));
    expect(namedEn.ok === false && namedEn.error).toBe("Please check the marked fields: Display name, Mails per minute.");
    expect(await getSenderSettings(db(), { tenantId: ids.a })).toBeUndefined();
    expect(await listAudit(db(), { tenantId: ids.a })).toEqual([]);
  });

  it("saves the platform mode; without Reply-To only after confirming; ready when the relay is set", async () => {
    const r = await as(ids.adminA, "de", () => saveSenderSettingsAction(null, { ...platform, replyTo: "", confirmNoReplyTo: "on" }));
    expect(r).toMatchObject({ ok: true, message: "Die Einstellungen sind gespeichert." });
    const row = await getSenderSettings(db(), { tenantId: ids.a });
    expect(row).toMatchObject({ mode: "platform", noreplyAddress: "noreply@reflact.com", replyTo: null, displayName: "ACME Akademie", ratePerMinute: 60, dailyQuota: 10000, updatedBy: ids.adminA });
    expect(row?.noReplyToConfirmedAt).toBeInstanceOf(Date);
    const state = (await loadSenderOverview(db(), { tenantId: ids.a, relayConfigured: true, now: new Date() })).state;
    expect(state).toEqual({ status: "ready", mode: "platform", notes: ["no_reply_to"] });
    const noRelay = (await loadSenderOverview(db(), { tenantId: ids.a, relayConfigured: false, now: new Date() })).state;
    expect(noRelay).toEqual({ status: "not_ready", mode: "platform", reasons: ["relay_missing"] });

    // A consultant may edit every tenant; the Reply-To is set now.
    const c = await as(ids.consultant, "en", () => saveSenderSettingsAction(null, platform));
    expect(c).toMatchObject({ ok: true, message: "The settings are saved." });
    expect((await getSenderSettings(db(), { tenantId: ids.a }))?.noReplyToConfirmedAt).toBeNull();
    const [audit] = await listAudit(db(), { tenantId: ids.a, action: "sender.save" });
    expect(audit).toMatchObject({ actorUserId: ids.consultant, details: { mode: "platform", changes: { replyTo: { from: null, to: "training@acme.example" } } } });
  });

  it("records an acknowledged free-mail Reply-To", async () => {
    const r = await as(ids.adminA, "en", () => saveSenderSettingsAction(null, { ...platform, replyTo: "acme@gmail.com", acknowledgeFreeMail: "on" }));
    expect(r.ok).toBe(true);
    expect((await getSenderSettings(db(), { tenantId: ids.a }))?.freeMailAcknowledgedAt).toBeInstanceOf(Date);
    const [audit] = await listAudit(db(), { tenantId: ids.a, action: "sender.save" });
    expect(audit?.details).toMatchObject({ freeMailAcknowledged: ["gmail.com"] });
  });

  it("saves custom_smtp with the password encrypted, bound to the tenant, and never handed out", async () => {
    const r = await as(ids.adminA, "en", () => saveSenderSettingsAction(null, smtp(plain)));
    expect(r.ok).toBe(true);
    const row = (await getSenderSettings(db(), { tenantId: ids.a }))!;
    expect(row).toMatchObject({ mode: "custom_smtp", smtpHost: "127.0.0.1", smtpPort: plain.port, smtpSecurity: "none", smtpUser: "mailer", lastTest: null });
    expect(row.noTlsAcknowledgedAt).toBeInstanceOf(Date);
    expectNoPassword(row);
    expect(row.smtpPasswordBox).toMatch(/^v1:k1:/);
    const keys = encryptionKeys();
    expect(decryptSecret(row.smtpPasswordBox!, { keys: keys.keys, aad: secretAad(ids.a, "smtp_password") })).toBe(PASSWORD);
    expect(() => decryptSecret(row.smtpPasswordBox!, { keys: keys.keys, aad: secretAad(ids.b, "smtp_password") })).toThrow(SecretBoxError);

    // An empty password field keeps the stored one for the same host and user ...
    const keep = await as(ids.adminA, "en", () => saveSenderSettingsAction(null, smtp(plain, { password: "", ratePerMinute: "20" })));
    expect(keep.ok).toBe(true);
    expect((await getSenderSettings(db(), { tenantId: ids.a }))?.smtpPasswordBox).toBe(row.smtpPasswordBox);
    // ... but never follows the user to another server.
    const moved = await as(ids.adminA, "en", () => saveSenderSettingsAction(null, smtp(plain, { password: "", host: "localhost" })));
    expect(moved).toMatchObject({ ok: false, fieldErrors: { password: expect.stringMatching(/enter the password again/) } });

    const audit = await listAudit(db(), { tenantId: ids.a, action: "sender.save" });
    expect(audit[1]?.details).toMatchObject({ changes: { password: "[redacted]" } });
    expectNoPassword(audit);
    expectNoPassword(await listSenderHistory(db(), { tenantId: ids.a }));
  });

  it("tests the connection: success makes the mode ready, a wrong password says so in plain words", async () => {
    const before = (await loadSenderOverview(db(), { tenantId: ids.a, relayConfigured: true, now: new Date() })).state;
    expect(before).toEqual({ status: "not_ready", mode: "custom_smtp", reasons: ["not_tested"] });
    const started = performance.now();
    const ok = await as(ids.adminA, "en", () => testConnectionAction(null, { tenantSlug: "snd-a" }));
    timings.push(Math.round(performance.now() - started));
    expect(ok).toMatchObject({ ok: true, data: { success: true, message: expect.stringMatching(/^The connection works/) } });
    expect(ok.ok && ok.data.detail).toMatch(/^220 /);
    expect(plain.sessions.at(-1)).toMatchObject({ user: "mailer" });
    const after = (await loadSenderOverview(db(), { tenantId: ids.a, relayConfigured: true, now: new Date() })).state;
    expect(after).toEqual({ status: "ready", mode: "custom_smtp", notes: [] });

    await as(ids.adminA, "en", () => saveSenderSettingsAction(null, smtp(plain, { password: "not-the-password" })));
    const bad = await as(ids.adminA, "de", () => testConnectionAction(null, { tenantSlug: "snd-a" }));
    expect(bad).toMatchObject({ ok: true, data: { success: false, message: expect.stringMatching(/Benutzername oder Passwort abgelehnt/) } });
    expect(bad.ok && bad.data.detail).toMatch(/535/);
    expect(JSON.stringify(bad)).not.toContain("not-the-password");
    const state = (await loadSenderOverview(db(), { tenantId: ids.a, relayConfigured: true, now: new Date() })).state;
    expect(state).toEqual({ status: "not_ready", mode: "custom_smtp", reasons: ["test_failed"] });
    const [audit] = await listAudit(db(), { tenantId: ids.a, action: "sender.test.connection" });
    expect(audit?.details).toMatchObject({ ok: false, failure: "auth_failed" });
    await as(ids.adminA, "en", () => saveSenderSettingsAction(null, smtp(plain)));
  });

  it("sends a test mail that arrives with the right From, display name and Reply-To", async () => {
    const count = plain.received.length;
    const r = await as(ids.adminA, "en", () => sendTestMailAction(null, { tenantSlug: "snd-a", to: "check@acme.example" }));
    expect(r).toMatchObject({ ok: true, data: { success: true } });
    const mail = await plain.waitForMail(count + 1);
    expect(mail.envelope).toEqual({ from: "reminders@acme.example", to: ["check@acme.example"] });
    expect(mail.parsed.from?.value).toEqual([{ address: "reminders@acme.example", name: "ACME Akademie" }]);
    expect(mail.parsed.replyTo?.value).toEqual([{ address: "training@acme.example", name: "" }]);
    expect(mail.parsed.subject).toBe("Test message from the mail settings");
    expectNoPassword(mail.raw);

    const bad = await as(ids.adminA, "de", () => sendTestMailAction(null, { tenantSlug: "snd-a", to: "a@x.example, b@x.example" }));
    expect(bad).toMatchObject({ ok: false, fieldErrors: { to: "Bitte genau eine Adresse eingeben, nicht mehrere." } });
  });

  it("explains STARTTLS not offered, an unreachable port and a timeout; succeeds with STARTTLS", async () => {
    const env = senderEnvironment(config());
    const check = (probe: Parameters<typeof runSmtpCheck>[1]["probe"]) =>
      runSmtpCheck(db(), { tenantId: ids.a, actorUserId: ids.adminA, kind: "connection", env, keys: encryptionKeys(), locale: "en", now: new Date(), probe });

    await as(ids.adminA, "en", () => saveSenderSettingsAction(null, smtp(plain, { security: "starttls", acknowledgeNoTls: "" })));
    const noStarttls = await check({});
    expect(noStarttls).toMatchObject({ ok: false, message: { en: expect.stringMatching(/does not offer STARTTLS/) } });

    await as(ids.adminA, "en", () => saveSenderSettingsAction(null, smtp(secure, { host: "localhost", security: "starttls", acknowledgeNoTls: "" })));
    const started = performance.now();
    const good = await check({ tlsCa: secure.cert });
    timings.push(Math.round(performance.now() - started));
    expect(good).toMatchObject({ ok: true });
    expect(secure.sessions.at(-1)).toMatchObject({ secure: true, user: "mailer", servername: "localhost" });

    await as(ids.adminA, "en", () => saveSenderSettingsAction(null, smtp(plain, { port: String(closedPort) })));
    const unreachable = await check({ timeoutMs: 800 });
    expect(unreachable).toMatchObject({ ok: false, message: { en: expect.stringMatching(/^No connection to the server 127\.0\.0\.1 on port/) } });

    await as(ids.adminA, "en", () => saveSenderSettingsAction(null, smtp(slow, { user: "", password: "" })));
    const slowResult = await check({ timeoutMs: 800 });
    expect(slowResult).toMatchObject({ ok: false, message: { en: expect.stringMatching(/did not answer in time/) } });
    expect(slowResult.ms).toBeLessThan(2500);
    await as(ids.adminA, "en", () => saveSenderSettingsAction(null, smtp(plain)));
  });

  it("proves a customer-domain address end to end through the relay", async () => {
    const from = "schulung@acme-proof.example";
    const cd = { ...platform, mode: "customer_domain", fromAddress: from };
    expect((await as(ids.adminA, "de", () => saveSenderSettingsAction(null, cd))).ok).toBe(true);
    expect((await getSenderSettings(db(), { tenantId: ids.a }))?.smtpPasswordBox).toBeNull();
    let state = (await loadSenderOverview(db(), { tenantId: ids.a, relayConfigured: true, now: new Date() })).state;
    expect(state).toEqual({ status: "not_ready", mode: "customer_domain", reasons: ["domain_not_checked", "address_not_proven"] });

    const count = relay.received.length;
    const sent = await as(ids.adminA, "de", () => sendProofCodeAction(null, { tenantSlug: "snd-a" }));
    expect(sent).toMatchObject({ ok: true, message: `Ein 6-stelliger Code ist an ${from} unterwegs. Er gilt 30 Minuten.` });
    const mail = await relay.waitForMail(count + 1);
    expect(mail.envelope.to).toEqual([from]);
    expect(mail.parsed.from?.value[0]).toEqual({ address: "noreply@reflact.com", name: "ACME Schulungen" });
    const code = /Ihr Bestätigungscode: (\d{3}) (\d{3})/.exec(mail.parsed.text ?? "")!.slice(1).join("");
    expect(code).toMatch(/^\d{6}$/);

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    const w1 = await as(ids.adminA, "de", () => verifyProofCodeAction(null, { tenantSlug: "snd-a", code: wrong }));
    expect(w1).toMatchObject({ ok: false, error: "Der Code stimmt nicht. Sie haben noch 4 Versuche." });
    const w2 = await as(ids.adminA, "en", () => verifyProofCodeAction(null, { tenantSlug: "snd-a", code: wrong }));
    expect(w2).toMatchObject({ ok: false, error: "The code is not right. You have 3 tries left." });
    const soon = await as(ids.adminA, "en", () => sendProofCodeAction(null, { tenantSlug: "snd-a" }));
    expect(soon).toMatchObject({ ok: false, error: "Please wait a minute before asking for a new code." });
    state = (await loadSenderOverview(db(), { tenantId: ids.a, relayConfigured: true, now: new Date() })).state;
    expect(state).toMatchObject({ reasons: ["domain_not_checked", "proof_pending"] });

    const right = await as(ids.adminA, "en", () => verifyProofCodeAction(null, { tenantSlug: "snd-a", code: `${code.slice(0, 3)} ${code.slice(3)}` }));
    expect(right).toMatchObject({ ok: true, message: "The address is confirmed." });
    expect((await getAddressProof(db(), { tenantId: ids.a, address: from }))?.verifiedAt).toBeInstanceOf(Date);
    state = (await loadSenderOverview(db(), { tenantId: ids.a, relayConfigured: true, now: new Date() })).state;
    expect(state).toEqual({ status: "not_ready", mode: "customer_domain", reasons: ["domain_not_checked"] });

    // The domain check is its own section: its latest row decides, and only "green" is ready.
    const insertCheck = (verdict: "green" | "not_ready", startedAt: Date) =>
      db().orm.insert(db().t.domainChecks).values({ id: crypto.randomUUID(), tenantId: ids.a, domain: "acme-proof.example", status: "done", verdict, findings: [], startedAt, finishedAt: startedAt });
    await insertCheck("not_ready", new Date(Date.now() - 60_000));
    state = (await loadSenderOverview(db(), { tenantId: ids.a, relayConfigured: true, now: new Date() })).state;
    expect(state).toEqual({ status: "not_ready", mode: "customer_domain", reasons: ["domain_not_green"] });
    await insertCheck("green", new Date());
    state = (await loadSenderOverview(db(), { tenantId: ids.a, relayConfigured: true, now: new Date() })).state;
    expect(state).toEqual({ status: "ready", mode: "customer_domain", notes: [] });

    // Changing the address clears the proof, also when changing back.
    await as(ids.adminA, "en", () => saveSenderSettingsAction(null, { ...cd, fromAddress: "other@acme-proof.example" }));
    expect(await getAddressProof(db(), { tenantId: ids.a, address: from })).toBeUndefined();
    const back = await as(ids.adminA, "de", () => saveSenderSettingsAction(null, cd));
    expect(back).toMatchObject({ ok: true, message: expect.stringMatching(/Absenderadresse hat sich geändert/) });
    state = (await loadSenderOverview(db(), { tenantId: ids.a, relayConfigured: true, now: new Date() })).state;
    expect(state).toEqual({ status: "not_ready", mode: "customer_domain", reasons: ["address_not_proven"] });
    const history = await listSenderHistory(db(), { tenantId: ids.a, limit: 50 });
    expect(history.map((h) => h.action)).toEqual(expect.arrayContaining(["sender.proof.send", "sender.proof.verify"]));
    expect(history.find((h) => h.action === "sender.save")).toMatchObject({ actorName: "Anna Admin" });
  });

  it("refuses an expired code (injected clock) and locks after five wrong ones", async () => {
    const env = senderEnvironment(config());
    const secret = derivedSecret("address-proof");
    const tenant = { id: ids.a, name: "ACME Schulungen", locale: "en" as const };
    const t0 = new Date(Date.now() + 2 * 60 * 60 * 1000); // past the re-send throttle of the test above
    const count = relay.received.length;
    expect(await requestAddressProof(db(), { tenant, actorUserId: ids.adminA, env, secret, now: t0 })).toMatchObject({ ok: true });
    const mail = await relay.waitForMail(count + 1);
    const code = /Your confirmation code: (\d{3}) (\d{3})/.exec(mail.parsed.text ?? "")!.slice(1).join("");
    const late = new Date(t0.getTime() + 30 * 60 * 1000 + 1);
    expect(await verifyAddressProof(db(), { tenantId: ids.a, actorUserId: ids.adminA, code, secret, now: late })).toMatchObject({
      ok: false,
      message: { en: "The code has expired (it is valid for 30 minutes). Please ask for a new one." },
    });

    const t1 = new Date(t0.getTime() + 2 * 60 * 1000);
    expect(await requestAddressProof(db(), { tenant, actorUserId: ids.adminA, env, secret, now: t1 })).toMatchObject({ ok: true });
    const mail2 = await relay.waitForMail(count + 2);
    const code2 = /Your confirmation code: (\d{3}) (\d{3})/.exec(mail2.parsed.text ?? "")!.slice(1).join("");
    const wrong = String((Number(code2) + 7) % 1_000_000).padStart(6, "0");
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push((await verifyAddressProof(db(), { tenantId: ids.a, actorUserId: ids.adminA, code: wrong, secret, now: t1 })).message.en);
    expect(outcomes.at(-1)).toMatch(/entered wrongly five times/);
    const afterLock = await verifyAddressProof(db(), { tenantId: ids.a, actorUserId: ids.adminA, code: code2, secret, now: t1 });
    expect(afterLock).toMatchObject({ ok: false, message: { en: expect.stringMatching(/blocked/) } });
  });

  it("never let the password reach the console or an action result", () => {
    expectNoPassword(consoleOutput.join("\n"));
    expectNoPassword(results);
  });
});
