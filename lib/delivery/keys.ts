import { createHash } from "node:crypto";
import { DateTime } from "luxon";

/**
 * The identity of every outbox row, and what is derived from it. A reminder is the
 * occurrence-th reminder of one plan for one assignment; a digest is one responsible
 * person's mail of one ISO week. The Message-ID comes from this key and the sending
 * domain only, so every attempt of a row (also one repeated after a crash between the
 * server's 250 and the outcome's write) carries the same Message-ID.
 */

export function reminderKey(planId: string, assignmentId: string, occurrence: number): string {
  return `reminder:${planId}:${assignmentId}:${occurrence}`;
}

/** `2026-W48`: the ISO week of an instant in the tenant's zone. */
export function isoWeekOf(at: Date, timezone: string): string {
  const dt = DateTime.fromJSDate(at, { zone: timezone });
  return `${dt.weekYear}-W${String(dt.weekNumber).padStart(2, "0")}`;
}

/** deliveries.digestKey: the responsible person's address (lower-cased) and the ISO week. */
export function digestKey(responsibleEmail: string, isoWeek: string): string {
  return `${responsibleEmail.trim().toLowerCase()}|${isoWeek}`;
}

export function parseDigestKey(key: string): { responsibleEmail: string; isoWeek: string } | null {
  const bar = key.lastIndexOf("|");
  if (bar <= 0 || !/^\d{4}-W\d{2}$/.test(key.slice(bar + 1))) return null;
  return { responsibleEmail: key.slice(0, bar), isoWeek: key.slice(bar + 1) };
}

export function digestRowKey(tenantId: string, key: string): string {
  return `digest:${tenantId}:${key}`;
}

/** The row's key as a string, whatever its kind. */
export function deliveryKey(row: {
  kind: "reminder" | "digest";
  tenantId: string;
  planId: string | null;
  assignmentId: string | null;
  occurrence: number | null;
  digestKey: string | null;
}): string {
  if (row.kind === "digest") return digestRowKey(row.tenantId, row.digestKey ?? "");
  return reminderKey(row.planId ?? "", row.assignmentId ?? "", row.occurrence ?? 0);
}

/** `<32 hex of sha256(key)@domain>` (RFC 5322 msg-id, angle brackets included). */
export function messageIdFor(key: string, fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf("@") + 1).toLowerCase() || "postillion.invalid";
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 32);
  return `<${hash}@${domain}>`;
}
