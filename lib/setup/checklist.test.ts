import { describe, expect, it } from "vitest";
import type { SenderOverview } from "../sender/service";
import { setupChecklist, type SetupFacts } from "./checklist";

const settings = (mode: "platform" | "customer_domain" | "custom_smtp") => ({ mode }) as NonNullable<SenderOverview["settings"]>;
const facts = (over: Omit<Partial<SetupFacts>, "sender"> & { sender?: Partial<SetupFacts["sender"]> } = {}): SetupFacts => ({
  relayConfigured: true,
  activePlans: 0,
  hasLearners: false,
  viewer: "admin",
  ...over,
  sender: { settings: null, state: { status: "not_configured" }, proof: null, domainCheck: null, ...over.sender },
});
const summary = (f: SetupFacts) => setupChecklist(f).steps.map((s) => `${s.key}:${s.state}`);

describe("setupChecklist", () => {
  it("starts with choosing the sending way; learners arriving is the last step", () => {
    const list = setupChecklist(facts());
    expect(summary(facts())).toEqual(["mode:todo", "address:todo", "plan:todo", "learners:todo"]);
    expect(list.next).toBe("mode");
    expect(list.steps[0]).toMatchObject({ section: "sender", detail: "mode_missing" });
    expect(list.steps.at(-1)).toMatchObject({ key: "learners", section: "learners", detail: "learners_missing" });
  });

  it("own domain: the domain check comes before the address proof, in the order the work happens", () => {
    const f = facts({
      sender: {
        settings: settings("customer_domain"),
        state: { status: "not_ready", mode: "customer_domain", reasons: ["domain_not_green", "address_not_proven"] },
        domainCheck: { domain: "acme.example", verdict: "not_ready", status: "done", at: "2026-11-28T10:00:00Z" },
        proof: { address: "hr@acme.example", verified: false, verifiedAt: null, pending: false, expiresAt: null, triesLeft: 5, lastSentAt: null },
      },
    });
    expect(summary(f)).toEqual(["mode:done", "domain:todo", "address:todo", "plan:todo", "learners:todo"]);
    expect(setupChecklist(f).next).toBe("domain");
    expect(setupChecklist(f).steps[1]).toMatchObject({ section: "domain", detail: "domain_not_green" });
  });

  it("a running domain check waits; a green one and a proven address leave the plan as next step", () => {
    const running = facts({
      sender: {
        settings: settings("customer_domain"),
        state: { status: "not_ready", mode: "customer_domain", reasons: ["domain_check_running", "address_not_proven"] },
        domainCheck: { domain: "acme.example", verdict: null, status: "running", at: "2026-11-28T10:00:00Z" },
      },
    });
    expect(summary(running).slice(0, 3)).toEqual(["mode:done", "domain:waiting", "address:todo"]);
    expect(setupChecklist(running).next).toBe("address");

    const ready = facts({
      activePlans: 0,
      sender: {
        settings: settings("customer_domain"),
        state: { status: "ready", mode: "customer_domain", notes: [] },
        domainCheck: { domain: "acme.example", verdict: "green", status: "done", at: "2026-11-28T10:00:00Z" },
        proof: { address: "hr@acme.example", verified: true, verifiedAt: "2026-11-28T10:00:00Z", pending: false, expiresAt: null, triesLeft: 5, lastSentAt: null },
      },
    });
    expect(summary(ready)).toEqual(["mode:done", "domain:done", "address:done", "plan:todo", "learners:todo"]);
    expect(setupChecklist(ready).next).toBe("plan");
  });

  it("platform mode without the operator's relay is blocked, not done; no domain step", () => {
    const f = facts({
      relayConfigured: false,
      activePlans: 2,
      sender: { settings: settings("platform"), state: { status: "not_ready", mode: "platform", reasons: ["relay_missing"] } },
    });
    expect(summary(f)).toEqual(["mode:blocked", "address:done", "plan:done", "learners:todo"]);
    // Blocked sending does not stop the learners from arriving: that is what is left to do here.
    expect(setupChecklist(f).next).toBe("learners");
    expect(setupChecklist(f).done).toBe(2);
    expect(setupChecklist(f).steps[0]?.detail).toBe("relay_missing");
    expect(setupChecklist({ ...f, viewer: "consultant" }).steps[0]?.detail).toBe("relay_missing_operator");
  });

  it("own SMTP server: the address step is the connection test", () => {
    const f = facts({ sender: { settings: settings("custom_smtp"), state: { status: "not_ready", mode: "custom_smtp", reasons: ["test_failed"] } } });
    expect(setupChecklist(f).steps[1]).toMatchObject({ key: "address", state: "todo", detail: "server_failed" });
  });

  it("the learners step is done once the first learner has arrived", () => {
    const f = facts({ activePlans: 1, hasLearners: true, sender: { settings: settings("platform"), state: { status: "ready", mode: "platform", notes: [] } } });
    expect(summary(f)).toEqual(["mode:done", "address:done", "plan:done", "learners:done"]);
    expect(setupChecklist(f).next).toBeNull();
    expect(setupChecklist(f).steps.at(-1)).toMatchObject({ section: "learners", detail: "learners_present" });
  });
});
