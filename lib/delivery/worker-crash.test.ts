import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db";
import { createTestDb, dialectsUnderTest, type TestDb } from "../testing/databases";
import { seedDeliveryTenant, workerProcessEnv, type DeliveryTenant } from "../testing/delivery";
import { startMailSink, type MailSink } from "../testing/mail-sink";
import { spawnWorker, waitUntil } from "../testing/worker-process";

// Crash tests: real `postillion worker` processes, SIGKILLed at each dangerous moment —
// after claiming, during DATA, after the server's 250 but before the outcome is written,
// during the backoff — then a new worker. Every due mail must arrive at least once; a
// second copy only in the post-250 case, with the same Message-ID. And SIGTERM: the mails
// handed over are finished, the rest given back, exit 0.

const T = new Date("2026-12-07T08:00:00Z");
const iso = (minutes: number) => new Date(T.getTime() + minutes * 60_000).toISOString();
const N = 5;

const tally: { scenario: string; dialect: string; due: number; arrived: number; lost: number; duplicates: number }[] = [];

let sink: MailSink;
beforeAll(async () => {
  sink = await startMailSink();
});
afterAll(async () => {
  await sink?.close();
  if (tally.length > 0) {
    const sum = (k: "lost" | "duplicates") => tally.reduce((n, t) => n + t[k], 0);
    console.log(
      `crash tests: ${tally.length} runs, ${tally.reduce((n, t) => n + t.due, 0)} due mails, lost ${sum("lost")}, duplicates ${sum("duplicates")}\n` +
        tally.map((t) => `  ${t.dialect} ${t.scenario}: due ${t.due}, arrived ${t.arrived}, lost ${t.lost}, duplicates ${t.duplicates}`).join("\n"),
    );
  }
});

