import type { Db } from "../db";
import { planCountsByTenant } from "../reminders/queries";
import { loadSenderStates, type SenderState } from "../sender/service";

export interface TenantStatus {
  sender: SenderState;
  activePlans: number;
  highRiskPlans: number;
  /** Something a consultant should look at: not ready to send, or a high-risk plan. */
  needsAttention: boolean;
}

/**
 * The consultants' overview of one page of tenants. Sender readiness comes from the
 * same definition as the sender page (senderStateOf, loaded in bulk); plan counts in
 * one grouped query: a fixed number of statements whatever the page size.
 */
export async function tenantStatuses(
  db: Db,
  params: { tenantIds: string[]; relayConfigured: boolean; now: Date },
): Promise<Map<string, TenantStatus>> {
  const [plans, senders] = await Promise.all([planCountsByTenant(db, { tenantIds: params.tenantIds }), loadSenderStates(db, params)]);
  const out = new Map<string, TenantStatus>();
  for (const tenantId of params.tenantIds) {
    const state = senders.get(tenantId)?.state ?? { status: "not_configured" };
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
