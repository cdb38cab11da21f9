import type { Localized } from "../i18n/locale";

/** The steps of a domain check, in the order they run and are shown. */
export const CHECK_STEPS = ["txt", "spf-records", "spf-evaluation", "mx", "dmarc", "dkim"] as const;
export type CheckStep = (typeof CHECK_STEPS)[number];

/**
 * ok: fine. warning: works, but should be improved. error: blocks or breaks
 * mail. pending: not set up yet / waiting for a DNS change (DKIM). temporary:
 * could not check (DNS timeout, SERVFAIL) — try again, never a "failed".
 */
export type FindingStatus = "ok" | "warning" | "error" | "pending" | "temporary";

export interface Finding {
  step: CheckStep;
  /** Stable identifier (e.g. "spf.multiple"), for history and "what changed". */
  code: string;
  status: FindingStatus;
  /** What is wrong (or right), in plain words. */
  title: Localized;
  /** Why it matters, with the technical detail a DNS person needs. */
  detail: Localized;
  /** What to do. */
  action?: Localized;
  /** Records and technical lines, shown verbatim (copyable). */
  raw?: string[];
}

export interface StepReport {
  step: CheckStep;
  title: Localized;
  /** The worst status of its findings. */
  status: FindingStatus;
  findings: Finding[];
  durationMs: number;
}

const SEVERITY: Record<FindingStatus, number> = { ok: 0, pending: 1, warning: 2, temporary: 3, error: 4 };

export function worstStatus(statuses: FindingStatus[]): FindingStatus {
  return statuses.reduce<FindingStatus>((worst, s) => (SEVERITY[s] > SEVERITY[worst] ? s : worst), "ok");
}
