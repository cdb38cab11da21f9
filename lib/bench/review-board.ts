/**
 * Server time of the consultants' review board (/review): loadReviewBoard (every
 * tenant's row, one statement per column family) plus applyBoard (filter, sort, page of
 * 50), at 10 and 1,000 tenants, on a fresh SQLite file and a fresh Postgres database.
 *
 *   npm run bench:review -- [--runs 15] [--sizes 10,1000] [--dialects sqlite,postgres]
 *
 * Every tenant gets a state in turn (lib/demo/tenant-states.ts: ready, own SMTP with a
 * failed test, own domain red / green with three older checks, a high-risk plan, paused,
 * not configured), a calm plan, 30 mails of the last week and 30 older ones, and every
 * second one a review followed (every fourth) by a plan change in the audit log.
 * Postgres gets ANALYZE after seeding. Each measurement: 3 warm-up runs, then the
 * median of --runs.
 */
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { writeAudit } from "../audit/log";
import type { Db, Dialect } from "../db";
import { insertPlan, insertRecentMails, putTenantInState, TENANT_STATES } from "../demo/tenant-states";
import { loadReviewBoard } from "../review/board";
import { applyBoard, boardParamsSchema } from "../review/board-params";
import { createTenant } from "../tenants/queries";
import { freshDb, postgresAnswers } from "./databases";
import { timeMedian } from "./stats";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const RUNS = Number(flag("runs", "15"));
const SIZES = flag("sizes", "10,1000").split(",").map(Number);
const DIALECTS = flag("dialects", "sqlite,postgres").split(",") as Dialect[];

const DAY = 86_400_000;
const now = new Date("2026-12-01T09:00:00Z");

const VIEWS = [
  { name: "default (health, worst first)", query: {} },
  { name: "ready=not_ready, sort=name", query: { ready: "not_ready", sort: "name" } },
  { name: "risk=high & mail=bounces, sort=failed", query: { risk: "high", mail: "bounces", sort: "failed" } },
  { name: "page 3 by sent", query: { sort: "sent", page: "3" } },
] as const;

async function seed(db: Db, size: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < size; i++) {
    const slug = `t${String(i).padStart(5, "0")}`;
    const tenant = await createTenant(db, { slug, name: `Tenant ${i}`, timezone: "Europe/Berlin", locale: i % 2 ? "en" : "de" });
    const state = TENANT_STATES[i % TENANT_STATES.length]!;
    const domain = `${slug}.example`;
    if (state === "domain_red" || state === "domain_green") {
      // Older checks of the domain: the board must pick the newest.
      for (let k = 1; k <= 3; k++) {
        await db.orm.insert(db.t.domainChecks).values({
          id: crypto.randomUUID(), tenantId: tenant.id, domain, status: "done", verdict: k % 2 ? "green" : "not_ready",
          findings: [], raw: {}, startedAt: new Date(now.getTime() - k * DAY), finishedAt: new Date(now.getTime() - k * DAY + 1000), startedBy: null,
        });
      }
    }
    await putTenantInState(db, { tenantId: tenant.id, slug, name: `Tenant ${i}`, state, domain, noreply: "noreply@platform.example", now });
    await insertPlan(db, { tenantId: tenant.id, name: "Weekly", risk: "low", now });
    await insertRecentMails(db, { tenantId: tenant.id, domain, sent: 25, failed: 5, bounced: i % 3, now });
    await insertRecentMails(db, { tenantId: tenant.id, domain, sent: 25, failed: 5, bounced: 2, now: new Date(now.getTime() - 30 * DAY) });
    if (i % 2 === 0) {
      await db.orm.insert(db.t.tenantReviews).values({ id: crypto.randomUUID(), tenantId: tenant.id, reviewerId: null, note: "ok", reviewedAt: new Date(now.getTime() - 2 * DAY) });
      if (i % 4 === 0) {
        await writeAudit(db, { tenantId: tenant.id, actorUserId: null, action: "reminderPlan.update", targetType: "reminder_plan", targetId: "x", details: { via: "cli" } }, new Date(now.getTime() - DAY));
      }
    }
  }
  if (db.dialect === "postgres") await db.orm.execute(sql`analyze`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

interface Result {
  dialect: Dialect;
  size: number;
  seedMs: number;
  loadMs: number;
  views: Record<string, { ms: number; shown: number; filtered: number }>;
}

async function measure(dialect: Dialect, size: number): Promise<Result> {
  const handle = await freshDb(dialect);
  try {
    const db = handle.db;
    const seedMs = await seed(db, size);
    console.error(`${dialect} ${size}: seeded in ${(seedMs / 1000).toFixed(1)} s`);
    const load = () => loadReviewBoard(db, { relayConfigured: true, now });
    const loadMs = await timeMedian(load, RUNS);
    const views: Result["views"] = {};
    for (const { name, query } of VIEWS) {
      const params = boardParamsSchema.parse(query);
      const out = applyBoard(await load(), params);
      const ms = await timeMedian(async () => applyBoard(await load(), params), RUNS);
      views[name] = { ms, shown: out.rows.length, filtered: out.filteredTotal };
    }
    return { dialect, size, seedMs, loadMs, views };
  } finally {
    await handle.dispose();
  }
}

async function main() {
  const dialects = DIALECTS.filter((d) => d === "sqlite") as Dialect[];
  if (DIALECTS.includes("postgres")) {
    if (await postgresAnswers()) dialects.push("postgres");
    else console.error("Postgres does not answer: measuring SQLite only");
  }
  const results: Result[] = [];
  for (const dialect of dialects) for (const size of SIZES) results.push(await measure(dialect, size));

  const small = SIZES[0]!;
  const large = SIZES.at(-1)!;
  console.log(`\nReview board server time (loadReviewBoard + applyBoard), median of ${RUNS} runs after 3 warm-ups (ms)\n`);
  console.log(`| dialect | view | ${small.toLocaleString("en")} tenants | ${large.toLocaleString("en")} tenants | ratio ${large.toLocaleString("en")} : ${small.toLocaleString("en")} | rows shown / matching (at ${large.toLocaleString("en")}) |`);
  console.log("| --- | --- | ---: | ---: | ---: | ---: |");
  for (const dialect of dialects) {
    const a = results.find((r) => r.dialect === dialect && r.size === small)!;
    const b = results.find((r) => r.dialect === dialect && r.size === large)!;
    console.log(`| ${dialect} | loadReviewBoard only | ${a.loadMs.toFixed(2)} | ${b.loadMs.toFixed(2)} | ${(b.loadMs / a.loadMs).toFixed(1)}x | ${b.size} rows |`);
    for (const { name } of VIEWS) {
      const x = a.views[name]!;
      const y = b.views[name]!;
      console.log(`| ${dialect} | ${name} | ${x.ms.toFixed(2)} | ${y.ms.toFixed(2)} | ${(y.ms / x.ms).toFixed(1)}x | ${y.shown} / ${y.filtered} |`);
    }
  }
  console.log("\nseeding\n");
  for (const r of results) console.log(`- ${r.dialect} ${r.size.toLocaleString("en")} tenants: ${(r.seedMs / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
