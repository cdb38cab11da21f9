import crypto from "node:crypto";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeAudit } from "../audit/log";
import { appActor } from "../auth/policy";
import { parseEncryptionKeys } from "../crypto/secret-box";
import type { Db } from "../db";
import { createDkimKey, startDomainCheck, type DomainCheckEnvironment } from "../domain-check/service";
import { defaultTemplateSet } from "../reminders/defaults";
import { savePlan, saveTraining } from "../reminders/service";
import { senderSettingsSchema } from "../sender/sender-schema";
import { runSmtpCheck, saveSenderSettings, type SenderEnvironment } from "../sender/service";
import { forEachDatabase } from "../testing/databases";
import { testDomainCheckEnvironment } from "../testing/domain-check";
import { loadZoneFile, startDnsServer, type TestDnsServer } from "../testing/dns-server";
import { startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server";
import { countingStatements } from "../testing/query-count";
import { createTenant } from "../tenants/queries";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { markReviewed, markReviewedSchema, reviewDetail, reviewStates, type ReviewChange } from "./reviews";

// Issue 12: review notes, "mark reviewed", and "changed since review" with the diff from
// the audit log, on both databases. Checks and tests (manual or the worker's re-checks)
// do not flip a review; sender, domain-key and plan changes do.

const keys = parseEncryptionKeys(`k1:${crypto.randomBytes(32).toString("base64")}`);
const SMTP_PASSWORD = "first-smtp-passw0rd";
const NEW_SMTP_PASSWORD = "second-smtp-passw0rd";
let dns: TestDnsServer;
let smtp: TestSmtpServer;

beforeAll(async () => {
  dns = await startDnsServer(await loadZoneFile(path.resolve("lib/domain-check/fixtures/check-zone.json")));
  smtp = await startTestSmtpServer({ starttls: false, users: { mailer: SMTP_PASSWORD } });
});
afterAll(async () => {
  await Promise.all([dns?.close(), smtp?.close()]);
});

function senderEnv(): SenderEnvironment {
  return {
    profile: { noreplyAddresses: ["noreply@platform.example"], allowedPorts: [smtp.port] },
    policy: { allowPrivate: true, allowedPorts: [smtp.port] },
    relayUrl: undefined,
    defaults: { ratePerMinute: 60, dailyQuota: 1000 },
  };
}

function domainEnv(): DomainCheckEnvironment {
  return testDomainCheckEnvironment({ dnsAddress: dns.address, relayUrl: undefined });
}

const probe = { lookup: async () => [{ address: "127.0.0.1", family: 4 as const }], timeoutMs: 5000, uniformUnreachableTiming: false };

const t0 = new Date("2026-11-02T09:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

async function rowCount(db: Db, table: "auditLog" | "tenantReviews"): Promise<number> {
  const [row] = await db.orm.select({ n: count() }).from(db.t[table]);
  return Number(row?.n ?? 0);
}

function planInput(trainingId: string, overrides: Record<string, unknown> = {}) {
  return {
    trainingId, name: "Welcome plan", active: true, anchor: "fixed", offsetDays: 0, startDate: "2027-01-04", sendTime: "09:00",
    repeatEveryDays: 7, endDate: "2027-01-31", maxSends: 3, weekdaysOnly: false, escalateAfterSends: null, digestWeekday: null, digestTime: null,
    templates: defaultTemplateSet(), confirmHighRisk: false, ...overrides,
  };
}

const fieldsOf = (change: ReviewChange | undefined) => Object.fromEntries((change?.fields ?? []).map((f) => [f.field, [f.before, f.after]]));

describe("markReviewedSchema", () => {
  it("trims the note, keeps none for blank, and names the note when it is too long", () => {
    expect(markReviewedSchema.parse({ note: "  ok  " })).toEqual({ note: "ok" });
    expect(markReviewedSchema.parse({ note: "   " })).toEqual({ note: null });
    expect(markReviewedSchema.parse({})).toEqual({ note: null });
    const bad = markReviewedSchema.safeParse({ note: "x".repeat(2001) });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ["note"], message: "review.noteTooLong" });
  });
});

