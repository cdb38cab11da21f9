import crypto from "node:crypto";
import { and, asc, count, desc, eq, gt, inArray, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { writeAuditBy } from "../audit/log";
import { actorKindOf, displayDetails, type AuditActorKind } from "../audit/read";
import { can, type UseCaseActor } from "../auth/policy";
import type { Db } from "../db";
import { fail, ok, type Outcome } from "../errors";
import { localizedIssues } from "../validation/localize";

/**
 * Consultants' reviews of a tenant. The newest review is the tenant's review state; any
 * audited change to sender, domain or plans after it turns the state into "changed since
 * review". Checks and tests (manual or by the worker's re-checks) change nothing a
 * consultant decided on, so they do not count.
 */
export const REVIEW_CHANGE_ACTIONS = [
  "sender.save",
  "sender.proof.verify",
  "domain.dkim.generate",
  "reminderPlan.create",
  "reminderPlan.update",
  "reminderPlan.highRiskConfirmed",
] as const;
export type ReviewChangeAction = (typeof REVIEW_CHANGE_ACTIONS)[number];

export type ReviewState =
  | { status: "not_reviewed" }
  | {
      status: "reviewed" | "changed";
      reviewedAt: Date;
      reviewerName: string | null;
      note: string | null;
      /** Audit entries of REVIEW_CHANGE_ACTIONS after the review. */
      changesSince: number;
    };

/** The review row `r` (tenant_reviews itself, unaliased) is its tenant's newest (ties: highest id). */
function isNewestReview(db: Db): SQL {
  const r = db.t.tenantReviews;
  return sql`not exists (select 1 from tenant_reviews newer where newer.tenant_id = ${r.tenantId} and (newer.reviewed_at > ${r.reviewedAt} or (newer.reviewed_at = ${r.reviewedAt} and newer.id > ${r.id})))`;
}

/** An audit row that is a change a review cares about (a failed proof attempt changes nothing). */
function isReviewChange(db: Db): SQL {
  const a = db.t.auditLog;
  return and(
    inArray(a.action, [...REVIEW_CHANGE_ACTIONS]),
    sql`(${a.action} <> 'sender.proof.verify' or (${a.details} ->> 'result') = 'ok')`,
  )!;
}

/**
 * The review state of every tenant (or of `tenantIds`): two queries whatever the number
 * of tenants — the newest review per tenant, and the count of changes after it, grouped.
 * Tenants without a review are "not_reviewed" (only the ones asked for by id are listed).
 */
export async function reviewStates(db: Db, params: { tenantIds?: string[] } = {}): Promise<Map<string, ReviewState>> {
  const out = new Map<string, ReviewState>();
  const ids = params.tenantIds;
  if (ids && ids.length === 0) return out;
  const r = db.t.tenantReviews;
  const a = db.t.auditLog;
  const u = db.t.users;
  const [reviews, changes] = await Promise.all([
    db.orm
      .select({ tenantId: r.tenantId, reviewedAt: r.reviewedAt, note: r.note, reviewerName: u.name })
      .from(r)
      .leftJoin(u, eq(u.id, r.reviewerId))
      .where(and(ids ? inArray(r.tenantId, ids) : undefined, isNewestReview(db))),
    db.orm
      .select({ tenantId: r.tenantId, n: count() })
      .from(r)
      .innerJoin(a, and(eq(a.tenantId, r.tenantId), sql`${a.createdAt} > ${r.reviewedAt}`))
      .where(and(ids ? inArray(r.tenantId, ids) : undefined, isNewestReview(db), isReviewChange(db)))
      .groupBy(r.tenantId),
  ]);
  const changed = new Map(changes.map((c) => [c.tenantId, Number(c.n)]));
  for (const id of ids ?? []) out.set(id, { status: "not_reviewed" });
  for (const review of reviews) {
    const changesSince = changed.get(review.tenantId) ?? 0;
    out.set(review.tenantId, {
      status: changesSince > 0 ? "changed" : "reviewed",
      reviewedAt: review.reviewedAt,
      reviewerName: review.reviewerName ?? null,
      note: review.note,
      changesSince,
    });
  }
  return out;
}

// ── Marking a tenant reviewed ──────────────────────────────────────────────────

export const REVIEW_NOTE_MAX = 2000;

/** The "Mark reviewed" form (page, action and use case): an optional note; blank means none. */
export const markReviewedSchema = z.object({
  note: z
    .string({ error: "review.noteText" })
    .trim()
    .max(REVIEW_NOTE_MAX, { error: "review.noteTooLong" })
    .nullish()
    .transform((note) => (note ? note : null)),
});
export type MarkReviewedInput = z.input<typeof markReviewedSchema>;

/**
 * A consultant marks a tenant reviewed (with an optional note): one review row and the
 * audit entry "review.mark" in one transaction. The newest review is the tenant's state.
 */
export async function markReviewed(
  db: Db,
  params: { actor: UseCaseActor; tenantId: string; input: unknown; now?: Date },
): Promise<Outcome<{ id: string; reviewedAt: Date; note: string | null }>> {
  if (!can(params.actor, "review.manage")) return fail("forbidden");
  const parsed = markReviewedSchema.safeParse(params.input ?? {});
  if (!parsed.success) return fail("invalid", localizedIssues(parsed.error));
  const { note } = parsed.data;
  const now = params.now ?? new Date();
  const id = crypto.randomUUID();
  const done = await db.transaction(async (tx) => {
    const [tenant] = await tx.orm.select({ id: tx.t.tenants.id }).from(tx.t.tenants).where(eq(tx.t.tenants.id, params.tenantId));
    if (!tenant) return false;
    await tx.orm.insert(tx.t.tenantReviews).values({ id, tenantId: tenant.id, reviewerId: params.actor.userId, note, reviewedAt: now });
    await writeAuditBy(
      tx,
      params.actor,
      { tenantId: tenant.id, action: "review.mark", targetType: "tenant_review", targetId: id, details: { note } },
      now,
    );
    return true;
  });
  return done ? ok({ id, reviewedAt: now, note }) : fail("notFound");
}

// ── What changed since the review ──────────────────────────────────────────────

/** One value that differs between the review and now, as text (secrets stay "[redacted]"). */
export interface ReviewFieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

/** One audit entry behind a change: who and when. */
export interface ReviewChangeEntry {
  at: Date;
  action: string;
  actorKind: AuditActorKind;
  actorName: string | null;
}

/** One thing that changed since the review: the sender settings, a plan, a DKIM key, a proven address. */
export interface ReviewChange {
  kind: "sender" | "plan" | "dkim" | "proof";
  /** Plan id, key id, address; the tenant's id for the sender settings. */
  target: string;
  /** What a person calls it: the plan's newest name, "domain (selector)", the address; null for the sender. */
  label: string | null;
  /** Made after the review (a new plan or key, a newly proven address): every "before" is null. */
  created: boolean;
  /** Oldest first. */
  entries: ReviewChangeEntry[];
  fields: ReviewFieldChange[];
}

export interface ReviewHistoryEntry {
  reviewedAt: Date;
  reviewerName: string | null;
  note: string | null;
}

export interface ReviewDetail {
  state: ReviewState;
  /** Newest first. */
  history: ReviewHistoryEntry[];
  /** Newest change first; empty unless the state is "changed". */
  changes: ReviewChange[];
}

const PLAN_SAVES = ["reminderPlan.create", "reminderPlan.update"];
/** Details of a plan save that are not the plan's own values (who saved it how, the training's other plans). */
const NOT_PLAN_VALUES = new Set(["via", "apiKeyId", "activePlans"]);

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Nested objects as dotted field names (schedule.sendTime), values as text. */
function flatten(details: Record<string, unknown> | null, prefix = ""): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const [key, value] of Object.entries(details ?? {})) {
    if (!prefix && NOT_PLAN_VALUES.has(key)) continue;
    if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of flatten(value as Record<string, unknown>, `${prefix}${key}.`)) out.set(k, v);
    } else out.set(`${prefix}${key}`, asText(value));
  }
  return out;
}

