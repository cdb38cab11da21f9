import crypto from "node:crypto";
import { and, eq, inArray, or } from "drizzle-orm";
import { writeAudit } from "../audit/log";
import { derivedSecret } from "../config/secrets";
import type { Db } from "../db";
import { fail, ok, type Outcome } from "../errors";
import type { Locale } from "../i18n/locale";
import { PENDING_DELIVERY_STATUSES } from "../learners/stop-reminders";

/**
 * One-click unsubscribe (RFC 8058) from one reminder plan. The link in a reminder's
 * `List-Unsubscribe` header and footer carries a token naming the delivery row it came
 * with, signed with HMAC-SHA256 (a secret derived for this purpose only), so it needs
 * no sign-in, cannot be guessed, and names exactly one (plan, learner) pair.
 *
 * Token: `<delivery id>.<first 16 bytes of the MAC, base64url>`. 128 bits of MAC are
 * plenty against forgery; the id in clear lets the server find the row without a table
 * of tokens.
 */

const MAC_BYTES = 16;

// Derived once per process (HKDF costs more than the HMAC); the session secret does not change while it runs.
let macKey: Buffer | undefined;

function mac(deliveryId: string): string {
  macKey ??= derivedSecret("unsubscribe");
  return crypto.createHmac("sha256", macKey).update(deliveryId).digest().subarray(0, MAC_BYTES).toString("base64url");
}

export function unsubscribeToken(deliveryId: string): string {
  return `${deliveryId}.${mac(deliveryId)}`;
}

/** The delivery id the token was made for, or null when it was not made here (or altered). */
export function verifyUnsubscribeToken(token: string): string | null {
  if (typeof token !== "string" || token.length > 200) return null;
  const dot = token.lastIndexOf(".");
  if (dot <= 0) return null;
  const id = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), "base64url");
  const expected = Buffer.from(mac(id), "base64url");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  return id;
}

/** The one-click address (List-Unsubscribe): POST unsubscribes, GET shows the page. */
export function unsubscribeUrl(publicUrl: string, deliveryId: string): string {
  return unsubscribeLinks(publicUrl, deliveryId).oneClick;
}

/** Both addresses of a row, with one MAC: the one-click address (header) and the learner's page (footer: a GET only shows, its button confirms). */
export function unsubscribeLinks(publicUrl: string, deliveryId: string): { oneClick: string; page: string } {
  const base = publicUrl.replace(/\/+$/, "");
  const token = unsubscribeToken(deliveryId);
  return { oneClick: `${base}/api/unsubscribe/${token}`, page: `${base}/u/${token}` };
}

export interface UnsubscribeTarget {
  deliveryId: string;
  tenantId: string;
  tenantName: string;
  planId: string;
  planName: string;
  trainingName: string;
  learnerId: string;
  /** The learner's language, else the tenant's: the page speaks it. */
  locale: Locale;
  already: boolean;
}

