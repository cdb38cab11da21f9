import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CLI_ACTOR } from "../auth/policy";
import type { Db } from "../db";
import { recordCompletion } from "../learners/service";
import { forEachDatabase } from "../testing/databases";
import { seedDeliveryTenant, testDeliveryEnvironment, type DeliveryTenant } from "../testing/delivery";
import { startMailSink, type MailSink } from "../testing/mail-sink";
import { DAY_SCOPE } from "./limits";
import { claimDue, releaseClaims, type DeliveryRow } from "./outbox";
import { getSenderSettings, setLastTest } from "../sender/queries";
import { senderSettingsSchema } from "../sender/sender-schema";
import { saveSenderSettings } from "../sender/service";
import { getOpenPause } from "./pause";
import { runWorkerOnce, startWorker, type WorkerOptions } from "./worker";
import { plainSmtpForm } from "../testing/sender-forms";

// The worker against a real loopback SMTP server and both databases: what is due goes
// once, with its Message-ID; a completion that arrives after the claim stops the mail;
// the tenant's rate and daily quota hold; a temporary failure retries on the backoff.

let sink: MailSink;
beforeAll(async () => {
  sink = await startMailSink();
});
afterAll(async () => {
  await sink?.close();
});

const T = new Date("2026-12-07T08:00:00Z");
const at = (minutes: number) => new Date(T.getTime() + minutes * 60_000);

function options(now: Date, extra: Partial<WorkerOptions> = {}): WorkerOptions {
  return { env: testDeliveryEnvironment(sink.port), clock: () => now, log: () => {}, random: () => 0.5, ...extra };
}

async function rowsOf(db: Db, tenant: DeliveryTenant): Promise<DeliveryRow[]> {
  const d = db.t.deliveries;
  return db.orm.select().from(d).where(eq(d.tenantId, tenant.tenantId)).orderBy(asc(d.recipient));
}

function mailsTo(tenant: DeliveryTenant) {
  return sink.mails.filter((m) => m.to.some((t) => t.endsWith(`@${tenant.slug}.example`)));
}

