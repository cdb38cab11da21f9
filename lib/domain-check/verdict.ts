import type { CheckStep, Finding } from "./types";

export type Verdict = "green" | "not_ready" | "temporary";

export interface VerdictInput {
  /** v=spf1 records published at the domain. */
  spfRecordCount: number;
  /** Gateway IPs of the platform profile. */
  gatewayIpCount: number;
  evaluations: ReadonlyArray<{ result: string }>;
  platformIncludesReached: readonly string[];
  mx: { records: readonly unknown[]; nullMx: boolean } | null;
  findings: ReadonlyArray<Pick<Finding, "step" | "status">>;
}

// DMARC and DKIM advise; only these steps decide whether the domain may be used.
const BLOCKING_STEPS = new Set<CheckStep>(["txt", "spf-records", "spf-evaluation", "mx"]);

/**
 * green: the domain may be used as sender (customer_domain mode) — exactly one SPF
 * record, it passes for every gateway IP and reaches a platform include, MX present and
 * not null, and no error or temporary finding in those steps. temporary: only DNS
 * trouble stands in the way. not_ready: otherwise.
 */
export function checkVerdict(input: VerdictInput): Verdict {
  const blocking = input.findings.filter((f) => BLOCKING_STEPS.has(f.step));
  const green =
    input.spfRecordCount === 1 &&
    input.evaluations.length === input.gatewayIpCount &&
    input.evaluations.every((e) => e.result === "pass") &&
    input.platformIncludesReached.length > 0 &&
    input.mx !== null &&
    input.mx.records.length > 0 &&
    !input.mx.nullMx &&
    !blocking.some((f) => f.status === "error" || f.status === "temporary");
  const hasError = blocking.some((f) => f.status === "error");
  const hasTemporary = blocking.some((f) => f.status === "temporary");
  return green ? "green" : hasTemporary && !hasError ? "temporary" : "not_ready";
}
