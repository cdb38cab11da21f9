import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { writeAudit } from "../audit/log";
import type { Db } from "../db";
import { insertPlan, insertRecentMails, putTenantInState, type TenantState } from "../demo/tenant-states";
import { loadSenderOverview, loadSenderStates } from "../sender/service";
import { forEachDatabase } from "../testing/databases";
import { countingStatements } from "../testing/query-count";
import { createTenant } from "../tenants/queries";
import { applyBoard, boardHref, boardParamsSchema, sortHref } from "./board-params";
import { loadReviewBoard, type BoardRow } from "./board";

const now = new Date("2026-12-01T10:00:00Z");
const NOREPLY = "noreply@platform.example";

async function tenantIn(db: Db, slug: string, name: string, state: TenantState): Promise<string> {
  const tenant = await createTenant(db, { slug, name, timezone: "Europe/Berlin", locale: "de" });
  await putTenantInState(db, { tenantId: tenant.id, slug, name, state, domain: `${slug}.example`, noreply: NOREPLY, now });
  return tenant.id;
}

async function review(db: Db, tenantId: string, at: Date) {
  await db.orm.insert(db.t.tenantReviews).values({ id: crypto.randomUUID(), tenantId, reviewerId: null, note: "looked fine", reviewedAt: at });
}

const board = (db: Db) => loadReviewBoard(db, { relayConfigured: true, now });
const bySlug = (rows: BoardRow[], slug: string) => rows.find((r) => r.tenant.slug === slug)!;
const slugs = (rows: BoardRow[]) => rows.map((r) => r.tenant.slug);
const apply = (rows: BoardRow[], query: Record<string, string>) => applyBoard(rows, boardParamsSchema.parse(query));

