import { describe, expect, it } from "vitest";
import { HEALTH_RULES, healthScore, type HealthFacts } from "./health";

const calm: HealthFacts = {
  canSend: true,
  paused: false,
  openAlerts: 0,
  plans: { highRisk: 0 },
  mail7d: { sent: 100, failed: 0, bounced: 0 },
  domainWorst: "ok",
  checkAgeMs: 3_600_000,
  review: { status: "reviewed" },
};

describe("health score", () => {
  it("is 100 for a tenant with nothing to fix", () => {
    expect(healthScore(calm)).toEqual({ score: 100, band: "good", deductions: [] });
  });

  it("subtracts the points of each rule that applies, and names them", () => {
    const s = healthScore({ ...calm, plans: { highRisk: 2 }, review: { status: "changed" } });
    expect(s).toEqual({ score: 75, band: "watch", deductions: [{ id: "high_risk_plan", points: 20 }, { id: "review", points: 5 }] });
  });

  it("counts failures and bounces only above their share of the week's mails", () => {
    expect(healthScore({ ...calm, mail7d: { sent: 95, failed: 5, bounced: 2 } }).deductions).toEqual([]);
    expect(healthScore({ ...calm, mail7d: { sent: 94, failed: 6, bounced: 3 } }).deductions.map((d) => d.id)).toEqual(["failures", "bounces"]);
    expect(healthScore({ ...calm, mail7d: { sent: 0, failed: 0, bounced: 0 } }).score).toBe(100);
  });

  it("calls a tenant that cannot send or is paused one to act on, and never goes below 0", () => {
    expect(healthScore({ ...calm, canSend: false })).toMatchObject({ score: 55, band: "act" });
    expect(healthScore({ ...calm, paused: true })).toMatchObject({ score: 55, band: "act" });
    const all = healthScore({
      canSend: false, paused: true, openAlerts: 3, plans: { highRisk: 1 }, mail7d: { sent: 1, failed: 9, bounced: 9 },
      domainWorst: "warning", checkAgeMs: 30 * 86_400_000, review: { status: "not_reviewed" },
    });
    expect(all.deductions).toHaveLength(HEALTH_RULES.length);
    expect(all.score).toBe(0);
  });

  it("marks a stale check or test, and a domain check with warnings", () => {
    expect(healthScore({ ...calm, checkAgeMs: 8 * 86_400_000 }).deductions.map((d) => d.id)).toEqual(["stale_check"]);
    expect(healthScore({ ...calm, domainWorst: "warning" }).deductions.map((d) => d.id)).toEqual(["domain_warning"]);
  });

  it("states every rule in German and English", () => {
    for (const rule of HEALTH_RULES) expect(rule.text.de && rule.text.en, rule.id).toBeTruthy();
    expect(new Set(HEALTH_RULES.map((r) => r.id)).size).toBe(HEALTH_RULES.length);
  });
});
