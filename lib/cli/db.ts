import { getDb, type Db } from "../db";
import { onCliExit } from "./lifecycle";

/** The configured database for a CLI command, closed when the command ends. */
export async function cliDb(): Promise<Db> {
  const db = await getDb();
  onCliExit(() => db.close());
  return db;
}
