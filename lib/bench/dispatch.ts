/**
 * The delivery path's throughput against raw nodemailer, on SQLite and Postgres.
 *
 *   npm run bench:dispatch [-- --n 20000] [--workers 1,4] [--only sqlite|postgres] [--tick-sizes 10000,1000000] [--no-tick] [--no-dispatch]
 *
 * A loopback `smtp-server` sink in its own process accepts and discards every message.
 * Per database: a tenant in platform mode (the sink is its relay), one training with a
 * one-reminder plan, N learners and assignments (bulk-inserted, not measured), then
 *
 * 1. planning: the worker's sweep (`planDue`) turns the N assignments into N due rows;
 * 2. raw: the same N messages, rendered by the worker's own composer (`prepareMails`),
 *    sent with a pooled nodemailer transport of the worker's pool size straight to the
 *    sink — the baseline;
 * 3. pipeline: the rows are deleted again, and 1 (and 4) real worker processes
 *    (`startWorker`, limits off) plan (one of them takes the planning lease), claim,
 *    compose, send and record all N; the clock runs from their start to the last row
 *    recorded `sent`; each worker reports its peak RSS.
 *
 * The ratio is pipeline rate / raw rate. Then the
 * cost of one tick's database work — count what is due per tenant, claim 1,000 due rows,
 * record them sent — with those 1,000 due among 10,000 and among 1,000,000 planned rows
 * (the rest in the future, inserted in bulk with SQL). Postgres runs when
 * TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) answers.
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { and, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import { encryptionKeys } from "../config/encryption";
import { loadConfig, resetConfigCache } from "../config/platform-profile";
import type { Db, Dialect } from "../db";
import { prepareMails } from "../delivery/compose";
import { claimDue, dueByTenant, recordSentMany, type DeliveryRow } from "../delivery/outbox";
import { planDue } from "../delivery/planner";
import { POOL_CONNECTIONS, POOL_MAX_MESSAGES } from "../delivery/transports";
import { searchTextOf } from "../learners/queries";
import { planScheduleSchema } from "../reminders/plan-schema";
import { createPlan, createTraining } from "../reminders/queries";
import { defaultTemplates } from "../reminders/templates";
import { applySenderSettings, senderEnvironment } from "../sender/service";
import { createTenant } from "../tenants/queries";
import { freshDb, postgresAnswers, BENCH_ADMIN_URL } from "./databases";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const N = Number(flag("n", "20000"));
const WORKERS = flag("workers", "1,4").split(",").map(Number);
const ONLY = flag("only", "");
const TICK_SIZES = flag("tick-sizes", "10000,1000000").split(",").map(Number);
const TICK = !args.includes("--no-tick");
const DISPATCH = !args.includes("--no-dispatch");
/** Raw nodemailer's messages in flight: twice the pool's connections. */
const RAW_IN_FLIGHT = POOL_CONNECTIONS * 2;
const TICK_DUE = 1_000;

// Throwaway secrets for this run (the workers inherit them): nothing is written to ./data.
process.env.POSTILLION_ENCRYPTION_KEYS ??= `bench:${randomBytes(32).toString("base64")}`;
process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("base64");
resetConfigCache();

const here = path.dirname(fileURLToPath(import.meta.url));
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

// ── The sink ─────────────────────────────────────────────────────────────────────

interface Sink {
  port: number;
  count(): Promise<number>;
  stop(): void;
}

