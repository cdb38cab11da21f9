import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { openDb, type Db, type Dialect } from "../db/client";

/**
 * Fresh databases for integration tests: a new SQLite file, and a new Postgres
 * database on TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 * that is dropped afterwards. Postgres suites run whenever Postgres answers and are
 * required when CI=true.
 */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

let postgresAnswers: Promise<boolean> | undefined;

export function postgresAvailable(): Promise<boolean> {
  postgresAnswers ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query("select 1");
      return true;
    } catch (error) {
      if (process.env.CI === "true") {
        throw new Error(`Postgres is required when CI=true but does not answer at ${ADMIN_URL}: ${(error as Error).message}`);
      }
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresAnswers;
}

export interface TestDb {
  db: Db;
  url: string;
  dispose: () => Promise<void>;
}

export async function createTestDb(dialect: Dialect): Promise<TestDb> {
  const id = crypto.randomBytes(6).toString("hex");
  if (dialect === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postillion-test-"));
    const url = `file:${path.join(dir, "test.db")}`;
    const db = await openDb({ url });
    return {
      db,
      url,
      dispose: async () => {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `postillion_test_${id}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = await openDb({ url });
  return {
    db,
    url,
    dispose: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: ADMIN_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** The dialects to run: SQLite always, Postgres when it answers (required in CI). */
export async function dialectsUnderTest(): Promise<Dialect[]> {
  return (await postgresAvailable()) ? ["sqlite", "postgres"] : ["sqlite"];
}

const pgOk = await postgresAvailable();

/**
 * Runs a suite once per dialect on a fresh database. Postgres is skipped (with the
 * reason in the suite name) only outside CI when it does not answer.
 */
export function forEachDatabase(title: string, body: (get: () => Db, dialect: Dialect) => void): void {
  for (const dialect of ["sqlite", "postgres"] as const) {
    const skip = dialect === "postgres" && !pgOk;
    describe.skipIf(skip)(`${title} [${dialect}${skip ? ": skipped, Postgres does not answer" : ""}]`, () => {
      let handle: TestDb | undefined;
      beforeAll(async () => {
        handle = await createTestDb(dialect);
      });
      afterAll(async () => {
        await handle?.dispose();
      });
      body(() => {
        if (!handle) throw new Error("database not ready");
        return handle.db;
      }, dialect);
    });
  }
}
