import { config } from "../config/platform-profile";
import { openDb, type Db } from "./client";

export type { Db, Dialect } from "./client";
export { openDb, describeUrl } from "./client";

// Kept on globalThis so that Next's dev-mode module reloads reuse one pool.
const holder = globalThis as unknown as { __postillionDb?: Promise<Db> };

/**
 * The process's database, opened lazily on first use (never at import: `next build`
 * imports server modules) and migrated once.
 */
export function getDb(): Promise<Db> {
  if (!holder.__postillionDb) {
    const cfg = config();
    holder.__postillionDb = openDb({ url: cfg.DATABASE_URL, dataDir: cfg.DATA_DIR }).catch((error) => {
      holder.__postillionDb = undefined;
      throw error;
    });
  }
  return holder.__postillionDb;
}

/** Makes `db` the process's database (integration tests of actions and route handlers). */
export function setProcessDb(db: Db): void {
  holder.__postillionDb = Promise.resolve(db);
}