async function startSink(): Promise<Sink> {
  const child: ChildProcess = fork(path.join(here, "smtp-sink.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = () => new Promise<Record<string, number>>((resolve) => child.once("message", (m) => resolve(m as Record<string, number>)));
  const { port } = await next();
  return {
    port: port!,
    async count() {
      const answer = next();
      child.send("count");
      return (await answer).count!;
    },
    stop: () => child.disconnect(),
  };
}

// ── The data ─────────────────────────────────────────────────────────────────────

interface Setup {
  tenantId: string;
  planId: string;
  trainingId: string;
  now: Date;
}

async function rawRun(db: Db, query: SQL): Promise<void> {
  if (db.dialect === "postgres") await db.orm.execute(query);
  else await (db.orm as unknown as { run: (q: SQL) => Promise<unknown> }).run(query);
}

/** A tenant sending through the sink, a one-reminder plan due 30 minutes ago, `learners` assigned learners. */
async function setUp(db: Db, sinkPort: number, learners: number): Promise<Setup> {
  const now = new Date();
  const cfg = loadConfig({ ...process.env, SMTP_RELAY_URL: `smtp://127.0.0.1:${sinkPort}` });
  const tenant = await createTenant(db, { slug: `bench-${randomUUID().slice(0, 8)}`, name: "Bench GmbH", timezone: "UTC", locale: "en" });
  const saved = await applySenderSettings(db, {
    tenantId: tenant.id,
    actorUserId: null,
    via: "cli",
    raw: { mode: "platform", noreplyAddress: cfg.PLATFORM_NOREPLY_ADDRESSES[0], displayName: "Bench GmbH", replyTo: "training@bench.example", ratePerMinute: 10_000, dailyQuota: 1_000_000 },
    env: senderEnvironment(cfg),
    keys: encryptionKeys(),
    now,
  });
  if (!saved.ok) throw new Error(`bench: sender settings refused: ${saved.error.message}`);
  const training = await createTraining(db, { tenantId: tenant.id, name: "Bench training", externalId: "bench-1", linkUrl: "https://learning.example/bench" }, now);
  // One reminder at a wall-clock minute 30 minutes ago; assigned two hours ago.
  const instant = new Date(Math.floor((now.getTime() - 30 * 60_000) / 60_000) * 60_000);
  const assignedAt = new Date(now.getTime() - 2 * 3_600_000);
  const dayMs = 86_400_000;
  const schedule = planScheduleSchema.parse({
    timezone: "UTC",
    anchor: "assigned",
    offsetDays: Math.floor(instant.getTime() / dayMs) - Math.floor(assignedAt.getTime() / dayMs),
    startDate: null,
    sendTime: instant.toISOString().slice(11, 16),
    repeatEveryDays: 7,
    endDate: new Date(now.getTime() + 30 * dayMs).toISOString().slice(0, 10),
    maxSends: 1,
    weekdaysOnly: false,
    escalateAfterSends: null,
    digestWeekday: 1,
    digestTime: "08:00",
  });
  const plan = await createPlan(
    db,
    { tenantId: tenant.id, trainingId: training.id, name: "Bench plan", active: true, schedule, templates: defaultTemplates, spamRisk: "low", highRiskConfirmedAt: null, highRiskConfirmedBy: null },
    now,
  );
  for (let start = 0; start < learners; start += 500) {
    const batch = Array.from({ length: Math.min(500, learners - start) }, (_, j) => {
      const i = start + j;
      const r = { externalId: `b-${i}`, email: `learner.${i}@bench.example`, firstName: `First${i}`, lastName: `Last${i}`, locale: i % 2 ? ("de" as const) : ("en" as const) };
      return { id: randomUUID(), tenantId: tenant.id, ...r, responsibleName: null, responsibleEmail: null, active: true, searchText: searchTextOf(r), createdAt: now, updatedAt: now };
    });
    await db.orm.insert(db.t.learners).values(batch);
    await db.orm.insert(db.t.assignments).values(
      batch.map((l) => ({ id: randomUUID(), tenantId: tenant.id, learnerId: l.id, trainingId: training.id, assignedAt, dueAt: null, createdAt: now, updatedAt: now })),
    );
  }
  return { tenantId: tenant.id, planId: plan.id, trainingId: training.id, now };
}

async function countByStatus(db: Db, tenantId: string, status: DeliveryRow["status"]): Promise<number> {
  const d = db.t.deliveries;
  const [row] = await db.orm.select({ n: count() }).from(d).where(and(eq(d.tenantId, tenantId), eq(d.status, status)));
  return Number(row?.n ?? 0);
}

/** No rows at all, and no memory of a planning sweep: the next worker plans from the assignments. */
async function clearRows(db: Db, tenantId: string): Promise<void> {
  await db.orm.delete(db.t.deliveries).where(eq(db.t.deliveries.tenantId, tenantId));
  await db.orm.delete(db.t.workerLeases).where(sql`true`);
}

/** The rows back to planned, as if never tried (between tick measurements). */
async function resetRows(db: Db, tenantId: string): Promise<void> {
  const d = db.t.deliveries;
  await db.orm.delete(db.t.deliveryAttempts).where(eq(db.t.deliveryAttempts.tenantId, tenantId));
  await db.orm
    .update(d)
    .set({ status: "planned", attempts: 0, sentAt: null, leaseOwner: null, leaseUntil: null, firstAttemptAt: null, lastAttemptAt: null, lastReply: null })
    .where(and(eq(d.tenantId, tenantId), inArray(d.status, ["sent", "sending", "failed", "retrying", "deferred"])));
}

// ── The two senders ──────────────────────────────────────────────────────────────

async function renderAll(db: Db, s: Setup): Promise<Mail.Options[]> {
  const d = db.t.deliveries;
  const rows = await db.orm.select().from(d).where(eq(d.tenantId, s.tenantId));
  const tenant = { id: s.tenantId, name: "Bench GmbH", timezone: "UTC", locale: "en" as const };
  const sender = { fromAddress: "noreply@reflact.com", fromName: "Bench GmbH", replyTo: "training@bench.example", dkim: null };
  const out: Mail.Options[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500);
    const mails = await prepareMails(db, { rows: batch, sender, tenant, publicUrl: "http://localhost:3000", now: s.now });
    for (const r of batch) {
      const m = mails.get(r.id);
      if (m && "message" in m) out.push(m.message);
    }
  }
  return out;
}

async function rawSend(port: number, messages: Mail.Options[]): Promise<number> {
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: POOL_CONNECTIONS,
    maxMessages: POOL_MAX_MESSAGES,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  // A bounded number in flight (as a careful sender would, and as the worker does): the
  // pool's connections always have the next message waiting, nothing more.
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < messages.length) await transport.sendMail(messages[next++]!);
  };
  await Promise.all(Array.from({ length: RAW_IN_FLIGHT }, lane));
  const ms = performance.now() - started;
  transport.close();
  return ms;
}

