import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { drizzle as drizzleProxy } from "drizzle-orm/sqlite-proxy";
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
   * ourselves, and every statement of the process waits while another request's
   * transaction is open (see openSqlite). Transaction bodies do database work only:
   * no hashing, network or timers while the write lock is held (the SQLite guard,
   * OpenOptions.txGuard, catches that in tests).
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
  /**
   * SQLite only: what a transaction body awaiting non-database work triggers. Default
   * POSTILLION_SQLITE_TX_GUARD, else "throw" under tests (VITEST / NODE_ENV=test), else "warn".
   */
  txGuard?: TxGuard;
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

/**
 * What happens when a SQLite transaction body awaits something other than the
 * database (a timer, a hash, the network): "throw" rolls the transaction back with
 * ForeignAwaitError, "warn" logs where the transaction began, "off" ignores it.
 */
export type TxGuard = "throw" | "warn" | "off";

export class ForeignAwaitError extends Error {
  constructor(startedAt: string | undefined) {
    super(
      "A SQLite transaction body awaited something other than the database (timer, hashing, network) " +
        `while holding the write lock; do that work before the transaction.${startedAt ? `\nTransaction began ${startedAt}` : ""}`,
    );
    this.name = "ForeignAwaitError";
  }
}

function defaultTxGuard(): TxGuard {
  const configured = process.env.POSTILLION_SQLITE_TX_GUARD;
  if (configured === "throw" || configured === "warn" || configured === "off") return configured;
  return process.env.VITEST || process.env.NODE_ENV === "test" ? "throw" : "warn";
}

interface TxScope {
  /** Set when the event loop turned while the transaction was open. */
  foreignAwait: boolean;
  startedAt?: string;
}

const STATEMENT_CACHE_SIZE = 500;

function openSqlite(file: string, runMigrations: boolean, guard: TxGuard): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  if (runMigrations) {
    migrateSqlite(drizzleSqlite(sqlite, { schema: sqliteSchema }), { migrationsFolder: path.join(MIGRATIONS, "sqlite") });
  }

  const statements = new Map<string, Database.Statement>();
  const prepare = (query: string): Database.Statement => {
    let stmt = statements.get(query);
    if (!stmt) {
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
      stmt = sqlite.prepare(query);
      statements.set(query, stmt);
    }
    return stmt;
  };
  const execute = (query: string, params: unknown[], method: "run" | "all" | "values" | "get"): { rows: unknown[] } => {
    const stmt = prepare(query);
    if (method === "run" || !stmt.reader) {
      stmt.run(...params);
      return { rows: [] };
    }
    stmt.raw(true);
    // sqlite-proxy expects one row (an array of values) for "get", a list of rows otherwise.
    if (method === "get") return { rows: stmt.get(...params) as unknown[] };
    return { rows: stmt.all(...params) };
  };

  /*
   * One connection, one lane. better-sqlite3 runs every statement synchronously, so the
   * only way another request's statement can land inside an open transaction is by
   * running while that transaction's body awaits. Every statement and transaction
   * therefore queues on `tail`; a statement issued from inside the open transaction
   * (recognised through AsyncLocalStorage, so nested calls and plain `db` inside the body
   * both count) runs at once. A rollback thus contains only the transaction's own work.
   */
  const scopes = new AsyncLocalStorage<TxScope>();
  let open: TxScope | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  let queued = 0;
  const serialized = <T>(fn: () => T | Promise<T>): Promise<T> => {
    queued++;
    const result = tail.then(fn).finally(() => queued--);
    tail = result.catch(() => undefined);
    return result;
  };

  const orm = drizzleProxy(
    async (query, params, method) => {
      const scope = scopes.getStore();
      if (scope && scope === open) return execute(query, params, method);
      // Nothing open and nothing waiting: run now instead of a trip through the queue.
      if (queued === 0) return execute(query, params, method);
      return serialized(() => execute(query, params, method));
    },
    { schema: sqliteSchema },
  );

  const runTransaction = async <T>(fn: (tx: Db) => Promise<T>): Promise<T> => {
    const scope: TxScope = { foreignAwait: false };
    if (guard !== "off") scope.startedAt = new Error().stack?.split("\n").slice(3, 6).join("\n");
    open = scope;
    sqlite.exec("BEGIN IMMEDIATE");
    // A body that only talks to the database finishes within one turn of the event loop
    // (every statement completes synchronously); still being open at the next turn means
    // it awaited a timer, I/O or the thread pool while holding the write lock.
    const watchdog = guard === "off" ? undefined : setImmediate(() => {
      if (open !== scope) return;
      scope.foreignAwait = true;
      if (guard === "warn") console.warn(new ForeignAwaitError(scope.startedAt).message);
    });
    try {
      const result = await scopes.run(scope, () => fn(base));
      if (scope.foreignAwait && guard === "throw") throw new ForeignAwaitError(scope.startedAt);
      sqlite.exec("COMMIT");
      return result;
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
      throw error;
    } finally {
      open = undefined;
      if (watchdog) clearImmediate(watchdog);
    }
  };

  const base: Db = {
    dialect: "sqlite",
    orm: orm as unknown as Orm,
    t: sqliteSchema as unknown as Tables,
    transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      // Nested calls join the open transaction instead of deadlocking on the queue.
      const scope = scopes.getStore();
      if (scope && scope === open) return fn(base);
      return serialized(() => runTransaction(fn));
    },
    async close() {
      // Let queued work finish before the connection goes away.
      await tail;
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
  return openSqlite(location, runMigrations, options.txGuard ?? defaultTxGuard());
}
