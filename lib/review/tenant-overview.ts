import type { Db } from "../db";
import { planCountsByTenant } from "../reminders/queries";
import { loadSenderOverview, type SenderState } from "../sender/service";

export interface TenantStatus {
  sender: SenderState;
  activePlans: number;
  highRiskPlans: number;
  /** Something a consultant should look at: not ready to send, or a high-risk plan. */
  needsAttention: boolean;
}

/**
 * The consultants' overview of one page of tenants. Sender readiness comes from the
 * same function as the sender page (one definition of "ready"), a few indexed
 * look-ups per tenant on a page of at most 25; plan counts in one grouped query.
 */
export async function tenantStatuses(
  db: Db,
  params: { tenantIds: string[]; relayConfigured: boolean; now: Date },
): Promise<Map<string, TenantStatus>> {
  const plans = await planCountsByTenant(db, { tenantIds: params.tenantIds });
  const out = new Map<string, TenantStatus>();
  for (const tenantId of params.tenantIds) {
    const { state } = await loadSenderOverview(db, { tenantId, relayConfigured: params.relayConfigured, now: params.now });
    const counts = plans.get(tenantId) ?? { active: 0, highRisk: 0 };
    out.set(tenantId, {
      sender: state,
      activePlans: counts.active,
      highRiskPlans: counts.highRisk,
      needsAttention: state.status !== "ready" || counts.highRisk > 0,
    });
  }
  return out;
}
