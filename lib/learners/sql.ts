import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Db } from "../db";

/** The value an upsert would have written (`excluded.col`). */
export const excluded = (col: AnyColumn): SQL => sql.raw(`excluded."${col.name}"`);

/** Null-safe "the stored value differs from the one the upsert brings". */
export function differs(db: Db, col: AnyColumn): SQL {
  return db.dialect === "postgres" ? sql`${col} is distinct from ${excluded(col)}` : sql`${col} is not ${excluded(col)}`;
}

/**
 * The tenant predicate of a statement that already selects by a narrower key (learner
 * or assignment ids). SQLite has no statistics unless someone runs ANALYZE, and then
 * prefers any index led by tenant_id (walking every row of the tenant) over the narrow
 * one; the unary `+` keeps the predicate while taking that index out of its choice
 * (sqlite.org/optoverview.html, "Disqualifying WHERE clause terms"). Postgres plans by
 * statistics and gets the plain comparison.
 */
export function sameTenant(db: Db, col: AnyColumn, tenantId: string): SQL {
  return db.dialect === "sqlite" ? sql`+${col} = ${tenantId}` : sql`${col} = ${tenantId}`;
}