forEachDatabase("review board", (db) => {
  const ids = {} as Record<"calm" | "fresh" | "smtp" | "red" | "green" | "risky" | "paused", string>;

  beforeAll(async () => {
    ids.calm = await tenantIn(db(), "calm", "Calm GmbH", "ready");
    ids.fresh = await tenantIn(db(), "fresh", "Fresh AG", "not_configured");
    ids.smtp = await tenantIn(db(), "smtp", "Smtp KG", "smtp_failed");
    ids.red = await tenantIn(db(), "red", "Red Domain GmbH", "domain_red");
    ids.green = await tenantIn(db(), "green", "Green Domain GmbH", "domain_green");
    ids.risky = await tenantIn(db(), "risky", "Risky Ltd", "high_risk");
    ids.paused = await tenantIn(db(), "paused", "Paused SE", "paused");
    await insertPlan(db(), { tenantId: ids.calm, name: "Weekly", risk: "low", now });
    await insertRecentMails(db(), { tenantId: ids.calm, domain: "calm.example", sent: 40, failed: 0, bounced: 0, now });
    await insertRecentMails(db(), { tenantId: ids.risky, domain: "risky.example", sent: 30, failed: 6, bounced: 4, now });
    // Mails of ten days ago do not count.
    await insertRecentMails(db(), { tenantId: ids.fresh, domain: "fresh.example", sent: 5, failed: 5, bounced: 5, now: new Date(now.getTime() - 10 * 86_400_000) });
    // calm reviewed and unchanged since; risky reviewed, then its plan changed.
    await review(db(), ids.calm, new Date(now.getTime() - 3_600_000));
    await review(db(), ids.risky, new Date(now.getTime() - 7_200_000));
    await writeAudit(db(), { tenantId: ids.risky, actorUserId: null, action: "reminderPlan.update", targetType: "reminder_plan", targetId: "x", details: { via: "cli" } }, new Date(now.getTime() - 3_600_000));
  });

  it("reads readiness in bulk exactly as the sender page reads it, tenant by tenant", async () => {
    for (const relayConfigured of [true, false]) {
      const bulk = await loadSenderStates(db(), { relayConfigured, now });
      for (const id of Object.values(ids)) {
        expect(bulk.get(id) ?? (await loadSenderOverview(db(), { tenantId: id, relayConfigured, now }))).toEqual(
          await loadSenderOverview(db(), { tenantId: id, relayConfigured, now }),
        );
      }
      expect(bulk.has(ids.fresh)).toBe(false);
      const asked = await loadSenderStates(db(), { tenantIds: [ids.fresh, ids.red], relayConfigured, now });
      expect([...asked.keys()]).toEqual([ids.fresh, ids.red]);
      expect(asked.get(ids.fresh)!.state).toEqual({ status: "not_configured" });
    }
  });

  it("shows each tenant's readiness and why not, its domain check, SMTP test, plans, mails, pause, alerts and review", async () => {
    const rows = await board(db());
    expect(rows).toHaveLength(7);
    const reasons = (slug: string) => {
      const v = bySlug(rows, slug).sender.verdict;
      return v.canSend ? "ready" : v.reasons.map((r) => r.reason);
    };
    expect(reasons("calm")).toBe("ready");
    expect(reasons("fresh")).toEqual(["not_configured"]);
    expect(reasons("smtp")).toEqual(["test_failed"]);
    expect(reasons("red")).toEqual(["domain_not_green"]);
    expect(reasons("green")).toBe("ready");

    expect(bySlug(rows, "red").domain).toMatchObject({ domain: "red.example", verdict: "not_ready", worst: { code: "spf.platform-missing", status: "error" } });
    expect(bySlug(rows, "red").domain!.ageMs).toBe(5 * 3_600_000);
    expect(bySlug(rows, "green").domain).toMatchObject({ verdict: "green", worst: { code: "dmarc.none", status: "warning" } });
    expect(bySlug(rows, "calm").domain).toBeNull();

    expect(bySlug(rows, "smtp").smtp).toMatchObject({ state: "failed", failure: "auth_failed", automatic: false });
    expect(bySlug(rows, "calm").smtp.state).toBe("not_applicable");
    expect(bySlug(rows, "calm").limits).toEqual({ ratePerMinute: 60, dailyQuota: 5_000 });
    expect(bySlug(rows, "fresh").limits).toBeNull();

    expect(bySlug(rows, "risky").plans).toEqual({ active: 1, highRisk: 1, highestRisk: "high" });
    expect(bySlug(rows, "calm").plans).toEqual({ active: 1, highRisk: 0, highestRisk: "low" });
    expect(bySlug(rows, "fresh").plans.highestRisk).toBeNull();

    expect(bySlug(rows, "calm").mail7d).toEqual({ sent: 40, failed: 0, bounced: 0 });
    expect(bySlug(rows, "risky").mail7d).toEqual({ sent: 30, failed: 6, bounced: 4 });
    expect(bySlug(rows, "fresh").mail7d).toEqual({ sent: 0, failed: 0, bounced: 0 });

    expect(bySlug(rows, "paused")).toMatchObject({ paused: true, openAlerts: 1 });
    expect(bySlug(rows, "calm")).toMatchObject({ paused: false, openAlerts: 0 });

    expect(bySlug(rows, "calm").review).toMatchObject({ status: "reviewed", note: "looked fine" });
    expect(bySlug(rows, "risky").review).toMatchObject({ status: "changed", changesSince: 1 });
    expect(bySlug(rows, "fresh").review).toEqual({ status: "not_reviewed" });
  });

  it("scores health by the stated rules", async () => {
    const rows = await board(db());
    const health = (slug: string) => bySlug(rows, slug).health;
    expect(health("calm")).toEqual({ score: 100, band: "good", deductions: [] });
    expect(health("fresh")).toMatchObject({ score: 50, band: "act", deductions: [{ id: "cannot_send", points: 45 }, { id: "review", points: 5 }] });
    // high-risk plan 20, 6 of 36 failed 10, 4 of 36 bounced 5, changed since review 5.
    expect(health("risky")).toMatchObject({ score: 60, band: "watch" });
    expect(health("risky").deductions.map((d) => d.id)).toEqual(["high_risk_plan", "failures", "bounces", "review"]);
    // paused 45, its alert 10, not reviewed 5.
    expect(health("paused")).toMatchObject({ score: 40, band: "act" });
    // a green check with a DMARC warning, not reviewed.
    expect(health("green")).toMatchObject({ score: 90, band: "good" });
  });

  it("reads one tenant's row alone exactly as it stands on the whole board (the review page)", async () => {
    const all = await board(db());
    for (const key of ["risky", "paused", "red", "smtp"] as const) {
      const alone = await loadReviewBoard(db(), { relayConfigured: true, now, tenantIds: [ids[key]] });
      expect(alone).toEqual([all.find((r) => r.tenant.id === ids[key])]);
    }
    expect(await loadReviewBoard(db(), { relayConfigured: true, now, tenantIds: [] })).toEqual([]);
  });

  it("filters by each column, sorts both ways and pages", async () => {
    const rows = await board(db());
    expect(slugs(apply(rows, { ready: "not_ready", sort: "name" }).rows)).toEqual(["fresh", "red", "smtp"]);
    expect(slugs(apply(rows, { ready: "not_configured" }).rows)).toEqual(["fresh"]);
    expect(slugs(apply(rows, { ready: "ready", sort: "name" }).rows)).toEqual(["calm", "green", "paused", "risky"]);
    expect(slugs(apply(rows, { mode: "custom_smtp" }).rows)).toEqual(["smtp"]);
    expect(slugs(apply(rows, { domain: "not_green" }).rows)).toEqual(["red"]);
    expect(slugs(apply(rows, { smtp: "failed" }).rows)).toEqual(["smtp"]);
    expect(slugs(apply(rows, { risk: "high" }).rows)).toEqual(["risky"]);
    expect(slugs(apply(rows, { mail: "bounces" }).rows)).toEqual(["risky"]);
    expect(slugs(apply(rows, { paused: "yes" }).rows)).toEqual(["paused"]);
    expect(slugs(apply(rows, { alerts: "yes" }).rows)).toEqual(["paused"]);
    expect(slugs(apply(rows, { review: "changed" }).rows)).toEqual(["risky"]);
    expect(slugs(apply(rows, { health: "good", sort: "name" }).rows)).toEqual(["calm", "green"]);
    expect(slugs(apply(rows, { q: "DOMAIN", sort: "name" }).rows)).toEqual(["green", "red"]);
    const both = apply(rows, { ready: "ready", mail: "failures" });
    expect([slugs(both.rows), both.total, both.filteredTotal]).toEqual([["risky"], 7, 1]);

    // Default: worst health first, the name breaking ties.
    expect(slugs(apply(rows, {}).rows)).toEqual(["paused", "fresh", "red", "smtp", "risky", "green", "calm"]);
    expect(slugs(apply(rows, { sort: "health", dir: "desc" }).rows)[0]).toBe("calm");
    expect(slugs(apply(rows, { sort: "name", dir: "desc" }).rows)).toEqual(["smtp", "risky", "red", "paused", "green", "fresh", "calm"]);
    expect(slugs(apply(rows, { sort: "sent" }).rows).slice(0, 2)).toEqual(["calm", "risky"]);
    expect(slugs(apply(rows, { sort: "sending" }).rows).slice(0, 3)).toEqual(["fresh", "red", "smtp"]);

    // A hand-edited URL: unknown values are ignored, the page is clamped.
    const odd = apply(rows, { ready: "maybe", sort: "colour", page: "9" });
    expect([odd.filteredTotal, odd.page, odd.pages]).toEqual([7, 1, 1]);
  });

  it("reads the board with the same statements for 3 tenants as for 30", async () => {
    const scratch = await import("../testing/databases").then((m) => m.createTestDb(db().dialect));
    try {
      const states = ["ready", "smtp_failed", "domain_red", "domain_green", "high_risk", "paused", "not_configured"] as const;
      const add = async (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const id = await tenantIn(scratch.db, `q${i}`, `Q ${i}`, states[i % states.length]!);
          await insertRecentMails(scratch.db, { tenantId: id, domain: `q${i}.example`, sent: 2, failed: 1, bounced: 1, now });
          if (i % 2 === 0) await review(scratch.db, id, new Date(now.getTime() - 60_000));
        }
      };
      await add(0, 3);
      const small = countingStatements(scratch.db);
      expect(await loadReviewBoard(small.db, { relayConfigured: true, now })).toHaveLength(3);
      await add(3, 30);
      const large = countingStatements(scratch.db);
      expect(await loadReviewBoard(large.db, { relayConfigured: true, now })).toHaveLength(30);
      expect(large.statements()).toBe(small.statements());
      expect(large.statements()).toBeLessThanOrEqual(14);
    } finally {
      await scratch.dispose();
    }
  });
});

describe("board links", () => {
  it("keep the filters, leave defaults out, and flip the direction of the column sorted by", () => {
    const params = boardParamsSchema.parse({ ready: "not_ready", sort: "name", page: "2" });
    expect(boardHref(params)).toBe("/review?ready=not_ready&sort=name&page=2");
    expect(sortHref(params, "name")).toBe("/review?ready=not_ready&sort=name&dir=desc");
    expect(sortHref(params, "failed")).toBe("/review?ready=not_ready&sort=failed");
    expect(boardHref(boardParamsSchema.parse({}))).toBe("/review");
  });
});
