import type { Db } from "../db";
import type { Role } from "../auth/policy";
import type { SenderMode } from "./sender-schema";
import { loadSenderOverview, type NotReadyReason, type SenderOverview, type SenderState } from "./service";

/**
 * "Can this tenant send, and why not" — decided once, here, from the readiness that
 * loadSenderOverview computes. The sender status, the reminders pages, each active
 * plan and the setup checklist all read this verdict, so they never disagree.
 */

/** Why nothing goes out; `relay_missing_operator` is the same fact worded for a consultant. */
export type BlockReason = "not_configured" | Exclude<NotReadyReason, "relay_missing"> | "relay_missing" | "relay_missing_operator";

/** Where the reason is fixed: a tenant section, or the platform configuration (no link). */
export type FixPlace = "sender" | "domain" | "platform_config";

export type SendingVerdict =
  | { canSend: true; mode: SenderMode }
  | { canSend: false; mode: SenderMode | null; reasons: { reason: BlockReason; fix: FixPlace }[] };

const FIX: Record<NotReadyReason | "not_configured", FixPlace> = {
  not_configured: "sender",
  relay_missing: "platform_config",
  domain_not_checked: "domain",
  domain_check_running: "domain",
  domain_not_green: "domain",
  address_not_proven: "sender",
  proof_pending: "sender",
  not_tested: "sender",
  test_failed: "sender",
};

/**
 * The verdict for one viewer. Consultants run the platform: "ask your platform support"
 * would send them to themselves, so they are told what to configure instead.
 */
export function sendingVerdict(state: SenderState, viewer: Role): SendingVerdict {
  if (state.status === "ready") return { canSend: true, mode: state.mode };
  const raw: (NotReadyReason | "not_configured")[] = state.status === "not_configured" ? ["not_configured"] : state.reasons;
  return {
    canSend: false,
    mode: state.status === "not_configured" ? null : state.mode,
    reasons: raw.map((r) => ({
      reason: r === "relay_missing" && viewer === "consultant" ? "relay_missing_operator" : r,
      fix: FIX[r],
    })),
  };
}

/** Which modes this platform can offer at all: platform and own domain go out through the operator's relay. */
export function modeAvailable(mode: SenderMode, relayConfigured: boolean): boolean {
  return mode === "custom_smtp" || relayConfigured;
}

/** The overview and its verdict in one call, for pages that show both. */
export async function loadSendingVerdict(
  db: Db,
  params: { tenantId: string; relayConfigured: boolean; viewer: Role; now: Date },
): Promise<{ overview: SenderOverview; verdict: SendingVerdict }> {
  const overview = await loadSenderOverview(db, params);
  return { overview, verdict: sendingVerdict(overview.state, params.viewer) };
}
