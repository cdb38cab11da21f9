import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as pgSchema from "./schema/pg";
import * as sqliteSchema from "./schema/sqlite";

/**
 * One database handle for both dialects. Query code is written once against the
 * Postgres-typed builder (`db.orm`, `db.t`): the two schemas have the same exports and
 * JS types (see schema-drift.test.ts), and Drizzle's SQLite builders are awaitable
 * just like the Postgres ones, so the same statements run on both.
 */
export type Tables = typeof pgSchema;
export type Orm = NodePgDatabase<Tables>;
export type Dialect = "sqlite" | "postgres";

export interface Db {
  dialect: Dialect;
  orm: Orm;
  t: Tables;
  /**
   * Runs `fn` in one transaction; a throw rolls everything back on both dialects.
   * better-sqlite3's own transaction() does not await an async body (drizzle-orm
   * issues 1472, 2275), so on SQLite we issue BEGIN IMMEDIATE / COMMIT / ROLLBACK
   * ourselves and serialize transactions in this process with a queue. Transaction
   * bodies do database work only: no network calls while the write lock is held.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `file:PATH`, `postgres://…`, or undefined for DATA_DIR/postillion.db. */
  url?: string;
  dataDir?: string;
  /** Apply migrations on open (default true). */
  migrate?: boolean;
}

const MIGRATIONS = path.resolve(/*turbopackIgnore: true*/ process.cwd(), "drizzle");

export function describeUrl(url: string | undefined, dataDir = "./data"): { dialect: Dialect; location: string } {
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const u = new URL(url);
    return { dialect: "postgres", location: `${u.hostname}:${u.port || 5432}${u.pathname}` };
  }
  const file = url?.startsWith("file:") ? url.slice("file:".length) : path.join(dataDir, "postillion.db");
  return { dialect: "sqlite", location: path.resolve(/*turbopackIgnore: true*/ process.cwd(), file) };
}

function openSqlite(file: string, runMigrations: boolean): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  const orm = drizzleSqlite(sqlite, { schema: sqliteSchema });
  if (runMigrations) migrateSqlite(orm, { migrationsFolder: path.join(MIGRATIONS, "sqlite") });

  let queue: Promise<unknown> = Promise.resolve();
  const base: Db = {
    dialect: "sqlite",
    orm: orm as unknown as Orm,
    t: sqliteSchema as unknown as Tables,
    transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      const run = async (): Promise<T> => {
        sqlite.exec("BEGIN IMMEDIATE");
        // Nested calls join the open transaction instead of deadlocking on the queue.
        const tx: Db = { ...base, transaction: (inner) => inner(tx) };
        try {
          const result = await fn(tx);
          sqlite.exec("COMMIT");
          return result;
        } catch (error) {
          if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
          throw error;
        }
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      sqlite.close();
    },
  };
  return base;
}

async function openPostgres(url: string, runMigrations: boolean): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client can lose its connection (server restart, admin command). Without a
  // listener pg re-throws that as an uncaught error and the whole process dies; the
  // pool replaces the client on the next query.
  pool.on("error", (error) => console.error(`postgres: idle connection lost: ${error.message}`));
  const orm = drizzlePg(pool, { schema: pgSchema });
  if (runMigrations) {
    // Several app instances and workers may start at once: one migrates, the others wait.
    const client = await pool.connect();
    try {
      await client.query("select pg_advisory_lock(7406151)");
      await migratePg(orm, { migrationsFolder: path.join(MIGRATIONS, "pg") });
    } finally {
      await client.query("select pg_advisory_unlock(7406151)").catch(() => undefined);
      client.release();
    }
  }
  const wrap = (o: Orm): Db => ({
    dialect: "postgres",
    orm: o,
    t: pgSchema,
    transaction: (fn) => o.transaction((tx) => fn(wrap(tx as unknown as Orm))),
    close: () => pool.end(),
  });
  return wrap(orm);
}

/** Opens (and by default migrates) a database. */
export async function openDb(options: OpenOptions = {}): Promise<Db> {
  const { dialect, location } = describeUrl(options.url, options.dataDir);
  const runMigrations = options.migrate ?? true;
  if (dialect === "postgres") return openPostgres(options.url!, runMigrations);
  return openSqlite(location, runMigrations);
}