interface WorkerRun {
  ms: number;
  peakRssKb: number[];
}

/** `workers` real worker processes until every row of the tenant is sent. */
async function pipelineSend(url: string, sinkPort: number, db: Db, s: Setup, workers: number, total: number): Promise<WorkerRun> {
  const env = {
    ...process.env,
    DATABASE_URL: url,
    SMTP_RELAY_URL: `smtp://127.0.0.1:${sinkPort}`,
    POSTILLION_SQLITE_TX_GUARD: "off",
  };
  const children = Array.from({ length: workers }, () =>
    fork(path.join(here, "dispatch-worker.ts"), [], { env, execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] }),
  );
  const replies = (key: string) =>
    children.map((c) => new Promise<number>((resolve) => c.on("message", (m) => key in (m as object) && resolve(Number((m as Record<string, unknown>)[key])))));
  const rss = replies("maxRssKb");
  // Loaded and connected first: process start-up is not what is measured.
  await Promise.all(replies("ready"));
  const started = performance.now();
  for (const c of children) c.send("go");
  let sent = 0;
  const deadline = Date.now() + 30 * 60_000;
  while (sent < total) {
    if (Date.now() > deadline) throw new Error(`bench: only ${sent} of ${total} sent after 30 minutes`);
    await new Promise((r) => setTimeout(r, 100));
    sent = await countByStatus(db, s.tenantId, "sent");
  }
  const ms = performance.now() - started;
  for (const c of children) c.kill("SIGTERM");
  return { ms, peakRssKb: await Promise.all(rss) };
}

// ── Tick cost ────────────────────────────────────────────────────────────────────

