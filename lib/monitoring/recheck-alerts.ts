import type { Db } from "../db";
import { resolveAlerts } from "../delivery/alerts";

/**
 * The re-check alerts' keys, apart from the re-check runner (lib/monitoring/rechecks.ts)
 * so the domain check and the sender settings can resolve them without importing the
 * runner that imports them: `recheck_domain:<tenant>:<id of the first red check>` and
 * `recheck_smtp:<tenant>:<instant of the failed test>`, one alert per incident.
 */

export type RecheckKind = "domain" | "smtp";

/** The alert kind stored on the row ("recheck_domain" / "recheck_smtp"). */
export function recheckAlertKind(kind: RecheckKind): string {
  return `recheck_${kind}`;
}

/** Every re-check alert of one kind and tenant starts with this. */
export function recheckAlertPrefix(kind: RecheckKind, tenantId: string): string {
  return `${recheckAlertKind(kind)}:${tenantId}:`;
}

/** Marks the tenant's open re-check alerts of that kind resolved (inside the caller's transaction). Returns how many. */
export function resolveRecheckAlerts(tx: Db, p: { kind: RecheckKind; tenantId: string; now: Date }): Promise<number> {
  return resolveAlerts(tx, { dedupeKeyPrefix: recheckAlertPrefix(p.kind, p.tenantId), now: p.now });
}
