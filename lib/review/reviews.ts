import { and, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db";

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