forEachDatabase("reviews and changes since review", (getDb, dialect) => {
  let ids: TwoTenants;
  let consultant: ReturnType<typeof appActor>;
  let admin: ReturnType<typeof appActor>;
  let planId = "";
  let trainingId = "";

  beforeAll(async () => {
    const db = getDb();
    ids = await seedTwoTenants(db, { prefix: `reviews-${dialect}`, consultantName: "Clara Consultant", adminAName: "Anna Admin" });
    consultant = appActor({ id: ids.consultant, role: "consultant" });
    admin = appActor({ id: ids.adminA, role: "admin" });
    const tenant = { id: ids.a, timezone: "Europe/Berlin" };
    const customerDomain = senderSettingsSchema(senderEnv().profile).parse({
      mode: "customer_domain", fromAddress: "training@good.example", displayName: "ACME Akademie", replyTo: "", ratePerMinute: "60", dailyQuota: "1000",
    });
    await saveSenderSettings(db, { tenantId: ids.a, actorUserId: ids.adminA, input: customerDomain, keys, now: at(0) });
    const training = await saveTraining(db, { tenant, actor: admin, input: { name: "Fire safety", externalId: "FS-1" }, now: at(0) });
    if (!training.ok) throw new Error("training");
    trainingId = training.data.id;
    const plan = await savePlan(db, { tenant, actor: admin, input: planInput(trainingId), now: at(0) });
    if (!plan.ok) throw new Error(`plan ${JSON.stringify(plan)}`);
    planId = plan.data.id;

    const customSmtp = senderSettingsSchema(senderEnv().profile).parse({
      mode: "custom_smtp", host: "smtp.test.example", port: String(smtp.port), security: "none", acknowledgeNoTls: "on", user: "mailer", password: SMTP_PASSWORD,
      fromAddress: "training@acme.example", displayName: "ACME", replyTo: "", ratePerMinute: "60", dailyQuota: "1000",
    });
    await saveSenderSettings(db, { tenantId: ids.b, actorUserId: ids.adminB, input: customSmtp, keys, now: at(0) });
  });

  it("starts not reviewed; a consultant's review with a note makes it reviewed by them, with one audit entry", async () => {
    const db = getDb();
    expect((await reviewStates(db, { tenantIds: [ids.a, ids.b] })).get(ids.a)).toEqual({ status: "not_reviewed" });
    expect(await reviewDetail(db, { tenantId: ids.a })).toEqual({ state: { status: "not_reviewed" }, history: [], changes: [] });

    const audits = await rowCount(db, "auditLog");
    const done = await markReviewed(db, { actor: consultant, tenantId: ids.a, input: { note: "  SPF fine, plan mild.  " }, now: at(10) });
    expect(done).toMatchObject({ ok: true, data: { note: "SPF fine, plan mild." } });
    expect(await rowCount(db, "auditLog")).toBe(audits + 1);
    const [entry] = await db.orm.select().from(db.t.auditLog).where(eq(db.t.auditLog.action, "review.mark"));
    expect(entry).toMatchObject({ tenantId: ids.a, actorUserId: ids.consultant, details: { note: "SPF fine, plan mild." } });

    expect(await markReviewed(db, { actor: consultant, tenantId: ids.b, input: {}, now: at(10) })).toMatchObject({ ok: true });
    const states = await reviewStates(db);
    expect(states.get(ids.a)).toEqual({ status: "reviewed", reviewedAt: at(10), reviewerName: "Clara Consultant", note: "SPF fine, plan mild.", changesSince: 0 });
    expect(states.get(ids.b)).toMatchObject({ status: "reviewed", note: null });
    const detail = await reviewDetail(db, { tenantId: ids.a });
    expect(detail.history).toEqual([{ reviewedAt: at(10), reviewerName: "Clara Consultant", note: "SPF fine, plan mild." }]);
    expect(detail.changes).toEqual([]);
  });

  it("refuses an admin, an unknown tenant and a too long note, and writes nothing", async () => {
    const db = getDb();
    const before = [await rowCount(db, "auditLog"), await rowCount(db, "tenantReviews")];
    expect(await markReviewed(db, { actor: admin, tenantId: ids.a, input: { note: "me too" }, now: at(11) })).toEqual({ ok: false, code: "forbidden" });
    expect(await markReviewed(db, { actor: consultant, tenantId: crypto.randomUUID(), input: {}, now: at(11) })).toEqual({ ok: false, code: "notFound" });
    const bad = await markReviewed(db, { actor: consultant, tenantId: ids.a, input: { note: "x".repeat(2001) }, now: at(11) });
    expect(bad).toMatchObject({
      ok: false,
      code: "invalid",
      fieldErrors: { note: { de: "Die Notiz darf höchstens 2000 Zeichen lang sein.", en: "The note may be at most 2000 characters long." } },
    });
    expect([await rowCount(db, "auditLog"), await rowCount(db, "tenantReviews")]).toEqual(before);
  });

  it("a manual domain check, a manual SMTP test and the worker's re-check entries do not flip the review", async () => {
    const db = getDb();
    const check = await startDomainCheck(db, { tenantId: ids.a, actorUserId: ids.adminA, domain: "good.example", env: domainEnv(), now: () => at(12) });
    expect(check.ok).toBe(true);
    if (check.ok) await check.done;
    const test = await runSmtpCheck(db, { tenantId: ids.b, actorUserId: ids.adminB, kind: "connection", env: senderEnv(), keys, locale: "en", now: at(12), probe });
    expect(test, JSON.stringify(test)).toMatchObject({ ok: true });
    for (const [tenantId, action] of [[ids.a, "domain.recheck.failed"], [ids.a, "domain.recheck.recovered"], [ids.b, "sender.recheck.failed"], [ids.b, "sender.recheck.recovered"]] as const) {
      await writeAudit(db, { tenantId, actorUserId: null, action, details: { via: "worker" } }, at(13));
    }
    const actions = (await db.orm.select({ action: db.t.auditLog.action }).from(db.t.auditLog)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["domain.check", "sender.test.connection"]));
    const states = await reviewStates(db, { tenantIds: [ids.a, ids.b] });
    expect(states.get(ids.a)).toMatchObject({ status: "reviewed", changesSince: 0 });
    expect(states.get(ids.b)).toMatchObject({ status: "reviewed", changesSince: 0 });
  });

  it("sender saves flip it to changed, with each field's value at the review and now, and who saved when", async () => {
    const db = getDb();
    const profile = senderEnv().profile;
    const save = (fields: Record<string, string>, minute: number, actorUserId: string) =>
      saveSenderSettings(db, {
        tenantId: ids.a,
        actorUserId,
        input: senderSettingsSchema(profile).parse({ mode: "customer_domain", fromAddress: "training@good.example", displayName: "ACME Akademie", replyTo: "", ratePerMinute: "60", dailyQuota: "1000", ...fields }),
        keys,
        now: at(minute),
      });
    await save({ fromAddress: "kurse@good.example" }, 20, ids.adminA);
    await save({ fromAddress: "schulung@good.example", displayName: "ACME Schulungen" }, 21, ids.consultant);

    expect((await reviewStates(db)).get(ids.a)).toMatchObject({ status: "changed", changesSince: 2, note: "SPF fine, plan mild." });
    const detail = await reviewDetail(db, { tenantId: ids.a });
    expect(detail.state.status).toBe("changed");
    const sender = detail.changes.find((c) => c.kind === "sender");
    expect(fieldsOf(sender)).toEqual({
      fromAddress: ["training@good.example", "schulung@good.example"],
      displayName: ["ACME Akademie", "ACME Schulungen"],
    });
    expect(sender?.entries).toEqual([
      { at: at(20), action: "sender.save", actorKind: "user", actorName: "Anna Admin" },
      { at: at(21), action: "sender.save", actorKind: "user", actorName: "Clara Consultant" },
    ]);
    expect(detail.changes.filter((c) => c.kind === "plan")).toEqual([]);
  });

  it("a plan update shows the plan's values at the review against its newest save; a new plan and a new DKIM key are created things", async () => {
    const db = getDb();
    const tenant = { id: ids.a, timezone: "Europe/Berlin" };
    expect(await savePlan(db, { tenant, actor: admin, input: { ...planInput(trainingId, { name: "Welcome plan v2" }), id: planId }, now: at(30) })).toMatchObject({ ok: true });
    expect(await savePlan(db, { tenant, actor: admin, input: { ...planInput(trainingId, { name: "Welcome plan v3", sendTime: "10:30" }), id: planId }, now: at(31) })).toMatchObject({ ok: true });
    const created = await savePlan(db, { tenant, actor: admin, input: planInput(trainingId, { name: "Follow-up", startDate: "2027-02-01", endDate: "2027-02-28" }), now: at(32) });
    expect(created.ok).toBe(true);
    const key = await createDkimKey(db, { tenantId: ids.a, actorUserId: ids.adminA, domain: "good.example", keys, now: at(33) });
    expect(key.ok).toBe(true);

    const detail = await reviewDetail(db, { tenantId: ids.a });
    const plan = detail.changes.find((c) => c.kind === "plan" && c.target === planId);
    expect(plan).toMatchObject({ label: "Welcome plan v3", created: false });
    expect(plan?.entries.map((e) => [e.at, e.action])).toEqual([[at(30), "reminderPlan.update"], [at(31), "reminderPlan.update"]]);
    expect(fieldsOf(plan)).toMatchObject({ name: ["Welcome plan", "Welcome plan v3"], "schedule.sendTime": ["09:00", "10:30"] });
    expect(fieldsOf(plan)).not.toHaveProperty("activePlans");

    const followUp = detail.changes.find((c) => c.kind === "plan" && c.target !== planId);
    expect(followUp).toMatchObject({ label: "Follow-up", created: true });
    expect(followUp?.fields.every((f) => f.before === null)).toBe(true);
    expect(fieldsOf(followUp)).toMatchObject({ name: [null, "Follow-up"], "schedule.startDate": [null, "2027-02-01"] });

    const dkim = detail.changes.find((c) => c.kind === "dkim");
    expect(dkim).toMatchObject({ label: "good.example (pst1)", created: true, fields: [{ field: "domain", before: null, after: "good.example" }, { field: "selector", before: null, after: "pst1" }] });
    // Newest change first.
    expect(detail.changes.map((c) => c.kind)).toEqual(["dkim", "plan", "plan", "sender"]);
    expect(JSON.stringify(detail)).not.toMatch(/PRIVATE KEY/);
  });

  it("a password change shows as changed but redacted; a new review clears the state and keeps the older note", async () => {
    const db = getDb();
    const customSmtp = senderSettingsSchema(senderEnv().profile).parse({
      mode: "custom_smtp", host: "smtp.test.example", port: String(smtp.port), security: "none", acknowledgeNoTls: "on", user: "mailer", password: NEW_SMTP_PASSWORD,
      fromAddress: "training@acme.example", displayName: "ACME", replyTo: "", ratePerMinute: "60", dailyQuota: "1000",
    });
    await saveSenderSettings(db, { tenantId: ids.b, actorUserId: ids.adminB, input: customSmtp, keys, now: at(40) });
    const changed = await reviewDetail(db, { tenantId: ids.b });
    expect(changed.state).toMatchObject({ status: "changed", changesSince: 1 });
    expect(changed.changes).toHaveLength(1);
    expect(changed.changes[0]!.fields).toEqual([{ field: "password", before: null, after: "[redacted]" }]);
    const text = JSON.stringify(changed);
    expect(text).not.toContain(NEW_SMTP_PASSWORD);
    expect(text).not.toContain(SMTP_PASSWORD);

    expect(await markReviewed(db, { actor: consultant, tenantId: ids.a, input: { note: "New plan checked." }, now: at(50) })).toMatchObject({ ok: true });
    const again = await reviewDetail(db, { tenantId: ids.a });
    expect(again.state).toMatchObject({ status: "reviewed", changesSince: 0, note: "New plan checked." });
    expect(again.changes).toEqual([]);
    expect(again.history.map((h) => h.note)).toEqual(["New plan checked.", "SPF fine, plan mild."]);
  });
});

