import { count, getTableName, is, Table } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../db";

/** Rows per table of the schema, to prove that a run of calls wrote nothing. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of Object.values(db.t)) {
    if (!is(table, Table)) continue;
    const [row] = await db.orm.select({ n: count() }).from(table as PgTable);
    out[getTableName(table)] = Number(row?.n ?? 0);
  }
  return out;
}