/** Adds future planned rows (one filler assignment, occurrences from 1,000) in bulk with SQL until the tenant has `total` rows. */
async function fillTo(db: Db, s: Setup, total: number): Promise<void> {
  const d = db.t.deliveries;
  const [have] = await db.orm.select({ n: count() }).from(d).where(eq(d.tenantId, s.tenantId));
  const missing = total - Number(have?.n ?? 0);
  if (missing <= 0) return;
  const [assignment] = await db.orm.select({ id: db.t.assignments.id, learnerId: db.t.assignments.learnerId }).from(db.t.assignments).where(eq(db.t.assignments.tenantId, s.tenantId)).limit(1);
  const [maxOcc] = await db.orm.select({ m: sql<number>`coalesce(max(${d.occurrence}), 0)` }).from(d).where(eq(d.assignmentId, assignment!.id));
  const from = Math.max(1000, Number(maxOcc?.m ?? 0) + 1);
  const future = s.now.getTime() + 30 * 86_400_000;
  if (db.dialect === "postgres") {
    await rawRun(
      db,
      sql`insert into deliveries (id, tenant_id, kind, plan_id, assignment_id, learner_id, occurrence, recipient, due_at, status, attempts, created_at, updated_at, next_attempt_at)
        select gen_random_uuid()::text, ${s.tenantId}, 'reminder', ${s.planId}, ${assignment!.id}, ${assignment!.learnerId}, ${from} + g,
          'filler@bench.example', to_timestamp(${future / 1000}), 'planned', 0, now(), now(), to_timestamp(${future / 1000})
        from generate_series(0, ${missing - 1}) g`,
    );
    await rawRun(db, sql`analyze deliveries`);
  } else {
    await rawRun(
      db,
      sql`with recursive g(x) as (select 0 union all select x + 1 from g where x < ${missing - 1})
        insert into deliveries (id, tenant_id, kind, plan_id, assignment_id, learner_id, occurrence, recipient, due_at, status, attempts, created_at, updated_at, next_attempt_at)
        select lower(hex(randomblob(16))), ${s.tenantId}, 'reminder', ${s.planId}, ${assignment!.id}, ${assignment!.learnerId}, ${from} + x,
          'filler@bench.example', ${future}, 'planned', 0, ${s.now.getTime()}, ${s.now.getTime()}, ${future}
        from g`,
    );
    // No ANALYZE here: the app never runs it on SQLite (Postgres's autovacuum does).
  }
}

interface TickCost {
  total: number;
  dueCountMs: number;
  claimMs: number;
  recordMs: number;
  idleMs: number;
}

/** One tick's database work on 1,000 due rows: count due per tenant, claim them (200 a claim, as the worker does), record them sent; then an idle tick's count. */
async function tickCost(db: Db, s: Setup, total: number): Promise<TickCost> {
  await resetRows(db, s.tenantId);
  const now = new Date();
  const workerId = `bench-tick-${randomUUID().slice(0, 6)}`;
  let t = performance.now();
  const due = await dueByTenant(db, { now });
  const dueCountMs = performance.now() - t;
  const mine = due.find((x) => x.tenantId === s.tenantId)?.due ?? 0;
  if (mine !== TICK_DUE) throw new Error(`bench: expected ${TICK_DUE} due rows, found ${mine}`);
  t = performance.now();
  const claimed: DeliveryRow[] = [];
  for (;;) {
    const rows = await claimDue(db, { workerId, now, leaseMs: 120_000, limit: 200, tenantId: s.tenantId });
    if (rows.length === 0) break;
    claimed.push(...rows);
  }
  const claimMs = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < claimed.length; i += 200) {
    await recordSentMany(db, {
      workerId,
      now,
      items: claimed.slice(i, i + 200).map((row) => ({ row, startedAt: now, messageId: `<${row.id}@bench.example>`, reply: "250 2.0.0 Discarded", subject: "Bench", locale: "en", variantIndex: 0, ms: 1 })),
    });
  }
  const recordMs = performance.now() - t;
  t = performance.now();
  await dueByTenant(db, { now });
  const idleMs = performance.now() - t;
  return { total, dueCountMs, claimMs, recordMs, idleMs };
}

// ── Main ─────────────────────────────────────────────────────────────────────────

