import { randomBytes } from "node:crypto";
import os from "node:os";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db";
import type { DomainCheckEnvironment } from "../domain-check/service";
import { runDueRechecks, type RecheckCounts } from "../monitoring/rechecks";
import { mailPendingAlerts } from "./alerts";
import { prepareMails, type ComposedMail, type PreparedMail } from "./compose";
import { classifyDeliveryFailure, failureAdvice, nextRetryAt } from "./failures";
import { releaseSendSlots, takeSendSlots, type SlotGrant } from "./limits";
import {
  claimDue,
  deferDue,
  dueByTenant,
  extendLeases,
  recordCancelledMany,
  recordFailure,
  recordSentMany,
  releaseClaims,
  releaseRows,
  type DeliveryRow,
  type SentOutcome,
} from "./outbox";
import { pausedTenantIds } from "./pause";
import { planDue } from "./planner";
import { resolveTenantSender, type DeliveryEnvironment, type TenantSender } from "./sender";
import { TransportCache, POOL_CONNECTIONS, type PooledSender, type RefusedTarget } from "./transports";
import { EMPTY_COUNTS, type CancelReason, type DeliveryFailure, type WorkerCounts } from "./types";

/**
 * The delivery worker. One TICK: plan (the sweep, one worker at a time), mail pending
 * alerts, then per tenant with due rows: resolve its sender (not ready / paused → its rows
 * wait), take send slots of its minute and day (limits, counted in the database across
 * workers), claim that many rows with a lease, compose them in one batch (prepareMails
 * re-reads assignments, so a completion that arrived meanwhile cancels the mail right
 * before the hand-over), hand them to the tenant's pooled SMTP transport, and write the
 * outcomes fenced by attempt (the sent ones of a batch in one transaction). Two lanes
 * per tenant overlap one batch's SMTP work with the next one's claim and composition.
 *
 * `runWorkerOnce` is one tick (`postillion worker --once`); `startWorker` ticks until
 * stopped, keeps a heartbeat row, logs a health line each minute, and on stop finishes
 * what it handed over, gives back what it had not, and closes its connections.
 *
 * With `rechecks`, the worker also runs the scheduled re-checks (lib/monitoring/rechecks:
 * customer-domain DNS and custom SMTP connections, daily; hourly while alerting): one
 * worker at a time (the "rechecks" job lease), in `startWorker` in a loop of its own so a
 * slow DNS or SMTP server never holds a sending tick back; `runWorkerOnce` runs a pass
 * before its tick.
 */

export interface WorkerOptions {
  env: DeliveryEnvironment;
  workerId?: string;
  clock?: () => Date;
  /** How long a claim holds before another worker may take the row over (default 120 s; renewed while sending). */
  leaseMs?: number;
  /** Rows per claim (default 200). */
  batchSize?: number;
  /** false: no rate or quota (the benchmark only). */
  limits?: boolean;
  log?: (line: string) => void;
  /** Jitter source for the backoff (tests). */
  random?: () => number;
  /** Aborted (SIGTERM, SIGINT): finish the mails handed over, give back the rest, return. */
  signal?: AbortSignal;
  /** Tests: runs after a batch was claimed, before it is composed (a completion "while queued"). */
  onClaimed?: (rows: DeliveryRow[]) => Promise<void>;
  /** Run the scheduled re-checks (the CLI always does); absent: this worker only sends. */
  rechecks?: RecheckOptions;
}

export interface RecheckOptions {
  /** The domain check's DNS servers, platform profile and timeouts (DNS_SERVERS). */
  domainCheck: DomainCheckEnvironment;
  /** How often a pass looks for due re-checks (default RECHECK_SWEEP_EVERY_MS). */
  sweepEveryMs?: number;
  /** Re-checks per pass and at once (defaults of runDueRechecks: 50 and 4). */
  limit?: number;
  concurrency?: number;
}

