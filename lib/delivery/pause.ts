import crypto from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { writeAuditBy } from "../audit/log";
import { can, type UseCaseActor } from "../auth/policy";
import type { Db } from "../db";
import type { Tables } from "../db/client";
import { fail, ok, type Outcome } from "../errors";
import { interpolate } from "../i18n/locale";
import { raiseAlert, resolveAlerts, type AlertMessage } from "./alerts";
import type { DeliveryFailure } from "./types";

/**
 * A tenant's sending pauses on a sender-wide failure (a 535 login, a 5.7.x policy
 * rejection, TLS required, a 5.4.5 quota): nothing it sends could go, and every try
 * would hurt its reputation. The queue is kept; the worker skips paused tenants
 * (pausedTenantIds) until an admin or consultant resumes after the fix.
 *
 * At most one open pause per tenant (the partial unique index
 * sending_pauses_one_open_unique): of many workers failing at once, one pause and one
 * alert come out.
 */

export type SendingPause = Tables["sendingPauses"]["$inferSelect"];

/** The alert's dedupe key of one pause; every pause of a tenant shares the prefix. */
export function pauseAlertKey(tenantId: string, pauseId: string): string {
  return `${pauseAlertPrefix(tenantId)}${pauseId}`;
}
function pauseAlertPrefix(tenantId: string): string {
  return `sending_paused:${tenantId}:`;
}

function pauseMessage(tenantName: string, failure: DeliveryFailure): AlertMessage {
  return {
    de: {
      title: interpolate("Versand angehalten: {tenant}", { tenant: tenantName }),
      text: `${interpolate("Der Versand der Erinnerungen von {tenant} ist angehalten.", { tenant: tenantName })} ${failure.advice.de}`,
    },
    en: {
      title: interpolate("Sending paused: {tenant}", { tenant: tenantName }),
      text: `${interpolate("Sending the reminders of {tenant} is paused.", { tenant: tenantName })} ${failure.advice.en}`,
    },
  };
}

/**
 * Pauses the tenant's sending (inside the caller's transaction, database work only) and
 * raises the alert. `created: false` when a pause was already open (its id is returned).
 */
export async function pauseTenantSending(
  tx: Db,
  p: { tenantId: string; failure: DeliveryFailure; deliveryId: string | null; now: Date },
): Promise<{ pauseId: string; created: boolean }> {
  const sp = tx.t.sendingPauses;
  const id = crypto.randomUUID();
  const inserted = await tx.orm
    .insert(sp)
    .values({ id, tenantId: p.tenantId, errorKind: p.failure.kind, reply: p.failure.reply, deliveryId: p.deliveryId, pausedAt: p.now })
    // Any conflict here is the one-open-pause index (the id is fresh).
    .onConflictDoNothing()
    .returning({ id: sp.id });
  if (inserted.length === 0) {
    const open = await getOpenPause(tx, { tenantId: p.tenantId });
    return { pauseId: open!.id, created: false };
  }
  const t = tx.t.tenants;
  const [tenant] = await tx.orm.select({ slug: t.slug, name: t.name }).from(t).where(eq(t.id, p.tenantId));
  await raiseAlert(tx, {
    tenantId: p.tenantId,
    kind: "sending_paused",
    severity: "error",
    message: pauseMessage(tenant?.name ?? "", p.failure),
    detail: p.failure.reply,
    link: tenant ? `/t/${tenant.slug}/deliveries` : null,
    dedupeKey: pauseAlertKey(p.tenantId, id),
    now: p.now,
  });
  return { pauseId: id, created: true };
}

/** The tenant's open pause, or null. */
export async function getOpenPause(db: Db, p: { tenantId: string }): Promise<SendingPause | null> {
  const sp = db.t.sendingPauses;
  const [row] = await db.orm
    .select()
    .from(sp)
    .where(and(eq(sp.tenantId, p.tenantId), isNull(sp.resumedAt)))
    .orderBy(desc(sp.pausedAt))
    .limit(1);
  return row ?? null;
}

/** Every tenant whose sending is paused now (the worker skips them). */
export async function pausedTenantIds(db: Db): Promise<string[]> {
  const sp = db.t.sendingPauses;
  const rows = await db.orm.selectDistinct({ tenantId: sp.tenantId }).from(sp).where(isNull(sp.resumedAt));
  return rows.map((r) => r.tenantId);
}

/**
 * "Resume sending" after the fix: closes the open pause, resolves its alert, audits.
 * One conditional UPDATE decides: of parallel clicks exactly one resumes (and is
 * audited); the others get `resumed: false`. The rows that met the failure were left
 * due (retrying, next attempt = the failure's time), so the next tick sends them.
 */
export async function resumeTenantSending(
  db: Db,
  p: { actor: UseCaseActor; tenantId: string; now: Date },
): Promise<Outcome<{ resumed: boolean }>> {
  if (!can(p.actor, "deliveries.manage")) return fail("forbidden");
  const sp = db.t.sendingPauses;
  const resumed = await db.transaction(async (tx) => {
    const closed = await tx.orm
      .update(sp)
      .set({ resumedAt: p.now, resumedBy: p.actor.userId })
      .where(and(eq(sp.tenantId, p.tenantId), isNull(sp.resumedAt)))
      .returning({ id: sp.id, errorKind: sp.errorKind, pausedAt: sp.pausedAt });
    if (closed.length === 0) return false;
    await resolveAlerts(tx, { dedupeKeyPrefix: pauseAlertPrefix(p.tenantId), now: p.now });
    const pause = closed[0]!;
    await writeAuditBy(
      tx,
      p.actor,
      {
        tenantId: p.tenantId,
        action: "delivery.resume",
        targetType: "sendingPause",
        targetId: pause.id,
        details: { errorKind: pause.errorKind, pausedAt: pause.pausedAt.toISOString() },
      },
      p.now,
    );
    return true;
  });
  return ok({ resumed });
}
