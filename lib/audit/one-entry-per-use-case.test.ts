import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as apiKeys from "../api-keys/service";
import { appActor, CLI_ACTOR } from "../auth/policy";
import { decryptSecret, secretAad } from "../crypto/secret-box";
import type { Db } from "../db";
import * as domainCheck from "../domain-check/service";
import { classifyDeliveryFailure } from "../delivery/failures";
import * as pause from "../delivery/pause";
import * as suppressions from "../delivery/suppressions";
import * as unsubscribe from "../delivery/unsubscribe";
import * as learnerImport from "../learners/import";
import * as learners from "../learners/service";
import * as reminders from "../reminders/service";
import { defaultTemplateSet } from "../reminders/defaults";
import * as review from "../review/reviews";
import { senderSettingsSchema } from "../sender/sender-schema";
import * as sender from "../sender/service";
import * as tenants from "../tenants/service";
import { forEachDatabase } from "../testing/databases";
import { testDeliveryEnvironment } from "../testing/delivery";
import { testDomainCheckEnvironment } from "../testing/domain-check";
import { loadZoneFile, startDnsServer, type TestDnsServer } from "../testing/dns-server";
import { insertReminderRow, seedMailFixture } from "../testing/mail-fixture";
import { plainSmtpForm } from "../testing/sender-forms";
import { startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import * as users from "../users/service";

/**
 * Every exported function of the use-case modules, sorted: a mutating use case this test
 * calls (and counts its audit entries), a step of the CSV import (called, audited by the
 * run), a read, an internal step of another use case, or one of the worker's re-checks.
 * A new export fails the first test until it is sorted here.
 */
const MODULES = { apiKeys, domainCheck, pause, suppressions, unsubscribe, learnerImport, learners, reminders, review, sender, tenants, users };

const EXERCISED = [
  "apiKeys.createApiKey", "apiKeys.revokeApiKey",
  "tenants.createTenant",
  "users.createTenantUser", "users.createConsultant", "users.setUserDisabled", "users.setUserLocale",
  "learners.putTraining", "learners.putLearner", "learners.upsertLearnerBatch", "learners.setLearnerActive",
  "learners.putAssignment", "learners.recordCompletion", "learners.withdrawAssignment", "learners.closeAssignment",
  "reminders.saveTraining", "reminders.savePlan",
  "suppressions.addSuppression", "suppressions.removeSuppression",
  "review.markReviewed",
  // With the loopback DNS server, a loopback SMTP server (the platform relay and the
  // tenant's own server), a pause, an unsubscribe link and a CSV file.
  "domainCheck.createDkimKey", "domainCheck.startDomainCheck", "domainCheck.sendInstructions",
  "sender.saveSenderSettings", "sender.runSmtpCheck", "sender.requestAddressProof", "sender.verifyAddressProof",
  "pause.resumeTenantSending", "unsubscribe.unsubscribe",
  "learnerImport.uploadImport", "learnerImport.checkImport", "learnerImport.runImport",
] as const;

const READS = [
  "apiKeys.apiKeyStatus", "apiKeys.authenticateApiKey", "apiKeys.listApiKeys",
  "domainCheck.loadCheckView", "domainCheck.latestCheckView", "domainCheck.whatChanged", "domainCheck.listDkimKeyViews",
  "pause.getOpenPause", "pause.pausedTenantIds",
  "suppressions.listSuppressions",
  "unsubscribe.unsubscribeTarget",
  "learnerImport.getImport", "learnerImport.getImportDetail", "learnerImport.getRefusedRows", "learnerImport.listImports",
  "reminders.otherActivePlans",
  "review.reviewStates", "review.reviewDetail",
  "sender.loadSenderOverview", "sender.loadSenderStates", "sender.senderStateOf",
  // Pure helpers and look-ups: build views, mails, tokens and links; they write nothing.
  "domainCheck.checkView", "domainCheck.diffChecks", "domainCheck.domainCheckEnvironment", "domainCheck.instructionsMail",
  "pause.pauseAlertKey",
  "sender.senderEnvironment", "sender.settingsView", "sender.storedSmtpContext", "sender.storedSmtpSettings",
  "unsubscribe.unsubscribeLinks", "unsubscribe.unsubscribeToken", "unsubscribe.unsubscribeUrl", "unsubscribe.verifyUnsubscribeToken",
];

/** Steps inside other use cases (they write inside the caller's transaction, the caller audits). */
const INTERNAL = ["learners.applyLearnerRows", "sender.applySenderSettings", "suppressions.suppressAddress", "pause.pauseTenantSending"];

/**
 * The worker's scheduled re-checks: not a user's change, audited only when the result turns
 * from green to red or back (zero or one entry a call), which lib/monitoring/rechecks.test.ts
 * covers. Not called here.
 */
const RECHECKS = ["domainCheck.runScheduledDomainCheck", "sender.runScheduledSmtpCheck"];

describe("use-case inventory", () => {
  it("sorts every exported function of the use-case modules", () => {
    const exported = Object.entries(MODULES).flatMap(([name, mod]) =>
      Object.entries(mod)
        .filter(([, v]) => typeof v === "function" && !/^[A-Z]/.test(v.name))
        .map(([fn]) => `${name}.${fn}`),
    );
    const sorted = new Set<string>([...EXERCISED, ...READS, ...INTERNAL, ...RECHECKS]);
    expect(exported.filter((e) => !sorted.has(e)).sort()).toEqual([]);
    expect([...sorted].filter((s) => !exported.includes(s)).sort()).toEqual([]);
  });
});

async function auditRows(db: Db): Promise<number> {
  const [row] = await db.orm.select({ n: count() }).from(db.t.auditLog);
  return Number(row?.n ?? 0);
}

function ok<T>(outcome: { ok: true; data: T } | { ok: false }): T {
  if (!outcome.ok) throw new Error(`use case failed: ${JSON.stringify(outcome)}`);
  return outcome.data;
}

function sure(outcome: { ok: boolean }): void {
  if (!outcome.ok) throw new Error(`use case failed: ${JSON.stringify(outcome)}`);
}

// Secrets the calls below pass in; no audit entry may hold one (checked in the last test).
const USER_PASSWORD = "a-long-password";
const SMTP_PASSWORD = "own-smtp-Pa55word";
const RELAY_PASSWORD = "relay-Pa55word";
const PROOF_SECRET = "address-proof-secret-of-32-chars!";

let dns: TestDnsServer;
/** One loopback server: the platform relay (user "relay") and the tenant's own SMTP server (user "acme"). */
let smtp: TestSmtpServer;
beforeAll(async () => {
  dns = await startDnsServer(await loadZoneFile(path.resolve("lib/domain-check/fixtures/check-zone.json")));
  smtp = await startTestSmtpServer({ starttls: false, users: { relay: RELAY_PASSWORD, acme: SMTP_PASSWORD } });
});
afterAll(async () => {
  await dns?.close();
  await smtp?.close();
});

forEachDatabase("every mutating use case writes exactly one audit entry", (db) => {
  let ids: TwoTenants;
  const now = new Date("2026-11-02T09:00:00Z");
  const called = new Set<string>();
  const secrets: Record<string, string> = { USER_PASSWORD, SMTP_PASSWORD, RELAY_PASSWORD, PROOF_SECRET };

  beforeAll(async () => {
    ids = await seedTwoTenants(db(), { prefix: "onentry" });
  });

  /** Runs one call of a use case and returns what it gave, asserting one new audit row. */
  async function once<T>(name: (typeof EXERCISED)[number], run: () => Promise<T>): Promise<T> {
    const before = await auditRows(db());
    const result = await run();
    expect(await auditRows(db()), name).toBe(before + 1);
    called.add(name);
    return result;
  }

  it("calls each of them once, with one entry each", async () => {
    const admin = appActor({ id: ids.adminA, role: "admin" });
    const tenant = { id: ids.a, timezone: "Europe/Berlin" };
    const d = db();

    const key = ok(await once("apiKeys.createApiKey", () => apiKeys.createApiKey(d, { tenant, actor: admin, input: { name: "LMS" }, now })));
    secrets.API_KEY = key.key;
    await once("apiKeys.revokeApiKey", () => apiKeys.revokeApiKey(d, { tenantId: ids.a, actor: admin, keyId: key.id, now }));
    await once("tenants.createTenant", () => tenants.createTenant(d, { actor: CLI_ACTOR, input: { slug: "onentry-c", name: "C", timezone: "UTC", locale: "en" }, now }));
    const user = ok(
      await once("users.createTenantUser", () =>
        users.createTenantUser(d, { tenantId: ids.a, actor: admin, input: { email: "t2@onentry.example", name: "T2", role: "trainer", password: USER_PASSWORD } }),
      ),
    );
    await once("users.createConsultant", () => users.createConsultant(d, { actor: CLI_ACTOR, input: { email: "c2@onentry.example", name: "C2", password: USER_PASSWORD } }));
    await once("users.setUserDisabled", () => users.setUserDisabled(d, { tenantId: ids.a, actor: admin, userId: user.id, disabled: true }));
    await once("users.setUserLocale", () => users.setUserLocale(d, { userId: ids.trainerA, current: null, locale: "en" }));

    await once("learners.putTraining", () => learners.putTraining(d, { tenant, actor: CLI_ACTOR, externalId: "T1", input: { name: "Training 1" }, now }));
    await once("learners.putLearner", () =>
      learners.putLearner(d, { tenant, actor: CLI_ACTOR, externalId: "L1", input: { email: "l1@example.com", firstName: "L", lastName: "1" }, now }),
    );
    await once("learners.upsertLearnerBatch", () =>
      learners.upsertLearnerBatch(d, { tenant, actor: CLI_ACTOR, input: { learners: [{ externalId: "L2", email: "l2@example.com", firstName: "L", lastName: "2" }] }, now }),
    );
    ok(await learners.putLearner(d, { tenant, actor: CLI_ACTOR, externalId: "L3", input: { email: "l3@example.com", firstName: "L", lastName: "3" }, now }));
    const [l3] = await d.orm.select({ id: d.t.learners.id }).from(d.t.learners).where(and(eq(d.t.learners.tenantId, ids.a), eq(d.t.learners.externalId, "L3")));
    await once("learners.setLearnerActive", () => learners.setLearnerActive(d, { tenant, actor: CLI_ACTOR, learnerId: l3!.id, active: false, now }));
    const assignment = await once("learners.putAssignment", () =>
      learners.putAssignment(d, { tenant, actor: CLI_ACTOR, learnerExternalId: "L1", trainingExternalId: "T1", input: { assignedAt: "2026-11-01T08:00:00Z" }, now }),
    );
    await once("learners.recordCompletion", () =>
      learners.recordCompletion(d, { tenant, actor: CLI_ACTOR, input: { learnerExternalId: "L1", trainingExternalId: "T1", completedAt: now.toISOString() }, now }),
    );
    ok(await learners.putAssignment(d, { tenant, actor: CLI_ACTOR, learnerExternalId: "L2", trainingExternalId: "T1", input: { assignedAt: "2026-11-01T08:00:00Z" }, now }));
    await once("learners.withdrawAssignment", () => learners.withdrawAssignment(d, { tenant, actor: CLI_ACTOR, learnerExternalId: "L2", trainingExternalId: "T1", now }));
    void assignment;
    ok(await learners.putAssignment(d, { tenant, actor: CLI_ACTOR, learnerExternalId: "L3", trainingExternalId: "T1", input: { assignedAt: "2026-11-02T08:00:00Z" }, now }));
    const [a3] = await d.orm.select({ id: d.t.assignments.id }).from(d.t.assignments).where(eq(d.t.assignments.learnerId, l3!.id));
    await once("learners.closeAssignment", () =>
      learners.closeAssignment(d, { tenant, actor: admin, assignmentId: a3!.id, how: "withdraw", now }),
    );

    const training = ok(await once("reminders.saveTraining", () => reminders.saveTraining(d, { tenant, actor: admin, input: { name: "Fire safety", externalId: "FS-1" }, now })));
    await once("reminders.savePlan", () =>
      reminders.savePlan(d, {
        tenant,
        actor: admin,
        input: {
          trainingId: (training as { id: string }).id, name: "Plan", active: true, anchor: "fixed", offsetDays: 0, startDate: "2027-01-04", sendTime: "09:00",
          repeatEveryDays: 7, endDate: "2027-01-31", maxSends: 3, weekdaysOnly: false, escalateAfterSends: null, digestWeekday: null, digestTime: null,
          templates: defaultTemplateSet(), confirmHighRisk: false,
        },
        now,
      }),
    );
    const blocked = ok(await once("suppressions.addSuppression", () => suppressions.addSuppression(d, { actor: admin, tenantId: ids.a, input: { address: "x@blocked.example" }, now })));
    await once("suppressions.removeSuppression", () => suppressions.removeSuppression(d, { actor: admin, tenantId: ids.a, id: blocked.id, now }));

    await once("review.markReviewed", () =>
      review.markReviewed(d, { actor: appActor({ id: ids.consultant, role: "consultant" }), tenantId: ids.a, input: { note: "Looked at it." }, now }),
    );
  });

  it("calls those that need the loopback DNS and SMTP servers, a pause, an unsubscribe link or a file: one entry each (none for the import's upload and dry run)", async () => {
    const admin = appActor({ id: ids.adminA, role: "admin" });
    const d = db();
    const relayUrl = `smtp://relay:${RELAY_PASSWORD}@127.0.0.1:${smtp.port}`;
    const env = testDeliveryEnvironment(smtp.port, { relayUrl });
    const checkEnv = testDomainCheckEnvironment({ dnsAddress: dns.address, relayUrl });

    // The domain check: a DKIM key, a check of a domain without the platform's include, the instructions mail.
    const domain = "noinclude.example";
    sure(await once("domainCheck.createDkimKey", () => domainCheck.createDkimKey(d, { tenantId: ids.a, actorUserId: ids.adminA, domain, keys: env.keys, now })));
    const [box] = await d.orm.select({ box: d.t.dkimKeys.privateKeyBox }).from(d.t.dkimKeys).where(eq(d.t.dkimKeys.tenantId, ids.a));
    const pem = decryptSecret(box!.box, { keys: env.keys.keys, aad: secretAad(ids.a, "dkim_private_key") });
    // The PEM's base64 lines (a short last line could turn up anywhere by chance).
    pem.split("\n").filter((line) => line.length >= 32 && !line.startsWith("-----")).forEach((line, i) => (secrets[`DKIM_PEM_LINE_${i}`] = line));
    let atStart = 0;
    const check = await once("domainCheck.startDomainCheck", async () => {
      const started = await domainCheck.startDomainCheck(d, { tenantId: ids.a, actorUserId: ids.adminA, domain, env: checkEnv, now: () => now });
      if (!started.ok) throw new Error(JSON.stringify(started));
      // The entry is the start (who checked what); finishing the check adds none.
      atStart = await auditRows(d);
      await started.done;
      return started;
    });
    expect(await auditRows(d)).toBe(atStart);
    expect((await domainCheck.loadCheckView(d, { tenantId: ids.a, id: check.id }))?.status).toBe("done");
    const mailsBefore = smtp.received.length;
    sure(
      await once("domainCheck.sendInstructions", () =>
        domainCheck.sendInstructions(d, {
          tenant: { id: ids.a, name: "A" },
          actor: { id: ids.adminA, email: "admin@onentry-a.example", name: "Ada" },
          checkId: check.id,
          to: "dns@noinclude.example",
          locale: "en",
          env: checkEnv,
          now,
        }),
      ),
    );
    expect((await smtp.waitForMail(mailsBefore + 1)).envelope.to).toEqual(["dns@noinclude.example"]);

    // Tenant A sends through its own SMTP server, with a login; the connection test logs in.
    const smtpInput = senderSettingsSchema(env.sender.profile).parse({ ...plainSmtpForm({ host: "127.0.0.1", port: smtp.port }), user: "acme", password: SMTP_PASSWORD });
    await once("sender.saveSenderSettings", () => sender.saveSenderSettings(d, { tenantId: ids.a, actorUserId: ids.adminA, input: smtpInput, keys: env.keys, now }));
    const test = await once("sender.runSmtpCheck", () =>
      sender.runSmtpCheck(d, { tenantId: ids.a, actorUserId: ids.adminA, kind: "connection", env: env.sender, keys: env.keys, locale: "en", now, probe: env.probe }),
    );
    expect(test.ok, JSON.stringify(test)).toBe(true);
    expect(smtp.sessions.at(-1)?.user).toBe("acme");

    // Tenant B proves its own domain's From address with the code the relay delivers.
    const from = "schulung@onentry-b.example";
    const domainInput = senderSettingsSchema(env.sender.profile).parse({ mode: "customer_domain", fromAddress: from, displayName: "B", replyTo: "", ratePerMinute: "60", dailyQuota: "1000" });
    await sender.saveSenderSettings(d, { tenantId: ids.b, actorUserId: ids.adminB, input: domainInput, keys: env.keys, now });
    const proofMailsBefore = smtp.received.length;
    sure(
      await once("sender.requestAddressProof", () =>
        sender.requestAddressProof(d, { tenant: { id: ids.b, name: "B", locale: "en" }, actorUserId: ids.adminB, env: env.sender, secret: PROOF_SECRET, now, probe: env.probe }),
      ),
    );
    const proofMail = await smtp.waitForMail(proofMailsBefore + 1);
    expect(proofMail.envelope.to).toEqual([from]);
    const typed = /(\d{3}) (\d{3})/.exec(proofMail.parsed.text ?? "");
    secrets.PROOF_CODE = `${typed![1]}${typed![2]}`;
    sure(await once("sender.verifyAddressProof", () => sender.verifyAddressProof(d, { tenantId: ids.b, actorUserId: ids.adminB, code: secrets.PROOF_CODE!, secret: PROOF_SECRET, now })));

    // A pause after a refused login (its reply named the password), resumed by the admin.
    const refusedLogin = Object.assign(new Error(`Invalid login: 535 5.7.8 Authentication credentials invalid for ${SMTP_PASSWORD}`), { code: "EAUTH", responseCode: 535 });
    const failure = classifyDeliveryFailure(refusedLogin, { host: "127.0.0.1", port: smtp.port, security: "none", from, to: "x@learner.example", user: "acme", password: SMTP_PASSWORD });
    await d.transaction((tx) => pause.pauseTenantSending(tx, { tenantId: ids.a, failure, deliveryId: null, now }));
    expect(ok(await once("pause.resumeTenantSending", () => pause.resumeTenantSending(d, { actor: admin, tenantId: ids.a, now })))).toEqual({ resumed: true });

    // A learner unsubscribes from a plan with the link of a reminder.
    const fixture = await seedMailFixture(d, { slug: "onentry-u", now, learners: [{ externalId: "maria", email: "maria@learner.example", firstName: "Maria", assignedAt: "2026-11-01T09:00:00Z" }] });
    const row = await insertReminderRow(d, fixture, { learner: "maria", occurrence: 1, recipient: "maria@learner.example", dueAt: now, status: "sent" });
    secrets.UNSUBSCRIBE_TOKEN = unsubscribe.unsubscribeToken(row.id);
    secrets.UNSUBSCRIBE_MAC = secrets.UNSUBSCRIBE_TOKEN.slice(row.id.length + 1);
    ok(await once("unsubscribe.unsubscribe", () => unsubscribe.unsubscribe(d, { token: secrets.UNSUBSCRIBE_TOKEN!, via: "one_click", now })));

    // A CSV file: upload and dry run write nothing to the audit log, the run one entry.
    const tenant = { id: ids.a, timezone: "Europe/Berlin" };
    const bytes = new TextEncoder().encode("Personalnummer;Vorname;Nachname;E-Mail;Schulung;Zugewiesen am\r\nP-1;Jürgen;Müßig;p1@learner.example;T1;01.11.2026\r\n");
    const upload = ok(await once("learnerImport.uploadImport", () => learnerImport.uploadImport(d, { tenant, actor: admin, fileName: "people.csv", bytes, now })));
    const dry = ok(await once("learnerImport.checkImport", () => learnerImport.checkImport(d, { tenant, actor: admin, importId: upload.id, mapping: upload.mapping, now })));
    expect(dry).toMatchObject({ status: "checked", created: 1, refused: 0 });
    const run = ok(await once("learnerImport.runImport", () => learnerImport.runImport(d, { tenant, actor: admin, importId: upload.id, clock: () => now })));
    expect(run).toMatchObject({ status: "done", created: 1 });
  });

  it("called every mutating use case; no audit entry of the whole run holds a secret", async () => {
    expect([...called].sort()).toEqual([...EXERCISED].sort());
    expect(Object.keys(secrets)).toEqual(expect.arrayContaining(["API_KEY", "PROOF_CODE", "UNSUBSCRIBE_MAC", "DKIM_PEM_LINE_0"]));
    const details = JSON.stringify((await db().orm.select({ details: db().t.auditLog.details }).from(db().t.auditLog)).map((r) => r.details));
    expect(details).not.toContain("PRIVATE KEY");
    for (const [name, secret] of Object.entries(secrets)) expect(details.includes(secret), name).toBe(false);
  });
});