/** The rows where `before` and `after` differ (a missing field counts as null). */
function diffFields(before: Map<string, string | null>, after: Map<string, string | null>): ReviewFieldChange[] {
  const fields = [...new Set([...before.keys(), ...after.keys()])];
  return fields
    .map((field) => ({ field, before: before.get(field) ?? null, after: after.get(field) ?? null }))
    .filter((row) => row.before !== row.after);
}

interface ChangeRow extends ReviewChangeEntry {
  targetId: string | null;
  details: Record<string, unknown> | null;
}

/** The sender settings' changes: per field the first "from" and the last "to" of the saves. */
function senderChange(tenantId: string, rows: ChangeRow[]): ReviewChange {
  const first = new Map<string, string | null>();
  const last = new Map<string, string | null>();
  for (const row of rows) {
    const changes = (row.details?.changes ?? {}) as Record<string, unknown>;
    for (const [field, value] of Object.entries(changes)) {
      const pair = value && typeof value === "object" && "to" in value ? (value as { from?: unknown; to?: unknown }) : null;
      // A fact without before/after (the password: "[redacted]") is shown as the new value.
      if (!first.has(field)) first.set(field, pair ? asText(pair.from) : null);
      last.set(field, pair ? asText(pair.to) : asText(value));
    }
  }
  const fields = [...last.keys()]
    .map((field) => ({ field, before: first.get(field) ?? null, after: last.get(field) ?? null }))
    .filter((row) => row.before !== row.after || row.after === "[redacted]");
  return { kind: "sender", target: tenantId, label: null, created: false, entries: rows.map(entryOf), fields };
}

function entryOf(row: ChangeRow): ReviewChangeEntry {
  return { at: row.at, action: row.action, actorKind: row.actorKind, actorName: row.actorName };
}

/**
 * A plan's changes: its last save before the review against its newest save; a plan
 * first saved after the review is "created". A high-risk confirmation shows as a field.
 */
