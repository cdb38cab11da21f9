import { sendingVerdict } from "../sender/sending-block";
import type { SenderOverview } from "../sender/service";
import type { Role } from "../auth/policy";

/**
 * The tenant's setup as a checklist, in the order the work happens: choose how mail is
 * sent → (own domain only) the domain check is green → the address or server is
 * confirmed → a reminder plan is active → learners arrive. Pure: the overview page
 * loads the facts with the existing queries and renders what this returns.
 */

export type StepKey = "mode" | "domain" | "address" | "plan" | "learners";

/**
 * done: nothing left to do. todo: the user's next work. waiting: started, the system is
 * busy (a check runs, a code is on its way). blocked: cannot be done here (the operator
 * must configure something). not_built: the product does not offer it yet.
 */
export type StepState = "done" | "todo" | "waiting" | "blocked" | "not_built";

export interface SetupStep {
  key: StepKey;
  state: StepState;
  /** The tenant section where the step is done; null when there is nothing to click. */
  section: "sender" | "domain" | "reminders" | "learners" | null;
  /** A message key for the step's current detail (see `setup.detail.*`). */
  detail: string;
}

export interface SetupFacts {
  sender: Pick<SenderOverview, "settings" | "state" | "proof" | "domainCheck">;
  relayConfigured: boolean;
  activePlans: number;
  /** Whether the tenant has any learner yet (from the API or a CSV import). */
  hasLearners: boolean;
  /** Who looks: a consultant is told what to configure instead of whom to ask. */
  viewer: Role;
}

export interface SetupChecklist {
  steps: SetupStep[];
  /** The first step the user can act on now, if any. */
  next: StepKey | null;
  done: number;
}

export function setupChecklist(facts: SetupFacts): SetupChecklist {
  const { sender } = facts;
  const mode = sender.settings?.mode ?? null;
  const reasons = sender.state.status === "not_ready" ? sender.state.reasons : [];
  const steps: SetupStep[] = [];

  if (!mode) steps.push({ key: "mode", state: "todo", section: "sender", detail: "mode_missing" });
  else if (mode !== "custom_smtp" && !facts.relayConfigured) {
    const verdict = sendingVerdict(sender.state, facts.viewer);
    const relay = verdict.canSend ? undefined : verdict.reasons.find((r) => r.fix === "platform_config");
    steps.push({ key: "mode", state: "blocked", section: "sender", detail: relay?.reason ?? "relay_missing" });
  }
  else steps.push({ key: "mode", state: "done", section: "sender", detail: `mode_${mode}` });

  if (mode === "customer_domain") {
    const check = sender.domainCheck;
    if (!check) steps.push({ key: "domain", state: "todo", section: "domain", detail: "domain_not_checked" });
    else if (check.status === "running") steps.push({ key: "domain", state: "waiting", section: "domain", detail: "domain_running" });
    else if (check.status === "done" && check.verdict === "green") steps.push({ key: "domain", state: "done", section: "domain", detail: "domain_green" });
    else steps.push({ key: "domain", state: "todo", section: "domain", detail: "domain_not_green" });
  }

  if (mode === "customer_domain") {
    if (sender.proof?.verified) steps.push({ key: "address", state: "done", section: "sender", detail: "address_verified" });
    else if (sender.proof?.pending) steps.push({ key: "address", state: "todo", section: "sender", detail: "address_pending" });
    else steps.push({ key: "address", state: "todo", section: "sender", detail: "address_missing" });
  } else if (mode === "custom_smtp") {
    const tested = !reasons.includes("not_tested") && !reasons.includes("test_failed");
    steps.push({
      key: "address",
      state: tested ? "done" : "todo",
      section: "sender",
      detail: tested ? "server_tested" : reasons.includes("test_failed") ? "server_failed" : "server_untested",
    });
  } else {
    // Platform mode (or none yet): the address belongs to the platform, nothing to confirm.
    steps.push({ key: "address", state: mode ? "done" : "todo", section: "sender", detail: mode ? "address_platform" : "address_after_mode" });
  }

  steps.push(
    facts.activePlans > 0
      ? { key: "plan", state: "done", section: "reminders", detail: "plan_active" }
      : { key: "plan", state: "todo", section: "reminders", detail: "plan_missing" },
  );
  steps.push(
    facts.hasLearners
      ? { key: "learners", state: "done", section: "learners", detail: "learners_present" }
      : { key: "learners", state: "todo", section: "learners", detail: "learners_missing" },
  );

  const next = steps.find((s) => s.state === "todo")?.key ?? null;
  return { steps, next, done: steps.filter((s) => s.state === "done").length };
}
