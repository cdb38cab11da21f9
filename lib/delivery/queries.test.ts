import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "../auth/policy";
import type { Db } from "../db";
import { getLearner } from "../learners/queries";
import { putAssignment, putLearner, putTraining } from "../learners/service";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { takeSendSlots } from "./limits";
import {
  decodeRowCursor,
  deliveriesPerDay,
  deliveryAttemptsOf,
  deliveryCounts,
  deliveryQueueView,
  encodeRowCursor,
  learnerUnsubscribes,
  listDeliveryRows,
  planChoices,
} from "./queries";

// Berlin: 2026-12-01 10:00 local. The tenant's local day runs 23:00Z → 23:00Z.
const now = new Date("2026-12-01T09:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
type Status = "planned" | "sending" | "retrying" | "deferred" | "sent" | "failed" | "cancelled";

const env = (relay = true) => ({
  sender: {
    profile: { noreplyAddresses: ["noreply@platform.example"], allowedPorts: [25, 465, 587] },
    policy: { allowPrivate: true, allowedPorts: [25, 465, 587] },
    relayUrl: relay ? "smtp://127.0.0.1:2525" : undefined,
    defaults: { ratePerMinute: 60, dailyQuota: 5000 },
  },
});

forEachDatabase("delivery read models", (db) => {
  let ids: TwoTenants;
  let learnerId = "";
  let otherLearnerId = "";
  let assignmentId = "";
  let planId = "";
  let otherPlanId = "";

  async function row(
    tenantId: string,
    p: { status: Status; dueAt: Date; sentAt?: Date; nextAttemptAt?: Date | null; lastAttemptAt?: Date; recipient?: string; learner?: string | null; plan?: string | null; extra?: Partial<Db["t"]["deliveries"]["$inferInsert"]> },
  ) {
    const id = crypto.randomUUID();
    await db().orm.insert(db().t.deliveries).values({
      id,
      tenantId,
      kind: "reminder",
      planId: p.plan === undefined ? (tenantId === ids.a ? planId : null) : p.plan,
      assignmentId: tenantId === ids.a && p.learner === undefined ? assignmentId : null,
      learnerId: p.learner === undefined ? (tenantId === ids.a ? learnerId : null) : p.learner,
      occurrence: null,
      recipient: p.recipient ?? "anna@firma.example",
      dueAt: p.dueAt,
      nextAttemptAt: p.nextAttemptAt === undefined ? p.dueAt : p.nextAttemptAt,
      status: p.status,
      attempts: p.status === "planned" ? 0 : 1,
      sentAt: p.sentAt ?? null,
      lastAttemptAt: p.lastAttemptAt ?? null,
      createdAt: now,
      updatedAt: now,
      ...p.extra,
    });
    return id;
  }

  async function plan(tenantId: string, trainingId: string, name: string) {
    const id = crypto.randomUUID();
    await db().orm.insert(db().t.reminderPlans).values({ id, tenantId, trainingId, name, active: true, schedule: {}, templates: {}, spamRisk: "low", createdAt: now, updatedAt: now });
    return id;
  }

  beforeAll(async () => {
    ids = await seedTwoTenants(db(), { prefix: "dq" });
    const tenant = { id: ids.a, timezone: "Europe/Berlin" };
    await putTraining(db(), { tenant, actor: CLI_ACTOR, externalId: "T", input: { name: "Brandschutz" }, now });
    await putLearner(db(), { tenant, actor: CLI_ACTOR, externalId: "L", input: { email: "anna@firma.example", firstName: "Anna", lastName: "Berg" }, now });
    await putLearner(db(), { tenant, actor: CLI_ACTOR, externalId: "M", input: { email: "max@firma.example", firstName: "Max", lastName: "Ost" }, now });
    await putAssignment(db(), { tenant, actor: CLI_ACTOR, learnerExternalId: "L", trainingExternalId: "T", input: { assignedAt: "2026-11-01T00:00:00Z" }, now });
    learnerId = (await getLearner(db(), { tenantId: ids.a, externalId: "L" }))!.id;
    otherLearnerId = (await getLearner(db(), { tenantId: ids.a, externalId: "M" }))!.id;
    const a = db().t.assignments;
    assignmentId = (await db().orm.select({ id: a.id }).from(a).where(eq(a.learnerId, learnerId)))[0]!.id;
    const t = db().t.trainings;
    const trainingId = (await db().orm.select({ id: t.id }).from(t).where(eq(t.tenantId, ids.a)))[0]!.id;
    planId = await plan(ids.a, trainingId, "Erinnerung Brandschutz");
    otherPlanId = await plan(ids.a, trainingId, "Zweiter Plan");

    // Yesterday (local 2026-11-30): 2 sent, 1 failed. Today: 1 sent at 00:30 local (23:30Z the day before!).
    await row(ids.a, { status: "sent", dueAt: new Date("2026-11-30T08:00:00Z"), sentAt: new Date("2026-11-30T08:00:05Z") });
    await row(ids.a, { status: "sent", dueAt: new Date("2026-11-30T08:00:00Z"), sentAt: new Date("2026-11-30T22:59:00Z") });
    await row(ids.a, { status: "failed", dueAt: new Date("2026-11-30T08:00:00Z"), lastAttemptAt: new Date("2026-11-30T08:00:09Z"), recipient: "weg@firma.example", extra: { failureClass: "recipient", lastErrorKind: "mailbox_unknown", lastReply: "550 5.1.1 <weg@firma.example>: user unknown" } });
    await row(ids.a, { status: "sent", dueAt: new Date("2026-11-30T23:30:00Z"), sentAt: new Date("2026-11-30T23:30:00Z") });
    // Due now (two, one of them retrying since 08:00), later today, tomorrow, in a week.
    await row(ids.a, { status: "planned", dueAt: new Date("2026-12-01T08:30:00Z") });
    await row(ids.a, { status: "retrying", dueAt: new Date("2026-12-01T07:00:00Z"), nextAttemptAt: new Date("2026-12-01T08:00:00Z"), learner: otherLearnerId, recipient: "max@firma.example", plan: otherPlanId });
    await row(ids.a, { status: "planned", dueAt: new Date("2026-12-01T15:00:00Z") });
    await row(ids.a, { status: "deferred", dueAt: new Date("2026-12-01T12:00:00Z"), nextAttemptAt: new Date("2026-12-01T23:00:00Z") });
    await row(ids.a, { status: "planned", dueAt: new Date("2026-12-08T08:00:00Z") });
    await row(ids.a, { status: "cancelled", dueAt: new Date("2026-12-02T08:00:00Z"), extra: { cancelReason: "completed" } });
    // Another tenant's rows must never show.
    await row(ids.b, { status: "sent", dueAt: new Date("2026-11-30T08:00:00Z"), sentAt: new Date("2026-11-30T08:00:00Z"), recipient: "b@b.example" });
    await row(ids.b, { status: "planned", dueAt: new Date("2026-12-01T08:00:00Z"), recipient: "b@b.example" });
  });

  it("counts per status, only the tenant's", async () => {
    expect(await deliveryCounts(db(), { tenantId: ids.a })).toEqual({ planned: 3, sending: 0, retrying: 1, deferred: 1, sent: 3, failed: 1, cancelled: 1 });
    expect(await deliveryCounts(db(), { tenantId: ids.b })).toMatchObject({ planned: 1, sent: 1, failed: 0 });
  });

  it("mails per local day: sent by send time, failed by last attempt, planned by next attempt, in the tenant's time zone", async () => {
    const days = await deliveriesPerDay(db(), { tenantId: ids.a, from: new Date(now.getTime() - 2 * DAY), days: 10, timezone: "Europe/Berlin" });
    expect(days).toHaveLength(10);
    expect(days[0]!.day).toBe("2026-11-29");
    const byDay = Object.fromEntries(days.map((d) => [d.day, [d.sent, d.failed, d.planned]]));
    expect(byDay["2026-11-29"]).toEqual([0, 0, 0]);
    expect(byDay["2026-11-30"]).toEqual([2, 1, 0]);
    // 23:30Z on the 30th is 00:30 on the 1st in Berlin; the deferred row waits for 00:00 on the 2nd.
    expect(byDay["2026-12-01"]).toEqual([1, 0, 3]);
    expect(byDay["2026-12-02"]).toEqual([0, 0, 1]);
    expect(byDay["2026-12-08"]).toEqual([0, 0, 1]);
    expect(days.reduce((n, d) => n + d.sent + d.failed + d.planned, 0)).toBe(9);
    // The same instants in UTC fall on other days.
    const utc = await deliveriesPerDay(db(), { tenantId: ids.a, from: new Date("2026-11-30T00:00:00Z"), days: 2, timezone: "UTC" });
    expect(utc.map((d) => [d.day, d.sent, d.failed, d.planned])).toEqual([
      ["2026-11-30", 3, 1, 0],
      ["2026-12-01", 0, 0, 4],
    ]);
  });

  it("lists newest due first, pages by keyset without repeats, filters and never shows another tenant", async () => {
    const all = await listDeliveryRows(db(), { tenantId: ids.a, filter: {}, limit: 100 });
    expect(all.items).toHaveLength(10);
    expect(all.nextCursor).toBeNull();
    const dues = all.items.map((r) => r.dueAt.getTime());
    expect([...dues].sort((x, y) => y - x)).toEqual(dues);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof listDeliveryRows>> = await listDeliveryRows(db(), { tenantId: ids.a, filter: {}, cursor, limit: 3 });
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual(all.items.map((r) => r.id));

    const failed = await listDeliveryRows(db(), { tenantId: ids.a, filter: { status: "failed" }, limit: 10 });
    expect(failed.items).toHaveLength(1);
    expect(failed.items[0]).toMatchObject({
      recipient: "weg@firma.example",
      learnerName: "Anna Berg",
      planName: "Erinnerung Brandschutz",
      trainingName: "Brandschutz",
      failureClass: "recipient",
      lastErrorKind: "mailbox_unknown",
      lastReply: "550 5.1.1 <weg@firma.example>: user unknown",
    });
    // The board's "bounced" link: refused addresses only, never another tenant's.
    expect((await listDeliveryRows(db(), { tenantId: ids.a, filter: { status: "failed", failureClass: "recipient" }, limit: 10 })).items.map((r) => r.recipient)).toEqual(["weg@firma.example"]);
    expect((await listDeliveryRows(db(), { tenantId: ids.a, filter: { failureClass: "recipient" }, limit: 10 })).items).toHaveLength(1);
    expect((await listDeliveryRows(db(), { tenantId: ids.a, filter: { failureClass: "sender" }, limit: 10 })).items).toHaveLength(0);
    expect((await listDeliveryRows(db(), { tenantId: ids.b, filter: { failureClass: "recipient" }, limit: 10 })).items).toHaveLength(0);
    expect((await listDeliveryRows(db(), { tenantId: ids.a, filter: { planId: otherPlanId }, limit: 10 })).items.map((r) => r.recipient)).toEqual(["max@firma.example"]);
    expect((await listDeliveryRows(db(), { tenantId: ids.a, filter: { learnerId: otherLearnerId }, limit: 10 })).items).toHaveLength(1);
    // A row naming only the assignment belongs to its learner too.
    const onlyAssignment = await row(ids.a, { status: "planned", dueAt: new Date("2026-12-09T08:00:00Z"), learner: null, extra: { assignmentId } });
    const anna = (await listDeliveryRows(db(), { tenantId: ids.a, filter: { learnerId }, limit: 20 })).items.map((r) => r.id);
    expect(anna).toHaveLength(10);
    expect(anna).toContain(onlyAssignment);
    await db().orm.delete(db().t.deliveries).where(eq(db().t.deliveries.id, onlyAssignment));
    expect((await listDeliveryRows(db(), { tenantId: ids.a, filter: { q: "MAX" }, limit: 10 })).items).toHaveLength(1);
    expect((await listDeliveryRows(db(), { tenantId: ids.a, filter: { q: "anna berg" }, limit: 10 })).items).toHaveLength(9);
    // LIKE wildcards in the search are text.
    expect((await listDeliveryRows(db(), { tenantId: ids.a, filter: { q: "%" }, limit: 10 })).items).toHaveLength(0);
    const window = await listDeliveryRows(db(), { tenantId: ids.a, filter: { from: new Date("2026-12-01T00:00:00Z"), to: new Date("2026-12-02T00:00:00Z") }, limit: 10 });
    expect(window.items).toHaveLength(4);
    // Another tenant's plan or learner id finds nothing.
    expect((await listDeliveryRows(db(), { tenantId: ids.b, filter: { planId }, limit: 10 })).items).toHaveLength(0);
    expect((await listDeliveryRows(db(), { tenantId: ids.b, filter: {}, limit: 10 })).items.map((r) => r.recipient)).toEqual(["b@b.example", "b@b.example"]);
  });

  it("a cursor round-trips and a forged one decodes to nothing", () => {
    const c = encodeRowCursor({ dueAt: now, id: "abc" });
    expect(decodeRowCursor(c)).toEqual({ dueAt: now, id: "abc" });
    expect(decodeRowCursor("!!")).toBeNull();
    expect(decodeRowCursor(Buffer.from("[1,2,3]").toString("base64url"))).toBeNull();
    expect(decodeRowCursor(Buffer.from('["x","y"]').toString("base64url"))).toBeNull();
  });

  it("attempts of a row in order, with the server's replies; none for another tenant", async () => {
    const id = await row(ids.a, { status: "retrying", dueAt: new Date("2026-11-20T08:00:00Z"), nextAttemptAt: new Date("2026-12-20T08:00:00Z") });
    const at = db().t.deliveryAttempts;
    for (const [attempt, reply] of [[2, "451 4.3.0 try later"], [1, "421 4.7.0 busy"]] as const) {
      await db().orm.insert(at).values({ id: crypto.randomUUID(), tenantId: ids.a, deliveryId: id, attempt, startedAt: now, finishedAt: now, outcome: "temporary", errorKind: "greylisted", smtpCode: Number(reply.slice(0, 3)), reply, ms: 12 });
    }
    const list = await deliveryAttemptsOf(db(), { tenantId: ids.a, deliveryId: id });
    expect(list.map((a) => [a.attempt, a.reply, a.smtpCode])).toEqual([
      [1, "421 4.7.0 busy", 421],
      [2, "451 4.3.0 try later", 451],
    ]);
    expect(await deliveryAttemptsOf(db(), { tenantId: ids.b, deliveryId: id })).toEqual([]);
    await db().orm.delete(db().t.deliveries).where(eq(db().t.deliveries.id, id));
  });

  describe("the queue", () => {
    it("without a sender: what is due, what comes later, and that the sender is missing", async () => {
      const q = await deliveryQueueView(db(), { tenantId: ids.a, now, env: env() });
      expect(q).toMatchObject({ dueNow: 2, later: 3, sentToday: 0, ratePerMinute: 60, dailyQuota: 5000, wait: { reason: "not_configured" }, eta: null, pause: null });
      expect(q.nextAt).toEqual(new Date("2026-12-01T15:00:00Z"));
    });

    it("a ready sender: the ETA under its limits; over the quota it waits until local midnight; a pause says so", async () => {
      await db().orm.insert(db().t.senderSettings).values({ tenantId: ids.a, mode: "platform", displayName: "A", replyTo: "hr@firma.example", noreplyAddress: "noreply@platform.example", ratePerMinute: 1, dailyQuota: 2, updatedAt: now });
      let q = await deliveryQueueView(db(), { tenantId: ids.a, now, env: env() });
      expect(q.wait).toEqual({ reason: "rate" });
      expect(q.eta).not.toBeNull();
      expect(q.eta!.finishAt.getTime()).toBeGreaterThan(now.getTime());

      // Without the platform relay the platform mode is not ready.
      expect((await deliveryQueueView(db(), { tenantId: ids.a, now, env: env(false) })).wait).toEqual({ reason: "not_ready", reasons: ["relay_missing"] });

      // The quota counts the send slots the workers took today (lib/delivery/limits.ts), one so far.
      await takeSendSlots(db(), { tenantId: ids.a, want: 1, ratePerMinute: 10, dailyQuota: 2, timezone: "Europe/Berlin", now: new Date("2026-12-01T08:00:00Z") });
      expect((await deliveryQueueView(db(), { tenantId: ids.a, now, env: env() })).sentToday).toBe(1);
      await takeSendSlots(db(), { tenantId: ids.a, want: 1, ratePerMinute: 10, dailyQuota: 2, timezone: "Europe/Berlin", now: new Date("2026-12-01T08:30:00Z") });
      q = await deliveryQueueView(db(), { tenantId: ids.a, now, env: env() });
      expect(q.sentToday).toBe(2);
      expect(q.wait).toEqual({ reason: "quota", until: new Date("2026-12-01T23:00:00Z") });

      const pauseId = crypto.randomUUID();
      await db().orm.insert(db().t.sendingPauses).values({ id: pauseId, tenantId: ids.a, errorKind: "auth_failed", reply: "535 5.7.8 Authentication failed", pausedAt: now });
      q = await deliveryQueueView(db(), { tenantId: ids.a, now, env: env() });
      expect(q.wait).toEqual({ reason: "paused" });
      expect(q.eta).toBeNull();
      expect(q.pause).toMatchObject({ id: pauseId, errorKind: "auth_failed", reply: "535 5.7.8 Authentication failed" });
      expect((await deliveryQueueView(db(), { tenantId: ids.b, now, env: env() })).pause).toBeNull();
      await db().orm.update(db().t.sendingPauses).set({ resumedAt: now }).where(eq(db().t.sendingPauses.id, pauseId));
      expect((await deliveryQueueView(db(), { tenantId: ids.a, now, env: env() })).pause).toBeNull();
    });
  });

  it("unsubscribes of a learner with the plan's name; plan choices of the tenant", async () => {
    await db().orm.insert(db().t.unsubscribes).values({ id: crypto.randomUUID(), tenantId: ids.a, planId, learnerId, via: "one_click", createdAt: now });
    expect(await learnerUnsubscribes(db(), { tenantId: ids.a, learnerId })).toEqual([{ planId, planName: "Erinnerung Brandschutz", via: "one_click", createdAt: now }]);
    expect(await learnerUnsubscribes(db(), { tenantId: ids.b, learnerId })).toEqual([]);
    expect((await planChoices(db(), { tenantId: ids.a })).map((p) => p.name)).toEqual(["Erinnerung Brandschutz", "Zweiter Plan"]);
    expect(await planChoices(db(), { tenantId: ids.b })).toEqual([]);
  });
});
