/**
 * Cost of the serialised SQLite path (lib/db/client.ts): 1,000 single-row inserts and
 * 1,000 primary-key selects through db.orm, against raw better-sqlite3 prepared
 * statements and against drizzle's plain better-sqlite3 driver (the previous design),
 * all on the same database file in the same run. Median of 5 rounds.
 *
 *   npx tsx lib/db/client.bench.ts
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { openDb } from "./client";
import * as sqliteSchema from "./schema/sqlite";

const N = 1000;
const ROUNDS = 5;

const row = (prefix: string, i: number) => ({
  id: `${prefix}-${i}-${crypto.randomUUID()}`,
  slug: `${prefix}-${i}-${crypto.randomUUID()}`,
  name: "Bench",
  timezone: "UTC",
  locale: "de" as const,
  createdAt: new Date(),
});

async function timed(run: () => Promise<void> | void): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postillion-bench-"));
  const file = path.join(dir, "bench.db");
  const db = await openDb({ url: `file:${file}` });
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = NORMAL");
  const plain = drizzle(raw, { schema: sqliteSchema });
  const insertRaw = raw.prepare("insert into tenants (id, slug, name, timezone, locale, created_at) values (?, ?, ?, ?, ?, ?)");
  const selectRaw = raw.prepare("select * from tenants where id = ?");
  const t = db.t.tenants;
  const ts = sqliteSchema.tenants;

  const variants: Record<string, { insert: (r: ReturnType<typeof row>) => unknown; select: (id: string) => unknown }> = {
    "raw better-sqlite3": {
      insert: (r) => insertRaw.run(r.id, r.slug, r.name, r.timezone, r.locale, r.createdAt.getTime()),
      select: (id) => selectRaw.get(id),
    },
    "drizzle better-sqlite3 (old path)": {
      insert: (r) => plain.insert(ts).values(r).run(),
      select: (id) => plain.select().from(ts).where(eq(ts.id, id)).get(),
    },
    "db.orm (serialised path)": {
      insert: (r) => db.orm.insert(t).values(r),
      select: (id) => db.orm.select().from(t).where(eq(t.id, id)),
    },
  };

  const results: Record<string, { insert: number[]; select: number[] }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, v] of Object.entries(variants)) {
      const rows = Array.from({ length: N }, (_, i) => row(`${round}-${name.length}`, i));
      const insert = await timed(async () => {
        for (const r of rows) await v.insert(r);
      });
      const select = await timed(async () => {
        for (const r of rows) await v.select(r.id);
      });
      (results[name] ??= { insert: [], select: [] }).insert.push(insert);
      results[name].select.push(select);
    }
  }
  const base = results["raw better-sqlite3"]!;
  console.log(`${N} single-row operations, median of ${ROUNDS} rounds (ms; ratio to raw prepared statements)`);
  for (const [name, r] of Object.entries(results)) {
    const ins = median(r.insert);
    const sel = median(r.select);
    console.log(
      `${name.padEnd(36)} insert ${ins.toFixed(1).padStart(7)} (${(ins / median(base.insert)).toFixed(2)}×)` +
        `   select ${sel.toFixed(1).padStart(7)} (${(sel / median(base.select)).toFixed(2)}×)`,
    );
  }
  raw.close();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
