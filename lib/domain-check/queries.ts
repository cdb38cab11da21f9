import crypto from "node:crypto";
import { and, count, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../db";
import type { Verdict } from "./check";
import type { StepReport } from "./types";

/**
 * Database access of the domain check and the DKIM keys. Every statement carries
 * the tenant predicate — updates by id included — and every function takes
 * `(db, params)` so it composes inside transactions and runs in tests.
 *
 * `domain_checks.findings` holds the StepReports completed so far (it grows while
 * the check runs, which is what the page polls); `raw` holds the records seen,
 * written once when the check is done.
 */

export type DomainCheckRow = NonNullable<Awaited<ReturnType<typeof getDomainCheck>>>;

/**
 * Inserts a running check, unless the tenant already has one running for the domain
 * (the partial unique index domain_checks_one_running_unique): then null.
 */
export async function insertRunningCheck(
  db: Db,
  params: { tenantId: string; domain: string; startedBy: string | null; now: Date },
): Promise<string | null> {
  const id = crypto.randomUUID();
  const rows = await db.orm
    .insert(db.t.domainChecks)
    .values({
      id,
      tenantId: params.tenantId,
      domain: params.domain,
      status: "running",
      verdict: null,
      findings: [],
      raw: null,
      startedAt: params.now,
      finishedAt: null,
      startedBy: params.startedBy,
    })
    .onConflictDoNothing()
    .returning({ id: db.t.domainChecks.id });
  return rows[0]?.id ?? null;
}

/**
 * Inserts a check that has already finished (the worker's scheduled re-check): the row
 * appears done, in one statement, so there is no "running" window that readiness would
 * read as "check running" and stop sending for.
 */
export async function insertFinishedCheck(
  db: Db,
  params: { tenantId: string; domain: string; verdict: Verdict; steps: StepReport[]; raw: Record<string, unknown>; startedAt: Date; finishedAt: Date },
): Promise<DomainCheckRow> {
  const [row] = await db.orm
    .insert(db.t.domainChecks)
    .values({
      id: crypto.randomUUID(),
      tenantId: params.tenantId,
      domain: params.domain.toLowerCase(),
      status: "done",
      verdict: params.verdict,
      findings: params.steps,
      raw: params.raw,
      startedAt: params.startedAt,
      finishedAt: params.finishedAt,
      startedBy: null,
    })
    .returning();
  return row!;
}

/**
 * A "running" row older than this lost its process (crash, restart, deploy): the
 * check's own deadline is 20 s, so nothing still runs after two minutes.
 */
export const CHECK_STALE_AFTER_MS = 2 * 60 * 1000;

/**
 * Marks the running checks that outlived CHECK_STALE_AFTER_MS as failed (interrupted),
 * so they neither block a new check nor show "running" forever. Returns how many.
 */
export async function markInterruptedChecks(db: Db, params: { tenantId?: string; now: Date }): Promise<number> {
  const d = db.t.domainChecks;
  const rows = await db.orm
    .update(d)
    .set({ status: "failed", finishedAt: params.now })
    .where(
      and(
        params.tenantId ? eq(d.tenantId, params.tenantId) : undefined,
        eq(d.status, "running"),
        lt(d.startedAt, new Date(params.now.getTime() - CHECK_STALE_AFTER_MS)),
      ),
    )
    .returning({ id: d.id });
  return rows.length;
}

/** Stores the steps completed so far of a running check. */
export async function storeCheckSteps(db: Db, params: { tenantId: string; id: string; steps: StepReport[] }): Promise<void> {
  const d = db.t.domainChecks;
  await db.orm
    .update(d)
    .set({ findings: params.steps })
    .where(and(eq(d.tenantId, params.tenantId), eq(d.id, params.id), eq(d.status, "running")));
}

export async function finishCheck(
  db: Db,
  params: { tenantId: string; id: string; verdict: Verdict; steps: StepReport[]; raw: Record<string, unknown>; now: Date },
): Promise<void> {
  const d = db.t.domainChecks;
  await db.orm
    .update(d)
    .set({ status: "done", verdict: params.verdict, findings: params.steps, raw: params.raw, finishedAt: params.now })
    .where(and(eq(d.tenantId, params.tenantId), eq(d.id, params.id)));
}

/** The check broke off (a bug, the database went away): never a statement about the domain. */
export async function failCheck(db: Db, params: { tenantId: string; id: string; now: Date }): Promise<void> {
  const d = db.t.domainChecks;
  await db.orm
    .update(d)
    .set({ status: "failed", finishedAt: params.now })
    .where(and(eq(d.tenantId, params.tenantId), eq(d.id, params.id), eq(d.status, "running")));
}

export async function getDomainCheck(db: Db, params: { tenantId: string; id: string }) {
  const d = db.t.domainChecks;
  const [row] = await db.orm
    .select()
    .from(d)
    .where(and(eq(d.tenantId, params.tenantId), eq(d.id, params.id)));
  return row;
}

/** The latest check of a domain in any state (running included), or undefined. */
export async function latestCheckOfDomain(db: Db, params: { tenantId: string; domain: string }) {
  const d = db.t.domainChecks;
  const [row] = await db.orm
    .select()
    .from(d)
    .where(and(eq(d.tenantId, params.tenantId), eq(d.domain, params.domain.toLowerCase())))
    .orderBy(desc(d.startedAt), desc(d.id))
    .limit(1);
  return row;
}

export interface LatestDomainCheck {
  id: string;
  verdict: Verdict;
  startedAt: Date;
  finishedAt: Date;
}

/**
 * The latest finished check of a domain (status "done"): what the sender settings
 * need for "customer_domain is ready only when the latest check is green".
 * Undefined until a check of that domain has finished.
 */
export async function latestDomainCheck(db: Db, params: { tenantId: string; domain: string }): Promise<LatestDomainCheck | undefined> {
  const [row] = await doneChecks(db, { ...params, limit: 1 });
  return row ? { id: row.id, verdict: row.verdict!, startedAt: row.startedAt, finishedAt: row.finishedAt! } : undefined;
}

/** The last `limit` finished checks of a domain, newest first (for "what changed"). */
export async function doneChecks(db: Db, params: { tenantId: string; domain: string; limit: number }) {
  const d = db.t.domainChecks;
  return db.orm
    .select()
    .from(d)
    .where(and(eq(d.tenantId, params.tenantId), eq(d.domain, params.domain.toLowerCase()), eq(d.status, "done")))
    .orderBy(desc(d.finishedAt), desc(d.id))
    .limit(params.limit);
}

export interface HistoryEntry {
  id: string;
  domain: string;
  status: "running" | "done" | "failed";
  verdict: Verdict | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** null: nobody started it (the worker's automatic re-check). */
  startedBy: string | null;
}

/** One page of the tenant's checks, newest first; optionally of one domain. */
export async function listDomainChecks(
  db: Db,
  params: { tenantId: string; domain?: string; page: number; pageSize: number },
): Promise<{ rows: HistoryEntry[]; total: number }> {
  const d = db.t.domainChecks;
  const where = and(eq(d.tenantId, params.tenantId), params.domain ? eq(d.domain, params.domain.toLowerCase()) : undefined);
  const page = Math.max(1, Math.floor(params.page));
  const [rows, [totalRow]] = await Promise.all([
    db.orm
      .select({ id: d.id, domain: d.domain, status: d.status, verdict: d.verdict, startedAt: d.startedAt, finishedAt: d.finishedAt, startedBy: d.startedBy })
      .from(d)
      .where(where)
      .orderBy(desc(d.startedAt), desc(d.id))
      .limit(params.pageSize)
      .offset((page - 1) * params.pageSize),
    db.orm.select({ n: count() }).from(d).where(where),
  ]);
  return { rows, total: Number(totalRow?.n ?? 0) };
}

// ── DKIM keys ───────────────────────────────────────────────────────────────────

/** Never selects the private key box: what a page or a check may see. */
export async function listDkimKeys(db: Db, params: { tenantId: string; domain: string }) {
  const k = db.t.dkimKeys;
  return db.orm
    .select({ id: k.id, domain: k.domain, selector: k.selector, publicKey: k.publicKey, verifiedAt: k.verifiedAt, createdAt: k.createdAt })
    .from(k)
    .where(and(eq(k.tenantId, params.tenantId), eq(k.domain, params.domain.toLowerCase())))
    .orderBy(desc(k.createdAt), desc(k.id));
}

/** The whole row, private key box included: for signing (the delivery engine), never for a page. */
export async function getDkimKeyRow(db: Db, params: { tenantId: string; id: string }) {
  const k = db.t.dkimKeys;
  const [row] = await db.orm
    .select()
    .from(k)
    .where(and(eq(k.tenantId, params.tenantId), eq(k.id, params.id)));
  return row;
}

export async function insertDkimKey(
  db: Db,
  params: { tenantId: string; domain: string; selector: string; publicKey: string; privateKeyBox: string; now: Date },
): Promise<string> {
  const id = crypto.randomUUID();
  await db.orm.insert(db.t.dkimKeys).values({
    id,
    tenantId: params.tenantId,
    domain: params.domain.toLowerCase(),
    selector: params.selector,
    publicKey: params.publicKey,
    privateKeyBox: params.privateKeyBox,
    verifiedAt: null,
    createdAt: params.now,
  });
  return id;
}

export async function markDkimKeyVerified(db: Db, params: { tenantId: string; id: string; now: Date }): Promise<void> {
  const k = db.t.dkimKeys;
  await db.orm
    .update(k)
    .set({ verifiedAt: params.now })
    .where(and(eq(k.tenantId, params.tenantId), eq(k.id, params.id)));
}

// ── Other sections' data this page reads ───────────────────────────────────────

/** The From address of the tenant's sender settings when the mode is customer_domain. */
export async function customerDomainFromAddress(db: Db, params: { tenantId: string }): Promise<string | null> {
  const s = db.t.senderSettings;
  const [row] = await db.orm
    .select({ mode: s.mode, fromAddress: s.fromAddress })
    .from(s)
    .where(eq(s.tenantId, params.tenantId));
  return row?.mode === "customer_domain" && row.fromAddress ? row.fromAddress : null;
}

/**
 * The newest check of every domain of these tenants (all tenants when `tenantIds` is
 * left out), in one statement: of any status by start (what latestCheckOfDomain reads
 * per domain), or of the finished ones by finish (latestDomainCheck). Findings only when
 * asked for.
 */
export async function newestChecksPerDomain(db: Db, params: { tenantIds?: string[]; done?: boolean; withFindings?: boolean }) {
  const d = db.t.domainChecks;
  const order = params.done ? d.finishedAt : d.startedAt;
  const ranked = db.orm
    .select({
      tenantId: d.tenantId,
      domain: d.domain,
      status: d.status,
      verdict: d.verdict,
      findings: params.withFindings ? d.findings : sql<unknown[]>`null`.as("findings"),
      startedAt: d.startedAt,
      finishedAt: d.finishedAt,
      startedBy: d.startedBy,
      rank: sql<number>`row_number() over (partition by ${d.tenantId}, ${d.domain} order by ${order} desc, ${d.id} desc)`.as("rank"),
    })
    .from(d)
    .where(and(params.tenantIds ? inArray(d.tenantId, params.tenantIds) : undefined, params.done ? eq(d.status, "done") : undefined))
    .as("ranked");
  const rows = await db.orm
    .select({
      tenantId: ranked.tenantId,
      domain: ranked.domain,
      status: ranked.status,
      verdict: ranked.verdict,
      findings: ranked.findings,
      startedAt: ranked.startedAt,
      finishedAt: ranked.finishedAt,
      startedBy: ranked.startedBy,
    })
    .from(ranked)
    .where(eq(ranked.rank, 1));
  return rows.map((r) => ({ ...r, findings: (r.findings ?? []) as StepReport[] }));
}