function planChange(planId: string, rows: ChangeRow[], beforeReview: Record<string, unknown> | undefined): ReviewChange {
  const saves = rows.filter((r) => PLAN_SAVES.includes(r.action));
  const newest = saves[saves.length - 1];
  const before = flatten(beforeReview ?? null);
  const fields = newest ? diffFields(before, flatten(newest.details)) : [];
  const confirmed = rows.filter((r) => r.action === "reminderPlan.highRiskConfirmed").pop();
  if (confirmed) fields.push({ field: "highRiskConfirmed", before: null, after: asText(confirmed.details?.summary) });
  const name = asText(newest?.details?.name ?? beforeReview?.name);
  return { kind: "plan", target: planId, label: name, created: !beforeReview, entries: rows.map(entryOf), fields };
}

function dkimChange(row: ChangeRow): ReviewChange {
  const selector = asText(row.details?.selector);
  return {
    kind: "dkim",
    target: asText(row.details?.keyId) ?? row.targetId ?? "",
    label: `${row.targetId ?? ""}${selector ? ` (${selector})` : ""}`,
    created: true,
    entries: [entryOf(row)],
    fields: [
      { field: "domain", before: null, after: row.targetId },
      { field: "selector", before: null, after: selector },
    ],
  };
}

function proofChange(address: string, rows: ChangeRow[]): ReviewChange {
  return {
    kind: "proof",
    target: address,
    label: address,
    created: true,
    entries: rows.map(entryOf),
    fields: [{ field: "provenAddress", before: null, after: address }],
  };
}

/**
 * The review page's content: the state, the notes, and — when something changed since
 * the review — one entry per changed thing with who changed it when and the values
 * before and after, all from the audit log (details as the audit page shows them).
 */
export async function reviewDetail(db: Db, params: { tenantId: string; historyLimit?: number }): Promise<ReviewDetail> {
  const { tenantId } = params;
  const r = db.t.tenantReviews;
  const u = db.t.users;
  const [states, history] = await Promise.all([
    reviewStates(db, { tenantIds: [tenantId] }),
    db.orm
      .select({ reviewedAt: r.reviewedAt, reviewerName: u.name, note: r.note })
      .from(r)
      .leftJoin(u, eq(u.id, r.reviewerId))
      .where(eq(r.tenantId, tenantId))
      .orderBy(desc(r.reviewedAt), desc(r.id))
      .limit(params.historyLimit ?? 50),
  ]);
  const state = states.get(tenantId) ?? { status: "not_reviewed" as const };
  const detail: ReviewDetail = { state, history: history.map((h) => ({ ...h, reviewerName: h.reviewerName ?? null })), changes: [] };
  if (state.status !== "changed") return detail;

  const a = db.t.auditLog;
  const select = { at: a.createdAt, action: a.action, targetId: a.targetId, details: a.details, actorUserId: a.actorUserId, actorName: u.name };
  const since = await db.orm
    .select(select)
    .from(a)
    .leftJoin(u, eq(u.id, a.actorUserId))
    .where(and(eq(a.tenantId, tenantId), gt(a.createdAt, state.reviewedAt), isReviewChange(db)))
    .orderBy(asc(a.createdAt), asc(a.id));
  const rows: ChangeRow[] = since.map((row) => ({
    at: row.at,
    action: row.action,
    targetId: row.targetId,
    details: displayDetails(row.details),
    actorKind: actorKindOf(row),
    actorName: row.actorName ?? null,
  }));

  const plans = new Map<string, ChangeRow[]>();
  const proofs = new Map<string, ChangeRow[]>();
  const senderRows: ChangeRow[] = [];
  const changes: ReviewChange[] = [];
  for (const row of rows) {
    if (row.action === "sender.save") senderRows.push(row);
    else if (row.action === "domain.dkim.generate") changes.push(dkimChange(row));
    else if (row.action === "sender.proof.verify") {
      const address = row.targetId ?? asText(row.details?.address) ?? "";
      proofs.set(address, [...(proofs.get(address) ?? []), row]);
    } else if (row.targetId) plans.set(row.targetId, [...(plans.get(row.targetId) ?? []), row]);
  }
  if (senderRows.length > 0) changes.push(senderChange(tenantId, senderRows));
  for (const [address, list] of proofs) changes.push(proofChange(address, list));

  if (plans.size > 0) {
    // Each plan's last save at or before the review (newest first; the first per plan wins).
    const earlier = await db.orm
      .select({ targetId: a.targetId, details: a.details })
      .from(a)
      .where(and(eq(a.tenantId, tenantId), inArray(a.action, PLAN_SAVES), inArray(a.targetId, [...plans.keys()]), lte(a.createdAt, state.reviewedAt)))
      .orderBy(desc(a.createdAt), desc(a.id));
    const beforeReview = new Map<string, Record<string, unknown>>();
    for (const row of earlier) {
      if (row.targetId && !beforeReview.has(row.targetId)) beforeReview.set(row.targetId, displayDetails(row.details) ?? {});
    }
    for (const [planId, list] of plans) changes.push(planChange(planId, list, beforeReview.get(planId)));
  }
  const lastAt = (c: ReviewChange) => c.entries[c.entries.length - 1]!.at.getTime();
  detail.changes = changes.sort((x, y) => lastAt(y) - lastAt(x));
  return detail;
}
