import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as apiKeys from "../api-keys/service";
import { appActor, CLI_ACTOR } from "../auth/policy";
import type { Db } from "../db";
import * as domainCheck from "../domain-check/service";
import * as pause from "../delivery/pause";
import * as suppressions from "../delivery/suppressions";
import * as unsubscribe from "../delivery/unsubscribe";
import * as learnerImport from "../learners/import";
import * as learners from "../learners/service";
import * as reminders from "../reminders/service";
import { defaultTemplateSet } from "../reminders/defaults";
import * as review from "../review/reviews";
import * as sender from "../sender/service";
import * as tenants from "../tenants/service";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import * as users from "../users/service";

/**
 * Every exported function of the use-case modules, sorted: a mutating use case this test
 * calls (and counts its audit entries), a read, an internal step of another use case, or a
 * use case another test covers because it needs a network part (DNS, SMTP) set up.
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

/** Mutating, but they need the loopback DNS / SMTP servers or a mailed code: covered by their own module tests. */
const NEEDS_NETWORK = [
  "domainCheck.startDomainCheck", "domainCheck.createDkimKey", "domainCheck.sendInstructions",
  "sender.saveSenderSettings", "sender.requestAddressProof", "sender.verifyAddressProof", "sender.runSmtpCheck",
  // The worker's re-checks (lib/monitoring/rechecks.test.ts): audited only when green turns red or back.
  "domainCheck.runScheduledDomainCheck", "sender.runScheduledSmtpCheck",
  "pause.resumeTenantSending", "unsubscribe.unsubscribe",
  "learnerImport.uploadImport", "learnerImport.checkImport", "learnerImport.runImport",
];

describe("use-case inventory", () => {
  it("sorts every exported function of the use-case modules", () => {
    const exported = Object.entries(MODULES).flatMap(([name, mod]) =>
      Object.entries(mod)
        .filter(([, v]) => typeof v === "function" && !/^[A-Z]/.test(v.name))
        .map(([fn]) => `${name}.${fn}`),
    );
    const sorted = new Set<string>([...EXERCISED, ...READS, ...INTERNAL, ...NEEDS_NETWORK]);
    expect(exported.filter((e) => !sorted.has(e)).sort()).toEqual([]);
    expect([...sorted].filter((s) => !exported.includes(s)).sort()).toEqual([]);
  });
});

async function auditRows(db: Db): Promise<number> {
  const [row] = await db.orm.select({ n: count() }).from(db.t.auditLog);
  return Number(row?.n ?? 0);
}

function ok<T>(outcome: { ok: true; data: T } | { ok: false; code: string }): T {
  if (!outcome.ok) throw new Error(`use case failed: ${JSON.stringify(outcome)}`);
  return outcome.data;
}

forEachDatabase("every mutating use case writes exactly one audit entry", (db) => {
  let ids: TwoTenants;
  const now = new Date("2026-11-02T09:00:00Z");
  const called = new Set<string>();

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
    await once("apiKeys.revokeApiKey", () => apiKeys.revokeApiKey(d, { tenantId: ids.a, actor: admin, keyId: key.id, now }));
    await once("tenants.createTenant", () => tenants.createTenant(d, { actor: CLI_ACTOR, input: { slug: "onentry-c", name: "C", timezone: "UTC", locale: "en" }, now }));
    const user = ok(
      await once("users.createTenantUser", () =>
        users.createTenantUser(d, { tenantId: ids.a, actor: admin, input: { email: "t2@onentry.example", name: "T2", role: "trainer", password: "a-long-password" } }),
      ),
    );
    await once("users.createConsultant", () => users.createConsultant(d, { actor: CLI_ACTOR, input: { email: "c2@onentry.example", name: "C2", password: "a-long-password" } }));
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

    expect([...called].sort()).toEqual([...EXERCISED].sort());
  });
});
