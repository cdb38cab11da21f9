/**
 * Server time of the learner list (lib/learners/queries.ts listLearners) at 1,000 and
 * 100,000 learners of one tenant, on a fresh SQLite file and a fresh Postgres database
 * each, and the cost of a 1,000-row learner batch against a raw driver insert.
 *
 *   npx tsx lib/bench/learner-list.ts [--runs 25] [--sizes 1000,100000] [--dialects sqlite,postgres] [--explain]
 *
 * --explain prints each list query's plan at the largest size.
 *
 * Seeding writes multi-row upserts (1,000 rows a statement) in one transaction; every
 * learner has one or two assignments over three trainings with mixed statuses, and a
 * tenth of them are inactive. Postgres gets ANALYZE after seeding (what autovacuum does
 * soon after a bulk load); SQLite runs as the app runs it, without ANALYZE.
 * Each query: 3 warm-up runs, then the median of --runs.
 */
import crypto from "node:crypto";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import pg from "pg";
import { CLI_ACTOR } from "../auth/policy";
import type { Db, Dialect } from "../db";
import { assignmentInsert, learnerInsert, learnerPageStatement, listLearners, upsertAssignments, upsertLearners } from "../learners/queries";
import { learnerListQuerySchema } from "../learners/schema";
import { upsertLearnerBatch } from "../learners/service";
import { createTenant } from "../tenants/queries";
import { createTestDb, postgresAvailable } from "../testing/databases";
import { median, timeMedian } from "./stats";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const RUNS = Number(flag("runs", "25"));
const SIZES = flag("sizes", "1000,100000").split(",").map(Number);
const DIALECTS = flag("dialects", "sqlite,postgres").split(",") as Dialect[];
const EXPLAIN = args.includes("--explain");

const FIRST = ["Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Karla", "Lukas", "Mia", "Noah", "Olga", "Paul", "Rosa", "Sven", "Tina", "Uwe"];
const LAST = ["Bauer", "Becker", "Fischer", "Hoffmann", "Koch", "Krüger", "Lange", "Meyer", "Müller", "Neumann", "Richter", "Schäfer", "Schmidt", "Schneider", "Schulz", "Wagner", "Weber", "Wolf", "Zimmermann", "Özdemir"];
const DAY = 86_400_000;
const now = new Date("2026-12-01T09:00:00Z");

