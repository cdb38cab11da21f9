import { expect, it } from "vitest";
import type { Db } from "../db";
import { listLearners } from "../learners/queries";
import { learnerListQuerySchema } from "../learners/schema";
import { authenticate } from "../users/sign-in";
import { listPlans, listTrainings } from "../reminders/queries";
import { getTenantBySlug } from "../tenants/queries";
import { forEachDatabase } from "../testing/databases";
import { DEMO_LEARNERS_PER_TENANT } from "./learners";
import { loadReviewBoard } from "../review/board";
import { applyBoard, boardParamsSchema } from "../review/board-params";
import { DEMO_PASSWORD, DEMO_REVIEW_TENANTS, DEMO_USERS, isEmpty, seedDemo } from "./seed";

const NOW = new Date("2026-11-26T10:00:00Z");

/** Every learner the list shows for this query, following the cursor. */
async function allLearners(db: Db, tenantId: string, filter: { status?: "overdue" | "completed" | "inactive"; training?: string } = {}) {
  const items = [];
  let cursor: string | undefined;
  do {
    const page = await listLearners(db, { tenantId, query: learnerListQuerySchema.parse({ ...filter, cursor, limit: 20 }), now: NOW });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

forEachDatabase("demo data", (db) => {
  it("gives two tenants, five sign-ins that work, a calm reminder plan and a few dozen learners each; a second run adds nothing", async () => {
    expect(await isEmpty(db())).toBe(true);
    const first = await seedDemo(db(), NOW);
    expect(first.created).toHaveLength(2 + 2 + 2 + DEMO_REVIEW_TENANTS.length + DEMO_USERS.length);
    expect(await isEmpty(db())).toBe(false);

    for (const user of DEMO_USERS) {
      const result = await authenticate(db(), { email: user.email, password: DEMO_PASSWORD, address: undefined, now: new Date() });
      expect(result.ok, user.email).toBe(true);
    }
    for (const slug of ["acme", "globex"]) {
      const tenant = (await getTenantBySlug(db(), slug))!;
      const trainings = await listTrainings(db(), { tenantId: tenant.id });
      expect(trainings.rows).toHaveLength(3);
      const plans = await listPlans(db(), { tenantId: tenant.id, trainingIds: trainings.rows.map((t) => t.id) });
      expect(plans.map((p) => [p.active, p.spamRisk])).toEqual([[true, "low"]]);
      expect(plans[0]!.schedule.timezone).toBe(tenant.timezone);

      // Something to look at in every status, and every training has learners.
      const all = await allLearners(db(), tenant.id);
      expect(all).toHaveLength(DEMO_LEARNERS_PER_TENANT);
      expect(new Set(all.map((l) => l.email)).size).toBe(DEMO_LEARNERS_PER_TENANT);
      const overdue = await allLearners(db(), tenant.id, { status: "overdue" });
      const completed = await allLearners(db(), tenant.id, { status: "completed" });
      const inactive = await allLearners(db(), tenant.id, { status: "inactive" });
      expect(overdue.length).toBeGreaterThanOrEqual(5);
      expect(overdue.every((l) => l.overdueCount > 0)).toBe(true);
      expect(completed.length).toBeGreaterThanOrEqual(5);
      expect(inactive.map((l) => l.active)).toEqual([false]);
      for (const training of trainings.rows) {
        expect((await allLearners(db(), tenant.id, { training: training.id })).length, training.name).toBeGreaterThan(0);
      }
    }

    // The review board has something in every state: worst first.
    const board = await loadReviewBoard(db(), { relayConfigured: true, now: NOW });
    expect(board).toHaveLength(2 + DEMO_REVIEW_TENANTS.length);
    const state = Object.fromEntries(board.map((r) => [r.tenant.slug, r]));
    expect(state.vandelay!.sender.status).toBe("not_configured");
    expect(state.initech!.smtp.state).toBe("failed");
    expect(state.umbrella!.domain?.verdict).toBe("not_ready");
    expect(state.stark!.sender.status).toBe("ready");
    expect(state.hooli!.plans.highestRisk).toBe("high");
    expect(state.wayne!.paused).toBe(true);
    const notReady = applyBoard(board, boardParamsSchema.parse({ ready: "not_ready", sort: "name" })).rows.map((r) => r.tenant.slug);
    expect(notReady).toEqual(["acme", "globex", "initech", "umbrella", "vandelay"]);

    expect((await seedDemo(db(), new Date(NOW.getTime() + 86_400_000))).created).toEqual([]);
    const acme = (await getTenantBySlug(db(), "acme"))!;
    expect(await allLearners(db(), acme.id)).toHaveLength(DEMO_LEARNERS_PER_TENANT);
    expect((await listTrainings(db(), { tenantId: acme.id })).rows).toHaveLength(3);
  });
});
