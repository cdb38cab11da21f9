import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openDb, type Db, type Dialect } from "../db";

/** Where the benchmarks create (and drop) their Postgres databases. */
export const BENCH_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A migrated, empty database of the dialect: a temporary SQLite file or a new Postgres database. */
export async function freshDb(dialect: Dialect): Promise<{ db: Db; url: string; dispose: () => Promise<void> }> {
  if (dialect === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postillion-bench-"));
    const url = `file:${path.join(dir, "bench.db")}`;
    const db = await openDb({ url });
    return { db, url, dispose: async () => (await db.close(), fs.rmSync(dir, { recursive: true, force: true })) };
  }
  const name = `postillion_bench_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: BENCH_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(BENCH_ADMIN_URL);
  u.pathname = `/${name}`;
  const db = await openDb({ url: u.toString() });
  return {
    db,
    url: u.toString(),
    dispose: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: BENCH_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function postgresAnswers(): Promise<boolean> {
  const c = new pg.Client({ connectionString: BENCH_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}