export const DEFAULT_LEASE_MS = 120_000;
export const DEFAULT_BATCH_SIZE = 200;
/** How often the planning sweep runs (whichever worker takes the "planning" lease). */
export const PLANNING_INTERVAL_MS = 5 * 60_000;
/** How often a worker looks for due re-checks (whichever worker takes the "rechecks" lease). */
export const RECHECK_SWEEP_EVERY_MS = 60_000;
/** The "rechecks" lease: renewed while a pass runs, so a dead worker blocks re-checks this long at most. */
const RECHECK_LEASE_MS = 5 * 60_000;
const LANES = 2;
const TENANTS_AT_ONCE = 4;
const SENDS_AT_ONCE = POOL_CONNECTIONS * 2;

export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

/** One tenant's sending in one tick: halted = claim no more (a limit, a pause); paused = hand nothing more over. */
interface TenantRun {
  halted: boolean;
  paused: boolean;
}

/** A tick's numbers plus what the health line needs. */
interface TickCounts extends WorkerCounts {
  due: number;
  pausedTenants: number;
}

class DeliveryWorker {
  readonly workerId: string;
  readonly transports = new TransportCache();
  stopping = false;
  /** Rows this worker holds right now (claimed, not yet written): their leases are renewed. */
  private readonly held = new Map<string, DeliveryRow>();
  /** Until when this worker knows each held row's lease to stand (claimed, or last renewed). */
  private readonly leaseKnownUntil = new Map<string, number>();
  private renewTimer: NodeJS.Timeout | undefined;
  private readonly clock: () => Date;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly db: Db,
    private readonly opts: WorkerOptions,
  ) {
    this.workerId = opts.workerId ?? newWorkerId();
    this.clock = opts.clock ?? (() => new Date());
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    this.log = opts.log ?? ((line) => void process.stdout.write(`${line}\n`));
    // A slow server must not let a lease run out while its mail is still being handed over.
    this.renewTimer = setInterval(() => void this.renewLeases(), Math.max(1_000, Math.floor(this.leaseMs / 3)));
    this.renewTimer.unref();
    if (opts.signal?.aborted) this.stopping = true;
    opts.signal?.addEventListener("abort", () => (this.stopping = true), { once: true });
  }

  private async renewLeases(): Promise<void> {
    if (this.held.size === 0) return;
    const until = new Date(this.clock().getTime() + this.leaseMs);
    const ids = [...this.held.keys()];
    try {
      await extendLeases(this.db, { workerId: this.workerId, ids, until });
      for (const id of ids) if (this.held.has(id)) this.leaseKnownUntil.set(id, until.getTime());
    } catch (error) {
      this.log(`worker: renewing leases failed: ${errorText(error)}`);
    }
  }

  /**
   * Whether a held row may still be handed to the server: its lease must stand for a
   * while yet. A worker starved for minutes (or whose renewals failed) could otherwise
   * send a row another worker has already taken over — a duplicate outside the one
   * window DESIGN allows (between the 250 and the outcome's write).
   */
  private leaseStillStands(row: DeliveryRow): boolean {
    const until = this.leaseKnownUntil.get(row.id) ?? row.leaseUntil?.getTime() ?? 0;
    return this.clock().getTime() < until - this.leaseMs / 4;
  }

  /** One tick; `into`: count into this object while it runs (the continuous worker's live window). */
  async tick(p: { planEveryMs: number; into?: TickCounts }): Promise<TickCounts> {
    const now = this.clock();
    const counts: TickCounts = p.into ?? { ...EMPTY_COUNTS, due: 0, pausedTenants: 0 };
    await this.plan(now, p.planEveryMs);
    await mailPendingAlerts(this.db, { env: this.opts.env, now, log: this.log }).catch((error: unknown) =>
      this.log(`worker: mailing alerts failed: ${errorText(error)}`),
    );
    const paused = new Set(await pausedTenantIds(this.db));
    counts.pausedTenants = paused.size;
    const due = await dueByTenant(this.db, { now });
    counts.due = due.reduce((n, t) => n + t.due, 0);
    const queue = due.filter((t) => !paused.has(t.tenantId));
    const run = async () => {
      for (let next = queue.shift(); next && !this.stopping; next = queue.shift()) {
        await this.sendTenant(next.tenantId, counts).catch((error: unknown) =>
          this.log(`worker: tenant ${next.tenantId} failed this tick: ${errorText(error)}`),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(TENANTS_AT_ONCE, queue.length) }, run));
    this.transports.closeIdle(Date.now());
    return counts;
  }

  /** The planning sweep, at most every `everyMs` across all workers (the "planning" lease). */
  private async plan(now: Date, everyMs: number): Promise<void> {
    if (!(await takeJobLease(this.db, { name: "planning", owner: this.workerId, now, everyMs, leaseMs: this.leaseMs }))) return;
    try {
      const planned = await planDue(this.db, { now });
      if (planned.inserted + planned.updated + planned.cancelled > 0) {
        this.log(`planning inserted=${planned.inserted} updated=${planned.updated} cancelled=${planned.cancelled} pairs=${planned.pairs}`);
      }
      await finishJobLease(this.db, { name: "planning", owner: this.workerId, now });
    } catch (error) {
      this.log(`worker: planning failed: ${errorText(error)}`);
      await finishJobLease(this.db, { name: "planning", owner: this.workerId, now: null }).catch(() => undefined);
    }
  }

  /**
   * One pass of due re-checks, if this worker gets the "rechecks" lease (at most every
   * `everyMs` across all workers). The lease is renewed while the pass runs. Null: another
   * worker has it, or it ran too recently, or this worker does no re-checks.
   */
  async recheck(everyMs: number): Promise<RecheckCounts | null> {
    const opts = this.opts.rechecks;
    if (!opts) return null;
    const lease = { name: "rechecks", owner: this.workerId, leaseMs: RECHECK_LEASE_MS };
    if (!(await takeJobLease(this.db, { ...lease, now: this.clock(), everyMs }))) {
      // `worker --once` asked for a pass: say why none ran.
      if (everyMs === 0) this.log("rechecks skipped: another worker is re-checking right now");
      return null;
    }
    const renew = setInterval(
      () => void takeJobLease(this.db, { ...lease, now: this.clock(), everyMs: 0 }).catch(() => undefined),
      RECHECK_LEASE_MS / 3,
    );
    renew.unref();
    const env = this.opts.env;
    try {
      const counts = await runDueRechecks(this.db, {
        env: { domainCheck: opts.domainCheck, sender: env.sender, keys: env.keys, ...(env.probe ? { probe: env.probe } : {}) },
        now: this.clock(),
        ...(opts.limit ? { limit: opts.limit } : {}),
        ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
        log: this.log,
        stop: () => this.stopping,
      });
      clearInterval(renew);
      await finishJobLease(this.db, { ...lease, now: this.clock() });
      if (counts.domain + counts.smtp > 0) {
        this.log(`rechecks domain=${counts.domain} smtp=${counts.smtp} failed=${counts.failed} recovered=${counts.recovered}`);
      }
      return counts;
    } catch (error) {
      clearInterval(renew);
      this.log(`worker: re-checks failed: ${errorText(error)}`);
      await finishJobLease(this.db, { ...lease, now: null }).catch(() => undefined);
      return null;
    }
  }

  private async sendTenant(tenantId: string, counts: TickCounts): Promise<void> {
    const now = this.clock();
    const sender = await resolveTenantSender(this.db, { tenantId, env: this.opts.env, now });
    if (!sender.ok) return;
    const pool = await this.transports.get({ smtp: sender.smtp, policy: sender.policy, dkim: sender.dkim, now: Date.now() });
    const state: TenantRun = { halted: false, paused: false };
    const lane = async () => {
      while (!this.stopping && !state.halted) {
        const more = await this.sendBatch(sender, pool, state, counts);
        if (!more) return;
      }
    };
    await Promise.all(Array.from({ length: LANES }, lane));
  }

  /** One batch of one tenant; false when nothing more is due (or a limit or pause stops the tenant). */
  private async sendBatch(
    sender: Extract<TenantSender, { ok: true }>,
    pool: PooledSender | RefusedTarget,
    state: TenantRun,
    counts: TickCounts,
  ): Promise<boolean> {
    const { tenantId } = sender;
    const now = this.clock();
    const limited = this.opts.limits !== false;
    // Slots and rows in one transaction: no other worker can defer (or take) the rows a
    // grant was made for before they are claimed, and unused slots go straight back.
    const { grant, rows } = await this.db.transaction(async (tx) => {
      let grant: SlotGrant | null = null;
      let want = this.batchSize;
      if (limited) {
        grant = await takeSendSlots(tx, {
          tenantId,
          want,
          ratePerMinute: sender.ratePerMinute,
          dailyQuota: sender.dailyQuota,
          timezone: sender.timezone,
          now,
        });
        if (grant.granted === 0) return { grant, rows: [] as DeliveryRow[], want: 0 };
        want = grant.granted;
      }
      const rows = await claimDue(tx, { workerId: this.workerId, now, leaseMs: this.leaseMs, limit: want, tenantId });
      if (grant && rows.length < want) {
        await releaseSendSlots(tx, { tenantId, count: want - rows.length, minuteStart: grant.minuteStart, dayStart: grant.dayStart });
      }
      return { grant, rows, want };
    });
    const giveBack = async (n: number) => {
      if (grant && n > 0) await releaseSendSlots(this.db, { tenantId, count: n, minuteStart: grant.minuteStart, dayStart: grant.dayStart });
    };
    if (grant && grant.granted === 0) {
      // Over the quota: what is still due waits for the next local midnight, visibly.
      if (grant.blockedBy === "quota" && grant.nextSlotAt) {
        // (`x += await …` would read x before the await and lose another lane's count.)
        const deferred = await deferDue(this.db, { tenantId, now, until: grant.nextSlotAt });
        counts.deferred += deferred;
      }
      state.halted = true;
      return false;
    }
    if (rows.length === 0) return false;
    for (const row of rows) {
      this.held.set(row.id, row);
      if (row.leaseUntil) this.leaseKnownUntil.set(row.id, row.leaseUntil.getTime());
    }
    try {
      if (this.opts.onClaimed) await this.opts.onClaimed(rows);
      const unused = await this.deliver(sender, pool, rows, state, counts);
      await giveBack(unused);
    } finally {
      for (const row of rows) {
        this.held.delete(row.id);
        this.leaseKnownUntil.delete(row.id);
      }
    }
    // A grant cut short by a limit: the rest waits (rate: next minute; quota: deferred next tick).
    if (grant?.blockedBy) state.halted = true;
    // Fewer rows than asked for does not mean none are left: on Postgres another worker's
    // (or the planner's) row locks made SKIP LOCKED pass some by. Only an empty claim ends.
    return !state.halted;
  }

  /** Composes and hands over one claimed batch; returns how many taken slots went unused. */
  private async deliver(
    sender: Extract<TenantSender, { ok: true }>,
    pool: PooledSender | RefusedTarget,
    rows: DeliveryRow[],
    state: TenantRun,
    counts: TickCounts,
  ): Promise<number> {
    const now = this.clock();
    let composed: Map<string, PreparedMail>;
    try {
      composed = await prepareMails(this.db, {
        rows,
        sender: { fromAddress: sender.fromAddress, fromName: sender.fromName, replyTo: sender.replyTo, dkim: sender.dkim },
        tenant: { id: sender.tenantId, name: sender.tenantName, timezone: sender.timezone, locale: sender.locale },
        publicUrl: this.opts.env.publicUrl,
        now,
      });
    } catch (error) {
      // A composition bug must not spin: the rows wait five minutes, the log says why.
      this.log(`worker: composing ${rows.length} mails of tenant ${sender.tenantId} failed: ${errorText(error)}`);
      await releaseRows(this.db, { workerId: this.workerId, rows, now, nextAttemptAt: new Date(now.getTime() + 5 * 60_000) });
      return rows.length;
    }
    const cancels: { row: DeliveryRow; reason: CancelReason }[] = [];
    const mails: { row: DeliveryRow; mail: ComposedMail }[] = [];
    const broken: { row: DeliveryRow; failure: DeliveryFailure }[] = [];
    const untouched: DeliveryRow[] = [];
    for (const row of rows) {
      const m = composed.get(row.id);
      if (!m) untouched.push(row);
      else if ("cancel" in m) cancels.push({ row, reason: m.cancel });
      else if ("fail" in m) broken.push({ row, failure: m.fail });
      else mails.push({ row, mail: m });
    }
    if (cancels.length > 0) {
      const cancelled = (await recordCancelledMany(this.db, { items: cancels, now })).size;
      counts.cancelled += cancelled;
    }
    // A mail that cannot be composed fails alone (class "message"), never the batch.
    for (const { row, failure } of broken) {
      if (await recordFailure(this.db, { row, workerId: this.workerId, startedAt: now, now, failure, retryAt: null, ms: 0, messageId: null })) counts.failed++;
    }

    const sent: SentOutcome[] = [];
    const notStarted: DeliveryRow[] = [...untouched];
    let next = 0;
    const sendOne = async () => {
      for (let i = next++; i < mails.length; i = next++) {
        const { row, mail } = mails[i]!;
        if (this.stopping || state.paused || !this.leaseStillStands(row)) {
          notStarted.push(row);
          continue;
        }
        const outcome = await this.handOver(sender, pool, row, mail);
        if (outcome.ok) {
          sent.push(outcome.sent);
          continue;
        }
        const { failure, startedAt, ms } = outcome;
        const at = this.clock();
        const retryAt =
          failure.class === "temporary"
            ? nextRetryAt({ failedAttempts: row.attempts, firstAttemptAt: row.firstAttemptAt ?? startedAt, now: at, random: this.opts.random })
            : null;
        const written = await recordFailure(this.db, {
          row,
          workerId: this.workerId,
          startedAt,
          now: at,
          failure,
          retryAt,
          ms,
          messageId: mail.messageId,
        });
        if (!written) continue;
        if (failure.class === "sender") {
          // The tenant's sending pauses: what has not been handed over waits for the resume.
          state.paused = true;
          state.halted = true;
          counts.retrying++;
          this.log(`worker: tenant ${sender.tenantId} paused: ${failure.kind} ${failure.reply}`);
        } else if (failure.class === "temporary" && retryAt) counts.retrying++;
        else counts.failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(SENDS_AT_ONCE, mails.length) }, sendOne));
    if (sent.length > 0) {
      const recorded = (await recordSentMany(this.db, { workerId: this.workerId, now: this.clock(), items: sent })).size;
      counts.sent += recorded;
    }
    if (notStarted.length > 0) await releaseRows(this.db, { workerId: this.workerId, rows: notStarted, now: this.clock() });
    return cancels.length + broken.length + notStarted.length;
  }

  private async handOver(
    sender: Extract<TenantSender, { ok: true }>,
    pool: PooledSender | RefusedTarget,
    row: DeliveryRow,
    mail: ComposedMail,
  ): Promise<{ ok: true; sent: SentOutcome } | { ok: false; failure: DeliveryFailure; startedAt: Date; ms: number }> {
    const startedAt = this.clock();
    const t0 = performance.now();
    const ctx = {
      host: "transport" in pool ? pool.hostname : sender.smtp.host,
      port: sender.smtp.port,
      security: sender.smtp.security,
      from: sender.fromAddress,
      to: row.recipient,
      user: sender.smtp.user ?? null,
      password: sender.smtp.password ?? null,
    };
    if (!("transport" in pool)) {
      return { ok: false, failure: refusedTargetFailure(pool, ctx), startedAt, ms: 0 };
    }
    this.transports.use(pool.key, 1, Date.now());
    try {
      const info = await pool.transport.sendMail(mail.message);
      if (process.env.POSTILLION_WORKER_TEST_PAUSE === "after_250") {
        // Tests only: the server said 250, the outcome is not written — the crash window.
        this.log(`test-pause after_250 ${row.id}`);
        await new Promise<never>(() => {});
      }
      return {
        ok: true,
        sent: {
          row,
          startedAt,
          messageId: mail.messageId,
          reply: String(info.response ?? ""),
          subject: mail.subject,
          locale: mail.locale,
          variantIndex: mail.variantIndex,
          ms: performance.now() - t0,
        },
      };
    } catch (error) {
      return { ok: false, failure: classifyDeliveryFailure(error, ctx), startedAt, ms: performance.now() - t0 };
    } finally {
      this.transports.use(pool.key, -1, Date.now());
    }
  }

  async shutdown(): Promise<number> {
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.renewTimer = undefined;
    const released = await releaseClaims(this.db, { workerId: this.workerId, now: this.clock() });
    this.transports.closeAll();
    return released;
  }
}