/** Deterministic pseudo-random numbers, so both dialects get the same data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const emailOf = (i: number) => `${FIRST[i % 20]!.toLowerCase()}.${LAST[Math.floor(i / 20) % 20]!.toLowerCase()}.${i}@firma${i % 7}.example`;

async function seed(db: Db, size: number) {
  const tenant = await createTenant(db, { slug: `bench-${size}`, name: "Bench", timezone: "Europe/Berlin", locale: "de" });
  const trainings = ["T1", "T2", "T3"].map((ext) => ({
    id: crypto.randomUUID(),
    tenantId: tenant.id,
    externalId: ext,
    name: `Training ${ext}`,
    linkUrl: null,
    createdAt: now,
    updatedAt: now,
  }));
  await db.orm.insert(db.t.trainings).values(trainings);
  // A bulk-load setting for SQLite only while seeding: 256 MB of page cache instead of 2 MB.
  if (db.dialect === "sqlite") await (db.orm as unknown as { run: (q: unknown) => Promise<unknown> }).run(sql`pragma cache_size = -262144`);
  const random = rng(size);
  const start = process.hrtime.bigint();
  let assignmentCount = 0;
  await db.transaction(async (tx) => {
    for (let from = 0; from < size; from += 1000) {
      const learners = [];
      const assignments = [];
      for (let i = from; i < Math.min(size, from + 1000); i++) {
        const l = learnerInsert(
          tenant.id,
          {
            externalId: `E-${i}`,
            email: emailOf(i),
            firstName: FIRST[i % 20]!,
            lastName: LAST[Math.floor(i / 20) % 20]!,
            locale: null,
            responsibleName: null,
            responsibleEmail: null,
            active: random() >= 0.1,
          },
          now,
        );
        learners.push(l);
        const first = Math.floor(random() * 3);
        for (const k of random() < 0.5 ? [first] : [first, (first + 1) % 3]) {
          const a = assignmentInsert(tenant.id, { learnerId: l.id, trainingId: trainings[k]!.id, assignedAt: new Date(now.getTime() - 60 * DAY), dueAt: null }, now);
          const r = random();
          // 40 % open (due later or never), 25 % overdue, 30 % completed, 5 % withdrawn.
          a.dueAt = r < 0.1 ? null : new Date(now.getTime() + (r < 0.4 ? 1 : -1) * Math.ceil(random() * 60) * DAY);
          if (r >= 0.65 && r < 0.95) a.completedAt = new Date(now.getTime() - Math.ceil(random() * 30) * DAY);
          if (r >= 0.95) a.withdrawnAt = new Date(now.getTime() - DAY);
          assignments.push(a);
        }
      }
      // The product's own multi-row path (one JSON parameter a statement; see lib/db/sql.ts).
      await upsertLearners(tx, learners);
      await upsertAssignments(tx, assignments);
      assignmentCount += assignments.length;
    }
  });
  const seedMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (db.dialect === "sqlite") await (db.orm as unknown as { run: (q: unknown) => Promise<unknown> }).run(sql`pragma cache_size = -2000`);
  if (db.dialect === "postgres") await db.orm.execute(sql`analyze`);
  return { tenantId: tenant.id, seedMs, assignmentCount };
}

const QUERIES = [
  { name: "search q=anna (first name, ~5 %)", query: { q: "anna" } },
  { name: "search q=exact e-mail (1 hit)", query: { q: "__EMAIL__" } },
  { name: "search q=müller (last name, ~5 %)", query: { q: "müller" } },
  { name: "status=overdue & training=T2", query: { status: "overdue", training: "T2" } },
  { name: "status=completed & training=T3 & q=ben", query: { status: "completed", training: "T3", q: "ben" } },
  { name: "no filter, page 2", query: { cursor: "__PAGE2__" } },
] as const;

interface Row {
  dialect: Dialect;
  size: number;
  seedMs: number;
  results: Record<string, { ms: number; items: number }>;
  batch?: { newMs: number; unchangedMs: number; rawMs: number };
}

async function measure(dialect: Dialect, size: number): Promise<Row> {
  const handle = await createTestDb(dialect);
  try {
    const db = handle.db;
    const { tenantId, seedMs, assignmentCount } = await seed(db, size);
    console.error(`${dialect} ${size}: seeded ${size} learners, ${assignmentCount} assignments in ${(seedMs / 1000).toFixed(1)} s`);
    const page1 = await listLearners(db, { tenantId, query: learnerListQuerySchema.parse({}), now });
    const results: Row["results"] = {};
    for (const { name, query } of QUERIES) {
      const input: Record<string, string> = { ...query };
      if (input.q === "__EMAIL__") input.q = emailOf(Math.floor(size / 2));
      if (input.cursor === "__PAGE2__") input.cursor = page1.nextCursor!;
      const parsed = learnerListQuerySchema.parse(input);
      const out = await listLearners(db, { tenantId, query: parsed, now });
      if (EXPLAIN && size === SIZES.at(-1)) await explain(db, handle.url, name, learnerPageStatement(db, { tenantId, query: parsed, now }).toSQL());
      const ms = await timeMedian(() => listLearners(db, { tenantId, query: parsed, now }), RUNS);
      results[name] = { ms, items: out.items.length };
    }
    let batch: Row["batch"];
    if (size === SIZES[0]) batch = await measureBatch(db, handle.url, tenantId);
    return { dialect, size, seedMs, results, batch };
  } finally {
    await handle.dispose();
  }
}

/** The database's plan for one list statement. */
async function explain(db: Db, url: string, name: string, statement: { sql: string; params: unknown[] }) {
  let lines: string[];
  if (db.dialect === "sqlite") {
    const raw = new Database(url.slice("file:".length), { readonly: true });
    const params = statement.params.map((p) => (p instanceof Date ? p.getTime() : typeof p === "boolean" ? Number(p) : p));
    lines = (raw.prepare(`explain query plan ${statement.sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
    raw.close();
  } else {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const params = statement.params.map((p) => (p instanceof Date ? p.toISOString() : p));
    const result = await client.query(`explain (analyze, costs off, timing off) ${statement.sql}`, params);
    lines = result.rows.map((r: Record<string, string>) => r["QUERY PLAN"]!);
    await client.end();
  }
  console.error(`\n${db.dialect} plan, ${name}:\n  ${lines.join("\n  ")}`);
}

/** upsertLearnerBatch of 1,000 new rows, of the same 1,000 again, and a raw driver insert of 1,000 rows. */
async function measureBatch(db: Db, url: string, tenantId: string) {
  const tenant = { id: tenantId, timezone: "Europe/Berlin" };
  const rows = (round: number) =>
    Array.from({ length: 1000 }, (_, i) => ({ externalId: `B-${round}-${i}`, email: `b${round}.${i}@example.com`, firstName: "Batch", lastName: `Row${i}` }));
  const newTimes: number[] = [];
  const unchangedTimes: number[] = [];
  for (let round = 0; round < 5; round++) {
    const input = { learners: rows(round) };
    let start = process.hrtime.bigint();
    const first = await upsertLearnerBatch(db, { tenant, actor: CLI_ACTOR, input, now });
    newTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
    start = process.hrtime.bigint();
    const again = await upsertLearnerBatch(db, { tenant, actor: CLI_ACTOR, input, now });
    unchangedTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (!first.ok || first.data.created !== 1000 || !again.ok || again.data.unchanged !== 1000) throw new Error("batch did not do what it says");
  }
  // The raw driver on its own connection, opened before the clock starts.
  const rawTimes: number[] = [];
  const sqliteRaw = db.dialect === "sqlite" ? new Database(url.slice("file:".length)) : undefined;
  const pgRaw = db.dialect === "postgres" ? new pg.Client({ connectionString: url }) : undefined;
  await pgRaw?.connect();
  const cols = ["id", "tenant_id", "external_id", "email", "first_name", "last_name", "locale", "responsible_name", "responsible_email", "active", "search_text", "deactivated_at", "created_at", "updated_at"];
  for (let round = 0; round < 5; round++) {
    const values = rows(100 + round).map((r) => learnerInsert(tenantId, { ...r, locale: null, responsibleName: null, responsibleEmail: null, active: true }, now));
    const tuple = (v: (typeof values)[number], ms: boolean) => [
      v.id, v.tenantId, v.externalId, v.email, v.firstName, v.lastName, null, null, null, ms ? 1 : true, v.searchText, null, ms ? now.getTime() : now, ms ? now.getTime() : now,
    ];
    const start = process.hrtime.bigint();
    if (sqliteRaw) {
      const stmt = sqliteRaw.prepare(`insert into learners (${cols.join(",")}) values (${cols.map(() => "?").join(",")})`);
      sqliteRaw.transaction(() => values.forEach((v) => stmt.run(...tuple(v, true))))();
    } else if (pgRaw) {
      const params = values.flatMap((v) => tuple(v, false));
      const placeholders = values.map((_, r) => `(${cols.map((__, c) => `$${r * cols.length + c + 1}`).join(",")})`).join(",");
      await pgRaw.query(`insert into learners (${cols.join(",")}) values ${placeholders}`, params);
    }
    rawTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  sqliteRaw?.close();
  await pgRaw?.end();
  return { newMs: median(newTimes), unchangedMs: median(unchangedTimes), rawMs: median(rawTimes) };
}

async function main() {
  const dialects = DIALECTS.filter((d) => d === "sqlite") as Dialect[];
  if (DIALECTS.includes("postgres")) {
    if (await postgresAvailable()) dialects.push("postgres");
    else console.error("Postgres does not answer: measuring SQLite only");
  }
  const rows: Row[] = [];
  for (const dialect of dialects) for (const size of SIZES) rows.push(await measure(dialect, size));

  const small = SIZES[0]!;
  const large = SIZES.at(-1)!;
  console.log(`\nlistLearners, first page (limit 50) unless noted; median of ${RUNS} runs after 3 warm-ups (ms)\n`);
  console.log(`| dialect | query | ${small.toLocaleString("en")} | ${large.toLocaleString("en")} | ratio | rows on page |`);
  console.log("| --- | --- | ---: | ---: | ---: | ---: |");
  for (const dialect of dialects) {
    const a = rows.find((r) => r.dialect === dialect && r.size === small)!;
    const b = rows.find((r) => r.dialect === dialect && r.size === large)!;
    for (const { name } of QUERIES) {
      const x = a.results[name]!;
      const y = b.results[name]!;
      console.log(`| ${dialect} | ${name} | ${x.ms.toFixed(2)} | ${y.ms.toFixed(2)} | ${(y.ms / x.ms).toFixed(1)}x | ${x.items} / ${y.items} |`);
    }
  }
  console.log("\nseeding (multi-row inserts, one transaction)\n");
  for (const r of rows) console.log(`- ${r.dialect} ${r.size.toLocaleString("en")} learners: ${(r.seedMs / 1000).toFixed(2)} s`);
  console.log("\n1,000-learner batch (median of 5, ms)\n");
  console.log("| dialect | upsertLearnerBatch, 1,000 new | same 1,000 again (unchanged) | raw driver insert, 1,000 rows (SQLite: prepared statement in a transaction; Postgres: one multi-row INSERT) | use case / raw |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    if (!r.batch) continue;
    console.log(`| ${r.dialect} | ${r.batch.newMs.toFixed(1)} | ${r.batch.unchangedMs.toFixed(1)} | ${r.batch.rawMs.toFixed(1)} | ${(r.batch.newMs / r.batch.rawMs).toFixed(2)}x |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
