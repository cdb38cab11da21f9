import type { Localized } from "../i18n/locale";

/**
 * Shared vocabulary of the delivery feature (issue 11). The outbox row is
 * `deliveries` (lib/db/schema); its statuses:
 *
 * - planned   — waiting for `nextAttemptAt` (initially = dueAt)
 * - sending   — claimed by a worker (`leaseOwner`, `leaseUntil`); a lease that ran out is
 *               claimable again (the worker died): at-least-once
 * - retrying  — a temporary failure; `nextAttemptAt` is the backoff's next try
 * - deferred  — over the tenant's daily quota (or its sender is paused / not ready);
 *               `nextAttemptAt` is when it can go
 * - sent      — the server said 250; `sentAt`
 * - failed    — permanent: `failureClass` recipient / message / expired (gave up after 3 days)
 * - cancelled — will not be sent: `cancelReason`
 */

/** A row that has not gone out and is not in flight: a stop cancels it, a re-plan moves it. */
export const PENDING_STATUSES = ["planned", "retrying", "deferred"] as const;
export type PendingStatus = (typeof PENDING_STATUSES)[number];

/** Why a pending row will not be sent. The first four are lib/learners/stop-reminders.ts's. */
export const CANCEL_REASONS = [
  "completed",
  "withdrawn",
  "learner_inactive",
  "unsubscribed",
  "suppressed",
  "plan_changed",
  "plan_inactive",
  "digest_empty",
] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/** The three failure classes of DESIGN.md "Failures", plus "message" (this mail can never go: too big, bad template) and "expired". */
export const FAILURE_CLASSES = ["temporary", "recipient", "sender", "message", "expired"] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** One classified send failure (lib/delivery/failures.ts classifyDeliveryFailure). */
export interface DeliveryFailure {
  class: Exclude<FailureClass, "expired">;
  /** Machine code, e.g. "mailbox_unknown", "auth_failed", "policy_rejected", "greylisted", "timeout", "dropped". */
  kind: string;
  /** The SMTP reply code when the server gave one. */
  smtpCode: number | null;
  /** The server's reply or the connection error, password-redacted (shown as "details"). */
  reply: string;
  /** What happened and what to do, in plain words. */
  advice: Localized;
}

/** What `postillion worker --once --json` prints (and runWorkerOnce returns). */
export interface WorkerCounts {
  sent: number;
  failed: number;
  retrying: number;
  deferred: number;
  cancelled: number;
}

export const EMPTY_COUNTS: WorkerCounts = { sent: 0, failed: 0, retrying: 0, deferred: 0, cancelled: 0 };