forEachDatabase("review states for many tenants", (getDb, dialect) => {
  /** `n` tenants, each reviewed and then changed once (a sender save after the review). */
  async function reviewedTenants(n: number, tag: string): Promise<string[]> {
    const db = getDb();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const tenant = await createTenant(db, { slug: `many-${dialect}-${tag}-${i}`, name: `Many ${i}`, timezone: "UTC", locale: "en" });
      await db.orm.insert(db.t.tenantReviews).values({ id: crypto.randomUUID(), tenantId: tenant.id, reviewerId: null, note: null, reviewedAt: at(0) });
      if (i % 2 === 0) await writeAudit(db, { tenantId: tenant.id, actorUserId: null, action: "sender.save", details: {} }, at(1));
      ids.push(tenant.id);
    }
    return ids;
  }

  it("takes two statements whether it covers 3 or 30 tenants", async () => {
    for (const [n, tag] of [[3, "small"], [30, "large"]] as const) {
      const ids = await reviewedTenants(n, tag);
      const counting = countingStatements(getDb());
      const states = await reviewStates(counting.db, { tenantIds: ids });
      expect(counting.statements(), `${n} tenants`).toBe(2);
      expect([...states.values()].filter((s) => s.status === "changed")).toHaveLength(Math.ceil(n / 2));
      expect([...states.values()].filter((s) => s.status === "reviewed")).toHaveLength(Math.floor(n / 2));
    }
  });
});
