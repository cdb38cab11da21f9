import { beforeAll, expect, it } from "vitest";
import { listAudit } from "../audit/log";
import { appActor, CLI_ACTOR } from "../auth/policy";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { defaultTemplateSet } from "./defaults";
import { getPlan, listPlans } from "./queries";
import { savePlan, saveTraining } from "./service";

const now = new Date("2026-12-01T09:00:00Z");

function planInput(trainingId: string, extra: Record<string, unknown> = {}) {
  return {
    trainingId,
    name: "Plan",
    active: true,
    anchor: "fixed",
    offsetDays: 0,
    startDate: "2027-01-04",
    sendTime: "09:00",
    repeatEveryDays: 7,
    endDate: "2027-01-31",
    maxSends: 3,
    weekdaysOnly: false,
    escalateAfterSends: null,
    digestWeekday: null,
    digestTime: null,
    templates: defaultTemplateSet(),
    confirmHighRisk: false,
    ...extra,
  };
}

/** 20 reminders every second day: high alone. */
const TWENTY = { startDate: "2027-02-01", repeatEveryDays: 2, endDate: "2027-03-31", maxSends: 20 };

forEachDatabase("reminder use cases", (db) => {
  let ids: TwoTenants;
  let tenantA: { id: string; timezone: string };
  let admin: ReturnType<typeof appActor>;
  let trainingId = "";

  beforeAll(async () => {
    ids = await seedTwoTenants(db(), { prefix: "svc" });
    tenantA = { id: ids.a, timezone: "Europe/Berlin" };
    admin = appActor({ id: ids.adminA, role: "admin" });
    const t = await saveTraining(db(), { tenant: tenantA, actor: admin, input: { name: "Fire safety", externalId: "FS-1" }, now });
    if (!t.ok) throw new Error(t.code);
    trainingId = t.data.id;
  });

  it("refuses a trainer, whatever the caller (the policy is in the use case)", async () => {
    const trainer = appActor({ id: ids.trainerA, role: "trainer" });
    expect(await saveTraining(db(), { tenant: tenantA, actor: trainer, input: { name: "X" }, now })).toEqual({ ok: false, code: "forbidden" });
    expect(await savePlan(db(), { tenant: tenantA, actor: trainer, input: planInput(trainingId), now })).toEqual({ ok: false, code: "forbidden" });
  });

  it("a duplicate external id is a field error on externalId, in both languages, and saves nothing", async () => {
    const dup = await saveTraining(db(), { tenant: tenantA, actor: admin, input: { name: "Other", externalId: "FS-1" }, now });
    expect(dup).toEqual({
      ok: false,
      code: "duplicate",
      fieldErrors: {
        externalId: {
          de: "Eine andere Schulung dieses Mandanten hat schon diese externe ID.",
          en: "Another training of this tenant already has this external ID.",
        },
      },
    });
    // The same external id in another tenant is fine.
    const inB = await saveTraining(db(), {
      tenant: { id: ids.b, timezone: "UTC" },
      actor: CLI_ACTOR,
      input: { name: "B's", externalId: "FS-1" },
      now,
    });
    expect(inB.ok).toBe(true);
  });

  it("invalid input names the field and writes nothing", async () => {
    const before = (await listAudit(db(), { tenantId: ids.a, limit: 100 })).length;
    const bad = await savePlan(db(), { tenant: tenantA, actor: admin, input: planInput(trainingId, { sendTime: "25:00", name: "" }), now });
    expect(bad).toMatchObject({ ok: false, code: "invalid" });
    expect(!bad.ok && bad.fieldErrors?.sendTime?.en).toBe("Please enter a time as HH:MM.");
    expect(!bad.ok && bad.fieldErrors?.name?.de).toBe("Bitte ausfüllen.");
    expect((await listAudit(db(), { tenantId: ids.a, limit: 100 })).length).toBe(before);
  });

  it("saves a calm plan and audits it with the meter's verdict and the actor", async () => {
    const saved = await savePlan(db(), { tenant: tenantA, actor: admin, input: planInput(trainingId, { name: "Gentle" }), now });
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect(saved.data.spam).toMatchObject({ plans: 1, risk: { level: "low", mails: 3 } });
    const [entry] = await listAudit(db(), { tenantId: ids.a, action: "reminderPlan.create" });
    expect(entry).toMatchObject({ actorUserId: ids.adminA, targetType: "reminderPlan", targetId: saved.data.id });
    expect(entry?.details).toMatchObject({ name: "Gentle", spamRisk: "low", spamRiskAlone: "low", activePlans: 1, trainingId });
    expect((entry?.details as { schedule: { timezone: string } }).schedule.timezone).toBe("Europe/Berlin");
  });

  it("a second active plan with 20 mails is rated with the first: 3 + 20 = 23, high, refused without confirmation", async () => {
    const refused = await savePlan(db(), { tenant: tenantA, actor: admin, input: planInput(trainingId, { name: "Busy", ...TWENTY }), now });
    expect(refused).toMatchObject({ ok: false, code: "highRiskUnconfirmed" });
    expect(!refused.ok && refused.fieldErrors?.confirmHighRisk?.en).toContain("high spam risk");
    expect((await listPlans(db(), { tenantId: ids.a, trainingIds: [trainingId] })).map((p) => p.name)).toEqual(["Gentle"]);

    const saved = await savePlan(db(), {
      tenant: tenantA,
      actor: CLI_ACTOR,
      input: planInput(trainingId, { name: "Busy", ...TWENTY, confirmHighRisk: true }),
      now,
    });
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect(saved.data.spam).toMatchObject({ plans: 2, risk: { level: "high", mails: 23 }, alone: { level: "high", mails: 20 } });
    expect(await getPlan(db(), { tenantId: ids.a, planId: saved.data.id })).toMatchObject({
      spamRisk: "high",
      highRiskConfirmedBy: null,
      highRiskConfirmedAt: now,
    });
    const [confirmed] = await listAudit(db(), { tenantId: ids.a, action: "reminderPlan.highRiskConfirmed" });
    expect(confirmed).toMatchObject({ actorUserId: null, targetId: saved.data.id });
    expect(confirmed?.details).toMatchObject({ level: "high", mails: 23, activePlans: 2, via: "cli" });
  });

  it("the low plan alone becomes high once another active plan adds 20 mails; an inactive plan counts nothing", async () => {
    const plans = await listPlans(db(), { tenantId: ids.a, trainingIds: [trainingId] });
    const gentle = plans.find((p) => p.name === "Gentle")!;
    const resave = await savePlan(db(), { tenant: tenantA, actor: admin, input: planInput(trainingId, { id: gentle.id, name: "Gentle" }), now });
    expect(resave).toMatchObject({ ok: false, code: "highRiskUnconfirmed" });
    expect(!resave.ok && (resave.details?.spam as { risk: { mails: number } }).risk.mails).toBe(23);

    const off = await savePlan(db(), {
      tenant: tenantA,
      actor: admin,
      input: planInput(trainingId, { id: gentle.id, name: "Gentle", active: false }),
      now,
    });
    expect(off).toMatchObject({ ok: true, data: { spam: { plans: 1, risk: { level: "low", mails: 3 } } } });
  });

  it("reports overlapping active plans of the training", async () => {
    const saved = await savePlan(db(), {
      tenant: tenantA,
      actor: admin,
      input: planInput(trainingId, { name: "Overlap", startDate: "2027-03-01", endDate: "2027-03-31", maxSends: 2, confirmHighRisk: true }),
      now,
    });
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect(saved.data.spam.overlapping.map((o) => o.name)).toEqual(["Busy"]);
  });

  it("a plan id or training of another tenant is not found / a field error", async () => {
    const otherTraining = await saveTraining(db(), { tenant: { id: ids.b, timezone: "UTC" }, actor: CLI_ACTOR, input: { name: "B" }, now });
    if (!otherTraining.ok) throw new Error(otherTraining.code);
    const viaTraining = await savePlan(db(), { tenant: tenantA, actor: admin, input: planInput(otherTraining.data.id), now });
    expect(viaTraining).toMatchObject({ ok: false, code: "invalid", fieldErrors: { trainingId: { en: "Please choose one of this tenant's trainings." } } });
    const [planOfA] = await listPlans(db(), { tenantId: ids.a, trainingIds: [trainingId] });
    const fromB = await savePlan(db(), {
      tenant: { id: ids.b, timezone: "UTC" },
      actor: CLI_ACTOR,
      input: planInput(otherTraining.data.id, { id: planOfA!.id }),
      now,
    });
    expect(fromB).toEqual({ ok: false, code: "notFound" });
  });
});