async function main() {
  const sink = await startSink();
  console.log(`bench:dispatch  N=${fmt(N)}  sink 127.0.0.1:${sink.port} (own process)  pool ${POOL_CONNECTIONS} connections\n`);
  const summary: string[] = [];
  try {
    for (const dialect of ["sqlite", "postgres"] as Dialect[]) {
      if (ONLY && ONLY !== dialect) continue;
      if (dialect === "postgres" && !(await postgresAnswers())) {
        console.log(`postgres: skipped, nothing answers at ${BENCH_ADMIN_URL}`);
        continue;
      }
      if (DISPATCH) {
        const { db, url, dispose } = await freshDb(dialect);
        try {
          const s = await setUp(db, sink.port, N);
          let t = performance.now();
          const planned = await planDue(db, { now: s.now });
          const planMs = performance.now() - t;
          const rows = await countByStatus(db, s.tenantId, "planned");
          console.log(`${dialect}: planning ${fmt(planned.inserted)} rows from ${fmt(planned.pairs)} pairs: ${fmt(planMs)} ms (${fmt((rows / planMs) * 1000)} rows/s)`);
          if (rows !== N) throw new Error(`bench: planned ${rows} rows, expected ${N}`);

          t = performance.now();
          const messages = await renderAll(db, s);
          console.log(`${dialect}: rendering the ${fmt(messages.length)} messages for the raw run: ${fmt(performance.now() - t)} ms`);
          const before = await sink.count();
          const rawMs = await rawSend(sink.port, messages);
          if ((await sink.count()) - before !== messages.length) throw new Error("bench: the sink did not get every raw message");
          const rawRate = (messages.length / rawMs) * 1000;
          console.log(`${dialect}: raw nodemailer pooled: ${fmt(rawRate)} mails/s (${fmt(rawMs)} ms)`);

          for (const workers of WORKERS) {
            await clearRows(db, s.tenantId);
            const sinkBefore = await sink.count();
            const run = await pipelineSend(url, sink.port, db, s, workers, N);
            const atSink = (await sink.count()) - sinkBefore;
            const rate = (N / run.ms) * 1000;
            const line =
              `${dialect}: ${workers} worker${workers > 1 ? "s" : " "}: ${fmt(rate)} mails/s (${fmt(run.ms)} ms from start to the last row sent, planning included) · ` +
              `ratio to raw ${(rate / rawRate).toFixed(2)} · at the sink ${fmt(atSink)}${atSink > N ? ` (${fmt(atSink - N)} duplicates)` : ""} · ` +
              `peak RSS ${run.peakRssKb.map(mb).join(", ")}`;
            console.log(line);
            summary.push(line);
          }
          summary.push(`${dialect}: raw nodemailer pooled ${fmt(rawRate)} mails/s; planning ${fmt(N)} rows ${fmt(planMs)} ms`);
        } finally {
          await dispose();
        }
      }

      if (!TICK) continue;
      const tick = await freshDb(dialect);
      try {
        const s = await setUp(tick.db, sink.port, TICK_DUE);
        await planDue(tick.db, { now: s.now });
        for (const total of TICK_SIZES) {
          const t = performance.now();
          await fillTo(tick.db, s, total);
          console.log(`${dialect}: ${fmt(total)} planned rows in place (bulk SQL ${fmt(performance.now() - t)} ms)`);
          const c = await tickCost(tick.db, s, total);
          const line =
            `${dialect}: tick with ${fmt(TICK_DUE)} due among ${fmt(c.total)}: count due ${c.dueCountMs.toFixed(1)} ms · claim ${fmt(c.claimMs)} ms · ` +
            `record sent ${fmt(c.recordMs)} ms · total ${fmt(c.dueCountMs + c.claimMs + c.recordMs)} ms · idle tick (nothing due) ${c.idleMs.toFixed(1)} ms`;
          console.log(line);
          summary.push(line);
        }
      } finally {
        await tick.dispose();
      }
    }
  } finally {
    sink.stop();
  }
  console.log(`\nSummary\n${summary.map((l) => `  ${l}`).join("\n")}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