forEachDatabase("delivery worker", (db, dialect) => {
  it("sends every due reminder once, with the row's Message-ID, and records the attempt", async () => {
    const tenant = await seedDeliveryTenant(db(), { slug: `send-${dialect}`, relayPort: sink.port, dueAt: T });
    await tenant.addLearners(5);
    expect(await runWorkerOnce(db(), options(at(-1)))).toMatchObject({ sent: 0 });
    expect(await runWorkerOnce(db(), options(at(1)))).toEqual({ sent: 5, failed: 0, retrying: 0, deferred: 0, cancelled: 0 });
    expect(await runWorkerOnce(db(), options(at(2)))).toMatchObject({ sent: 0 });
    const rows = await rowsOf(db(), tenant);
    expect(rows.map((r) => [r.status, r.attempts, r.leaseOwner])).toEqual(Array(5).fill(["sent", 1, null]));
    expect(rows.map((r) => [r.firstAttemptAt?.toISOString(), r.sentAt?.toISOString()])).toEqual(Array(5).fill([at(1).toISOString(), at(1).toISOString()]));
    const mails = mailsTo(tenant);
    expect(mails).toHaveLength(5);
    expect(new Set(mails.map((m) => m.messageId))).toEqual(new Set(rows.map((r) => r.messageId)));
    expect(mails.every((m) => m.from === "noreply@platform.example")).toBe(true);
    const attempts = await db().orm.select().from(db().t.deliveryAttempts).where(eq(db().t.deliveryAttempts.tenantId, tenant.tenantId));
    expect(attempts.map((a) => [a.outcome, a.attempt, a.smtpCode])).toEqual(Array(5).fill(["sent", 1, 250]));
    expect(rows[0]!.lastReply).toMatch(/^250 /);
  });

  it("a completion that arrives while the reminder is claimed: not sent, cancelled as completed", async () => {
    const tenant = await seedDeliveryTenant(db(), { slug: `done-${dialect}`, relayPort: sink.port, dueAt: T });
    await tenant.addLearners(2);
    const counts = await runWorkerOnce(
      db(),
      options(at(1), {
        onClaimed: async (rows) => {
          expect(rows.map((r) => r.status)).toEqual(["sending", "sending"]);
          const completed = await recordCompletion(db(), {
            tenant: { id: tenant.tenantId, timezone: "UTC" },
            actor: CLI_ACTOR,
            input: { learnerExternalId: "L1", trainingExternalId: tenant.trainingExternalId, completedAt: at(0).toISOString() },
            now: at(1),
          });
          expect(completed.ok).toBe(true);
        },
      }),
    );
    expect(counts).toMatchObject({ sent: 1, cancelled: 1 });
    const rows = await rowsOf(db(), tenant);
    expect(rows.map((r) => [r.recipient, r.status, r.cancelReason])).toEqual([
      [`learner1@${tenant.slug}.example`, "cancelled", "completed"],
      [`learner2@${tenant.slug}.example`, "sent", null],
    ]);
    expect(mailsTo(tenant).map((m) => m.to[0])).toEqual([`learner2@${tenant.slug}.example`]);
  });

  it("a worker whose lease ran out before the hand-over (starved, renewals failed) sends nothing: the worker that took the rows over is the only one", async () => {
    const tenant = await seedDeliveryTenant(db(), { slug: `lapsed-${dialect}`, relayPort: sink.port, dueAt: T });
    await tenant.addLearners(3);
    const leaseMs = 120_000;
    let now = at(1);
    let takenOver: DeliveryRow[] = [];
    const counts = await runWorkerOnce(
      db(),
      options(at(1), {
        clock: () => now,
        leaseMs,
        // Between its claim and the hand-over this worker stands still for a whole lease,
        // and another worker takes the rows over, as it may once a lease has run out.
        onClaimed: async () => {
          if (takenOver.length > 0) return;
          now = new Date(at(1).getTime() + leaseMs + 1_000);
          takenOver = await claimDue(db(), { workerId: "other", now, leaseMs, limit: 10, tenantId: tenant.tenantId });
        },
      }),
    );
    expect(takenOver).toHaveLength(3);
    expect(counts.sent).toBe(0);
    expect(mailsTo(tenant)).toHaveLength(0);
    const rows = await rowsOf(db(), tenant);
    expect(rows.map((r) => [r.status, r.leaseOwner])).toEqual(Array(3).fill(["sending", "other"]));
    // The other worker gives them back (as on SIGTERM); the next tick sends each once.
    expect(await releaseClaims(db(), { workerId: "other", now })).toBe(3);
    expect(await runWorkerOnce(db(), options(new Date(now.getTime() + 60_000)))).toMatchObject({ sent: 3 });
    expect(mailsTo(tenant)).toHaveLength(3);
  });

  it("the tenant's rate per minute holds: 7 due at 3/min go 3, 0 (same minute), 3, 1", async () => {
    const tenant = await seedDeliveryTenant(db(), { slug: `rate-${dialect}`, relayPort: sink.port, dueAt: T, ratePerMinute: 3 });
    await tenant.addLearners(7);
    const sent = [];
    for (const now of [at(1), new Date(at(1).getTime() + 30_000), at(2), at(3), at(4)]) sent.push((await runWorkerOnce(db(), options(now))).sent);
    expect(sent).toEqual([3, 0, 3, 1, 0]);
    expect(mailsTo(tenant)).toHaveLength(7);
    expect((await rowsOf(db(), tenant)).every((r) => r.status === "sent")).toBe(true);
  });

  it("over the daily quota the rest waits for the next local midnight, visibly deferred", async () => {
    const tenant = await seedDeliveryTenant(db(), {
      slug: `quota-${dialect}`,
      relayPort: sink.port,
      dueAt: T,
      dailyQuota: 4,
      timezone: "Europe/Berlin",
    });
    await tenant.addLearners(6);
    expect(await runWorkerOnce(db(), options(at(1)))).toMatchObject({ sent: 4, deferred: 2 });
    const waiting = (await rowsOf(db(), tenant)).filter((r) => r.status !== "sent");
    // 08:01 UTC on 7 December is 09:01 in Berlin: the next local midnight is 23:00 UTC.
    expect(waiting.map((r) => [r.status, r.nextAttemptAt?.toISOString()])).toEqual(Array(2).fill(["deferred", "2026-12-07T23:00:00.000Z"]));
    expect(await runWorkerOnce(db(), options(new Date("2026-12-07T22:59:00Z")))).toMatchObject({ sent: 0 });
    expect(await runWorkerOnce(db(), options(new Date("2026-12-07T23:00:30Z")))).toMatchObject({ sent: 2, deferred: 0 });
    const r = db().t.rateLimits;
    const day = await db().orm.select().from(r).where(and(eq(r.scope, DAY_SCOPE), eq(r.key, tenant.tenantId)));
    expect(day.map((x) => [x.windowStart.toISOString(), x.count])).toEqual([["2026-12-07T23:00:00.000Z", 2]]);
  });

  it("a temporary refusal (451) retries on the backoff and then goes", async () => {
    const tenant = await seedDeliveryTenant(db(), { slug: `tmp-${dialect}`, relayPort: sink.port, dueAt: T });
    await tenant.addLearners(1);
    sink.answer = (rcpt) => (rcpt.endsWith(`@${tenant.slug}.example`) ? { code: 451, message: "4.3.0 Try again later" } : null);
    try {
      expect(await runWorkerOnce(db(), options(at(1)))).toMatchObject({ sent: 0, retrying: 1 });
    } finally {
      sink.answer = null;
    }
    const [row] = await rowsOf(db(), tenant);
    expect(row).toMatchObject({ status: "retrying", failureClass: "temporary", attempts: 1 });
    expect(row!.lastReply).toContain("451");
    expect(row!.nextAttemptAt!.getTime()).toBeGreaterThan(at(1).getTime());
    expect(await runWorkerOnce(db(), options(new Date(row!.nextAttemptAt!.getTime() - 1_000)))).toMatchObject({ sent: 0 });
    expect(await runWorkerOnce(db(), options(row!.nextAttemptAt!))).toMatchObject({ sent: 1 });
    const attempts = await db().orm.select().from(db().t.deliveryAttempts).where(eq(db().t.deliveryAttempts.deliveryId, row!.id));
    expect(attempts.map((a) => [a.attempt, a.outcome, a.smtpCode]).sort()).toEqual([
      [1, "temporary", 451],
      [2, "sent", 250],
    ]);
  });

  it("a claim is a lease: others skip it, it can be taken over once it ran out (recorded as interrupted), and a release gives it back", async () => {
    const tenant = await seedDeliveryTenant(db(), { slug: `lease-${dialect}`, relayPort: sink.port, dueAt: T });
    await tenant.addLearners(3);
    const a = await claimDue(db(), { workerId: "A", now: at(1), leaseMs: 60_000, limit: 2, tenantId: tenant.tenantId });
    expect(a.map((r) => [r.status, r.attempts, r.leaseOwner])).toEqual(Array(2).fill(["sending", 1, "A"]));
    const b = await claimDue(db(), { workerId: "B", now: at(1), leaseMs: 60_000, limit: 10, tenantId: tenant.tenantId });
    expect(b).toHaveLength(1);
    // A died: after its lease, C takes both over.
    const c = await claimDue(db(), { workerId: "C", now: at(3), leaseMs: 60_000, limit: 10, tenantId: tenant.tenantId });
    expect(c.map((r) => [r.leaseOwner, r.attempts]).sort()).toEqual([["C", 2], ["C", 2], ["C", 2]].slice(0, c.length));
    expect(c).toHaveLength(3);
    const interrupted = await db().orm.select().from(db().t.deliveryAttempts).where(eq(db().t.deliveryAttempts.tenantId, tenant.tenantId));
    expect(interrupted.map((x) => [x.outcome, x.attempt, x.workerId]).sort()).toEqual([
      ["interrupted", 1, "A"],
      ["interrupted", 1, "A"],
      ["interrupted", 1, "B"],
    ]);
    expect(await releaseClaims(db(), { workerId: "A", now: at(3) })).toBe(0);
    expect(await releaseClaims(db(), { workerId: "C", now: at(3) })).toBe(3);
    expect((await rowsOf(db(), tenant)).map((r) => [r.status, r.attempts, r.leaseOwner])).toEqual(Array(3).fill(["retrying", 1, null]));
    expect(await runWorkerOnce(db(), options(at(4)))).toMatchObject({ sent: 3 });
  });

  it("the continuous worker sends as rows fall due, logs a health line, keeps a heartbeat row and stops cleanly", async () => {
    const tenant = await seedDeliveryTenant(db(), { slug: `run-${dialect}`, relayPort: sink.port, dueAt: T });
    await tenant.addLearners(3);
    const lines: string[] = [];
    const worker = startWorker(db(), { ...options(at(1), { log: (l) => lines.push(l), workerId: `loop-${dialect}` }), pollMs: 50, healthEveryMs: 300 });
    try {
      const until = Date.now() + 10_000;
      while (Date.now() < until && !lines.some((l) => /^health due=\d+ sent=\d+ failed=\d+ .*paused_tenants=\d+/.test(l) && !/ sent=0 /.test(l))) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(lines.find((l) => l.startsWith("health ") && !/ sent=0 /.test(l))).toMatch(/^health due=\d+ sent=3 failed=0 retrying=0 deferred=0 cancelled=0 paused_tenants=0 /);
      const h = db().t.workerHeartbeats;
      const [beat] = await db().orm.select().from(h).where(eq(h.id, `loop-${dialect}`));
      expect(beat).toMatchObject({ stoppedAt: null, pid: process.pid });
    } finally {
      await worker.stop();
    }
    expect((await rowsOf(db(), tenant)).every((r) => r.status === "sent")).toBe(true);
    const h = db().t.workerHeartbeats;
    const [beat] = await db().orm.select().from(h).where(eq(h.id, `loop-${dialect}`));
    expect(beat!.stoppedAt).not.toBeNull();
    expect(lines.at(-1)).toMatch(/^worker loop-\w+ stopped/);
  });

  it("an own SMTP server on an address the platform refuses (loopback, no private hosts allowed): nothing connects, the tenant pauses with the reason", async () => {
    const tenant = await seedDeliveryTenant(db(), { slug: `ssrf-${dialect}`, relayPort: sink.port, dueAt: T });
    await tenant.addLearners(2);
    const env = testDeliveryEnvironment(sink.port);
    const input = senderSettingsSchema(env.sender.profile).parse(plainSmtpForm({ host: "127.0.0.1", port: sink.port }));
    await saveSenderSettings(db(), { tenantId: tenant.tenantId, actorUserId: null, via: "cli", input, keys: env.keys, now: T });
    const stored = await getSenderSettings(db(), { tenantId: tenant.tenantId });
    await setLastTest(db(), { tenantId: tenant.tenantId, lastTest: { kind: "connection", ok: true, at: T.toISOString(), ms: 5 }, testedVersion: stored!.updatedAt });
    const connections = sink.connections;
    const strict = { ...env, sender: { ...env.sender, policy: { allowPrivate: false, allowedPorts: [sink.port] } } };
    const counts = await runWorkerOnce(db(), { ...options(at(1)), env: strict });
    expect(counts).toMatchObject({ sent: 0, failed: 0, retrying: 2 });
    expect(sink.connections).toBe(connections);
    expect(await getOpenPause(db(), { tenantId: tenant.tenantId })).toMatchObject({ errorKind: "refused_host" });
    // Kept for the resume: due again at once, not failed.
    const rows = await rowsOf(db(), tenant);
    expect(rows.map((r) => [r.status, r.failureClass, r.lastErrorKind, r.leaseOwner])).toEqual(Array(2).fill(["retrying", "sender", "refused_host", null]));
    expect(rows[0]!.lastReply).toMatch(/^Refused before connecting/);
    expect(await runWorkerOnce(db(), { ...options(at(2)), env: strict })).toMatchObject({ sent: 0, retrying: 0 });
  });
});