/** The SSRF guard refused the sender's server: a missing name may come back (temporary); a blocked one is a setting to fix. */
function refusedTargetFailure(
  refused: RefusedTarget,
  ctx: { host: string; port: number; security: "tls" | "starttls" | "none"; from: string; to: string },
): DeliveryFailure {
  if (refused.reason === "not_found") {
    return classifyDeliveryFailure(Object.assign(new Error(`Host name ${ctx.host} not found`), { code: "EDNS" }), ctx);
  }
  return {
    class: "sender",
    kind: "refused_host",
    smtpCode: null,
    reply: `Refused before connecting to ${ctx.host}:${ctx.port}: ${refused.reason}.`,
    advice: failureAdvice("refused_host", "sender", refused.message),
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ── Singleton jobs (worker_leases) ─────────────────────────────────────────────────

/**
 * Takes the named job's lease when it is free (or ours) and the job last ran at least
 * `everyMs` ago: one conditional upsert, so of many workers exactly one gets it.
 */
export async function takeJobLease(
  db: Db,
  p: { name: string; owner: string; now: Date; everyMs: number; leaseMs: number },
): Promise<boolean> {
  const l = db.t.workerLeases;
  const until = new Date(p.now.getTime() + p.leaseMs);
  const ranBefore = new Date(p.now.getTime() - p.everyMs);
  const rows = await db.orm
    .insert(l)
    .values({ name: p.name, owner: p.owner, until, lastRunAt: null })
    .onConflictDoUpdate({
      target: l.name,
      set: { owner: p.owner, until },
      setWhere: and(or(lt(l.until, p.now), eq(l.owner, p.owner)), or(isNull(l.lastRunAt), sql`${l.lastRunAt} <= ${sql.param(ranBefore, l.lastRunAt)}`)),
    })
    .returning({ owner: l.owner });
  return rows[0]?.owner === p.owner;
}

/** Frees the job's lease; `now` given: the job ran then (null: it failed, try again next tick). */
export async function finishJobLease(db: Db, p: { name: string; owner: string; now: Date | null }): Promise<void> {
  const l = db.t.workerLeases;
  await db.orm
    .update(l)
    .set({ until: new Date(0), ...(p.now ? { lastRunAt: p.now } : {}) })
    .where(and(eq(l.name, p.name), eq(l.owner, p.owner)));
}

// ── Entry points ────────────────────────────────────────────────────────────────────

/** Runs due re-checks (with `rechecks`), plans, mails pending alerts, sends everything due at that instant, returns the counts. */
export async function runWorkerOnce(db: Db, opts: WorkerOptions): Promise<WorkerCounts> {
  const worker = new DeliveryWorker(db, opts);
  try {
    // Due re-checks first: a red one stops that mode's sending in this very tick.
    await worker.recheck(0);
    const { due: _due, pausedTenants: _paused, ...counts } = await worker.tick({ planEveryMs: 0 });
    return counts;
  } finally {
    await worker.shutdown();
  }
}

export const HEALTH_EVERY_MS = 60_000;

/**
 * Ticks until stopped: every `pollMs` (default 2 s), planning every five minutes, a
 * heartbeat row and a health line each minute. `stop()` lets the running batch finish its
 * hand-overs, gives back what it had claimed but not started, and resolves when done.
 */
export function startWorker(
  db: Db,
  opts: WorkerOptions & { pollMs?: number; /** Tests: a shorter health interval. */ healthEveryMs?: number },
): { stop(): Promise<void>; done: Promise<void> } {
  const worker = new DeliveryWorker(db, opts);
  const log = opts.log ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const clock = opts.clock ?? (() => new Date());
  const pollMs = opts.pollMs ?? 2_000;
  let wake: (() => void) | undefined;
  const window: WorkerCounts & { due: number; pausedTenants: number } = { ...EMPTY_COUNTS, due: 0, pausedTenants: 0 };
  const startedAt = clock();

  const heartbeat = async (stopped: boolean) => {
    const h = db.t.workerHeartbeats;
    const now = clock();
    const stats = { ...window };
    await db.orm
      .insert(h)
      .values({ id: worker.workerId, host: os.hostname(), pid: process.pid, startedAt, seenAt: now, stoppedAt: stopped ? now : null, stats })
      .onConflictDoUpdate({ target: h.id, set: { seenAt: now, stats, ...(stopped ? { stoppedAt: now } : {}) } });
  };

  const health = () => {
    log(
      `health due=${window.due} sent=${window.sent} failed=${window.failed} retrying=${window.retrying} deferred=${window.deferred} ` +
        `cancelled=${window.cancelled} paused_tenants=${window.pausedTenants} worker=${worker.workerId}`,
    );
  };

  const beat = async () => {
    health();
    await heartbeat(false).catch((error: unknown) => log(`worker: heartbeat failed: ${errorText(error)}`));
    Object.assign(window, EMPTY_COUNTS);
  };
  // Its own timer: a long tick (a big backlog) does not hold the health line back.
  const healthTimer = setInterval(() => void beat(), opts.healthEveryMs ?? HEALTH_EVERY_MS);
  healthTimer.unref();

  // The re-checks in a loop of their own: a slow DNS or SMTP server never holds a tick back.
  let wakeRechecks: (() => void) | undefined;
  const recheckLoop = async () => {
    if (!opts.rechecks) return;
    const everyMs = opts.rechecks.sweepEveryMs ?? RECHECK_SWEEP_EVERY_MS;
    while (!worker.stopping) {
      await worker.recheck(everyMs).catch((error: unknown) => log(`worker: re-checks failed: ${errorText(error)}`));
      if (worker.stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, everyMs);
        wakeRechecks = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeRechecks = undefined;
    }
  };

  const loop = async () => {
    await heartbeat(false).catch((error: unknown) => log(`worker: heartbeat failed: ${errorText(error)}`));
    log(`worker ${worker.workerId} started`);
    const rechecking = recheckLoop();
    while (!worker.stopping) {
      try {
        await worker.tick({ planEveryMs: PLANNING_INTERVAL_MS, into: window });
      } catch (error) {
        log(`worker: tick failed: ${errorText(error)}`);
      }
      if (worker.stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
    clearInterval(healthTimer);
    // A running re-check pass takes no new tenant once stopping; its checks in flight finish.
    await rechecking;
    const released = await worker.shutdown();
    await heartbeat(true).catch(() => undefined);
    log(`worker ${worker.workerId} stopped${released > 0 ? `, ${released} claimed rows given back` : ""}`);
  };

  const done = loop();
  return {
    done,
    async stop() {
      worker.stopping = true;
      wake?.();
      wakeRechecks?.();
      await done;
    },
  };
}