/** What a token points at, without changing anything (the page's GET). null: unknown or forged token. */
export async function unsubscribeTarget(db: Db, p: { token: string }): Promise<UnsubscribeTarget | null> {
  const deliveryId = verifyUnsubscribeToken(p.token);
  if (!deliveryId) return null;
  const d = db.t.deliveries;
  const a = db.t.assignments;
  const [row] = await db.orm
    .select({ id: d.id, tenantId: d.tenantId, kind: d.kind, planId: d.planId, learnerId: d.learnerId, assignmentLearnerId: a.learnerId })
    .from(d)
    .leftJoin(a, and(eq(a.id, d.assignmentId), eq(a.tenantId, d.tenantId)))
    .where(eq(d.id, deliveryId));
  const learnerId = row?.learnerId ?? row?.assignmentLearnerId ?? null;
  if (!row || row.kind !== "reminder" || !row.planId || !learnerId) return null;
  const p2 = db.t.reminderPlans;
  const tr = db.t.trainings;
  const tn = db.t.tenants;
  const l = db.t.learners;
  const u = db.t.unsubscribes;
  const [info] = await db.orm
    .select({ planName: p2.name, trainingName: tr.name, tenantName: tn.name, tenantLocale: tn.locale, learnerLocale: l.locale })
    .from(p2)
    .innerJoin(tr, and(eq(tr.id, p2.trainingId), eq(tr.tenantId, p2.tenantId)))
    .innerJoin(tn, eq(tn.id, p2.tenantId))
    .innerJoin(l, and(eq(l.id, learnerId), eq(l.tenantId, p2.tenantId)))
    .where(and(eq(p2.id, row.planId), eq(p2.tenantId, row.tenantId)));
  if (!info) return null;
  const [existing] = await db.orm
    .select({ id: u.id })
    .from(u)
    .where(and(eq(u.tenantId, row.tenantId), eq(u.planId, row.planId), eq(u.learnerId, learnerId)));
  return {
    deliveryId: row.id,
    tenantId: row.tenantId,
    tenantName: info.tenantName,
    planId: row.planId,
    planName: info.planName,
    trainingName: info.trainingName,
    learnerId,
    locale: info.learnerLocale ?? info.tenantLocale,
    already: Boolean(existing),
  };
}

export interface Unsubscribed {
  tenantName: string;
  planName: string;
  trainingName: string;
  locale: Locale;
  /** The learner had unsubscribed from this plan before (a second click, a scanner's POST). */
  already: boolean;
  /** Pending reminders of the plan for the learner that were cancelled now. */
  cancelled: number;
}

/**
 * The learner's unsubscribe from one plan: records it (once), cancels that plan's
 * pending reminders for the learner (reason `unsubscribed`) and writes the audit entry
 * with the learner as actor — one transaction. A row being sent right now is checked
 * again by prepareMails before the hand-over. The planner skips the pair from now on.
 */
export async function unsubscribe(db: Db, p: { token: string; via: "one_click" | "page"; now: Date }): Promise<Outcome<Unsubscribed>> {
  const target = await unsubscribeTarget(db, { token: p.token });
  if (!target) return fail("notFound");
  const { tenantId, planId, learnerId, deliveryId } = target;
  return db.transaction(async (tx) => {
    const u = tx.t.unsubscribes;
    const inserted = await tx.orm
      .insert(u)
      .values({ id: crypto.randomUUID(), tenantId, planId, learnerId, deliveryId, via: p.via, createdAt: p.now })
      .onConflictDoNothing()
      .returning({ id: u.id });
    const a = tx.t.assignments;
    const assignmentIds = (
      await tx.orm
        .select({ id: a.id })
        .from(a)
        .where(and(eq(a.tenantId, tenantId), eq(a.learnerId, learnerId)))
    ).map((r) => r.id);
    const d = tx.t.deliveries;
    const cancelled = (
      await tx.orm
        .update(d)
        .set({ status: "cancelled", cancelReason: "unsubscribed", updatedAt: p.now })
        .where(
          and(
            eq(d.tenantId, tenantId),
            eq(d.planId, planId),
            inArray(d.status, [...PENDING_DELIVERY_STATUSES]),
            assignmentIds.length > 0 ? or(eq(d.learnerId, learnerId), inArray(d.assignmentId, assignmentIds)) : eq(d.learnerId, learnerId),
          ),
        )
        .returning({ id: d.id })
    ).length;
    const already = inserted.length === 0;
    if (!already) {
      await writeAudit(
        tx,
        {
          tenantId,
          actorUserId: null,
          action: "delivery.unsubscribed",
          targetType: "learner",
          targetId: learnerId,
          details: { actor: "learner", via: p.via, planId, planName: target.planName, deliveryId, cancelled },
        },
        p.now,
      );
    }
    return ok({
      tenantName: target.tenantName,
      planName: target.planName,
      trainingName: target.trainingName,
      locale: target.locale,
      already,
      cancelled,
    });
  });
}