for (const dialect of await dialectsUnderTest()) {
  describe(`worker crashes [${dialect}]`, () => {
    let handle: TestDb;
    let dataDir: string;
    const db = (): Db => handle.db;
    const env = () => workerProcessEnv({ databaseUrl: handle.url, relayPort: sink.port, dataDir });

    beforeAll(async () => {
      handle = await createTestDb(dialect);
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "postillion-crash-"));
    });
    afterAll(async () => {
      await handle?.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    async function statuses(tenant: DeliveryTenant): Promise<string[]> {
      const d = db().t.deliveries;
      return (await db().orm.select({ s: d.status }).from(d).where(eq(d.tenantId, tenant.tenantId))).map((r) => r.s);
    }

    /** Restart: one worker --once later; then every row is sent and the sink's copies are counted. */
    async function restartAndCount(scenario: string, tenant: DeliveryTenant, at: string) {
      const again = spawnWorker(["--once", "--json", "--now", at], env());
      const { code } = await again.exited;
      expect(code, again.output()).toBe(0);
      const d = db().t.deliveries;
      const rows = await db().orm.select().from(d).where(eq(d.tenantId, tenant.tenantId));
      expect(rows.map((r) => r.status)).toEqual(Array(N).fill("sent"));
      const copies = sink.mails.filter((m) => m.to[0]!.endsWith(`@${tenant.slug}.example`));
      const byId = new Map<string, number>();
      for (const m of copies) byId.set(m.messageId ?? "", (byId.get(m.messageId ?? "") ?? 0) + 1);
      // Every copy carries its row's Message-ID; each row's mail arrived.
      expect(new Set(byId.keys())).toEqual(new Set(rows.map((r) => r.messageId)));
      const lost = rows.filter((r) => !byId.has(r.messageId ?? "")).length;
      const duplicates = copies.length - byId.size;
      tally.push({ scenario, dialect, due: N, arrived: byId.size, lost, duplicates });
      return { lost, duplicates, maxCopies: Math.max(...byId.values()) };
    }

    /** Arms the sink, starts a worker, SIGKILLs it once `ready` holds, disarms the sink. */
    async function killWhen(p: { args: string[]; env?: Record<string, string>; arm?: () => void; disarm?: () => void; ready: (w: ReturnType<typeof spawnWorker>) => Promise<boolean>; what: string }) {
      p.arm?.();
      const w = spawnWorker(p.args, { ...env(), ...p.env });
      try {
        await waitUntil(() => p.ready(w), 20_000, p.what);
        w.kill("SIGKILL");
        await w.exited;
      } finally {
        p.disarm?.();
      }
      return w;
    }

    it("SIGKILL after claiming (still connecting): nothing arrived, the next worker takes the rows over and sends each once", async () => {
      const tenant = await seedDeliveryTenant(db(), { slug: `claim-${dialect}`, relayPort: sink.port, dueAt: T });
      const rows = await tenant.addLearners(N);
      await killWhen({
        args: ["--once", "--now", iso(1)],
        arm: () => (sink.greetingDelayMs = 30_000),
        disarm: () => (sink.greetingDelayMs = 0),
        ready: async () => (await statuses(tenant)).every((s) => s === "sending"),
        what: "claimed rows",
      });
      expect(sink.mails.filter((m) => m.to[0]!.endsWith(`@${tenant.slug}.example`))).toHaveLength(0);
      const result = await restartAndCount("after claiming", tenant, iso(5));
      expect(result).toEqual({ lost: 0, duplicates: 0, maxCopies: 1 });
      const a = db().t.deliveryAttempts;
      const attempts = await db().orm.select().from(a).where(inArray(a.deliveryId, rows.map((r) => r.id)));
      expect(attempts.filter((x) => x.outcome === "interrupted")).toHaveLength(N);
      expect(attempts.filter((x) => x.outcome === "sent").map((x) => x.attempt)).toEqual(Array(N).fill(2));
    }, 60_000);

    it("SIGKILL during DATA (the server stalls): the mail never completed, the next worker sends each once", async () => {
      const tenant = await seedDeliveryTenant(db(), { slug: `data-${dialect}`, relayPort: sink.port, dueAt: T });
      await tenant.addLearners(N);
      const started = sink.dataStarted;
      await killWhen({
        args: ["--once", "--now", iso(1)],
        arm: () => (sink.stallData = true),
        disarm: () => (sink.stallData = false),
        ready: async () => sink.dataStarted > started,
        what: "DATA",
      });
      const result = await restartAndCount("during DATA", tenant, iso(5));
      expect(result).toEqual({ lost: 0, duplicates: 0, maxCopies: 1 });
    }, 60_000);

    it("SIGKILL after the 250, before the outcome is written: the only duplicates, each with the same Message-ID", async () => {
      const tenant = await seedDeliveryTenant(db(), { slug: `ok250-${dialect}`, relayPort: sink.port, dueAt: T });
      await tenant.addLearners(N);
      const w = await killWhen({
        args: ["--once", "--now", iso(1)],
        env: { POSTILLION_WORKER_TEST_PAUSE: "after_250" },
        // The sink's N copies and the worker's own word that it holds after the 250s (its
        // output can reach us a moment after the sink has the mails).
        ready: async (w) =>
          sink.mails.filter((m) => m.to[0]!.endsWith(`@${tenant.slug}.example`)).length === N && /test-pause after_250/.test(w.output()),
        what: "250s and the worker's pause",
      });
      expect(w.output()).toMatch(/test-pause after_250/);
      expect(await statuses(tenant)).toEqual(Array(N).fill("sending"));
      const result = await restartAndCount("after 250", tenant, iso(5));
      expect(result).toEqual({ lost: 0, duplicates: N, maxCopies: 2 });
    }, 60_000);

    it("SIGKILL during the backoff (451 first): the rows wait as retrying, the next worker sends each once", async () => {
      const tenant = await seedDeliveryTenant(db(), { slug: `backoff-${dialect}`, relayPort: sink.port, dueAt: T });
      await tenant.addLearners(N);
      await killWhen({
        args: ["--now", iso(1), "--poll-ms", "200"],
        arm: () => (sink.answer = (rcpt) => (rcpt.endsWith(`@${tenant.slug}.example`) ? { code: 451, message: "4.7.1 Greylisted, try again later" } : null)),
        disarm: () => (sink.answer = null),
        ready: async () => (await statuses(tenant)).every((s) => s === "retrying"),
        what: "retrying rows",
      });
      const result = await restartAndCount("during backoff", tenant, iso(20));
      expect(result).toEqual({ lost: 0, duplicates: 0, maxCopies: 1 });
    }, 60_000);

    it("SIGTERM: the mails handed over are finished, the claimed rest is given back untried, exit 0", async () => {
      const tenant = await seedDeliveryTenant(db(), { slug: `term-${dialect}`, relayPort: sink.port, dueAt: T });
      await tenant.addLearners(30);
      sink.greetingDelayMs = 1_500;
      const connections = sink.connections;
      const w = spawnWorker(["--now", iso(1), "--batch", "30", "--poll-ms", "200"], env());
      try {
        await waitUntil(async () => (await statuses(tenant)).filter((s) => s === "sending").length === 30, 20_000, "claimed rows");
        // The first mails are handed over (the pool is connecting) when the signal comes.
        await waitUntil(async () => sink.connections > connections, 20_000, "hand-over");
        w.kill("SIGTERM");
        const { code } = await w.exited;
        expect(code, w.output()).toBe(0);
      } finally {
        sink.greetingDelayMs = 0;
      }
      expect(w.output()).toMatch(/SIGTERM received/);
      const d = db().t.deliveries;
      const rows = await db().orm.select().from(d).where(eq(d.tenantId, tenant.tenantId));
      const sent = rows.filter((r) => r.status === "sent");
      const back = rows.filter((r) => r.status === "planned");
      expect(sent.length + back.length).toBe(30);
      expect(sent.length).toBeGreaterThan(0);
      expect(back.length).toBeGreaterThan(0);
      expect(back.every((r) => r.attempts === 0 && r.leaseOwner === null)).toBe(true);
      expect(sink.mails.filter((m) => m.to[0]!.endsWith(`@${tenant.slug}.example`))).toHaveLength(sent.length);
      const hb = await db().orm.select().from(db().t.workerHeartbeats);
      expect(hb.some((h) => h.stoppedAt !== null)).toBe(true);
      const again = spawnWorker(["--once", "--json", "--now", iso(2)], env());
      expect((await again.exited).code).toBe(0);
      expect(JSON.parse(again.stdout())).toEqual({ sent: back.length, failed: 0, retrying: 0, deferred: 0, cancelled: 0 });
      const after = await db().orm.select({ s: d.status }).from(d).where(and(eq(d.tenantId, tenant.tenantId), eq(d.status, "sent")));
      expect(after).toHaveLength(30);
    }, 60_000);
  });
}
