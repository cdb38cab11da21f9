import { getTableColumns, getTableName, sql, type AnyColumn, type SQL, type Table } from "drizzle-orm";
import type { Db } from "./client";

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

/**
 * A multi-row upsert that ships its rows as ONE JSON parameter, unpacked by the database
 * (Postgres json_populate_recordset, SQLite json_each). Drizzle's builder spends tens of
 * milliseconds of CPU turning 1,000 rows × 14 columns into 14,000 bound parameters —
 * more than the database needs to write them; one JSON string costs about a millisecond.
 * Values go through each column's own driver mapping, so dates and booleans are stored
 * exactly as Drizzle would store them. Returns the RETURNING columns as objects.
 */
export async function jsonUpsert(
  db: Db,
  table: Table,
  rows: Record<string, unknown>[],
  conflict: { target: AnyColumn[]; set: Record<string, SQL>; setWhere: SQL; returning: Record<string, AnyColumn> },
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const columns = Object.entries(getTableColumns(table));
  const name = getTableName(table);
  const quoted = (c: AnyColumn) => `"${c.name}"`;
  const cells = (row: Record<string, unknown>) =>
    columns.map(([key, col]) => {
      const value = row[key];
      return [col.name, value === undefined || value === null ? null : col.mapToDriverValue(value)] as const;
    });
  const list = columns.map(([, c]) => quoted(c)).join(", ");
  // Postgres fills its row type from objects by column name; SQLite reads arrays by
  // position (about 40 % faster than by key for 1,000 rows × 14 columns).
  const source =
    db.dialect === "postgres"
      ? sql`select ${sql.raw(list)} from json_populate_recordset(null::${sql.raw(`"${name}"`)}, ${JSON.stringify(rows.map((r) => Object.fromEntries(cells(r))))}::json)`
      : // "where true": SQLite's parser needs it between a SELECT and ON CONFLICT.
        sql`select ${sql.raw(columns.map((_, i) => `value ->> ${i}`).join(", "))} from json_each(${JSON.stringify(rows.map((r) => cells(r).map(([, v]) => v)))}) where true`;
  const setList = sql.join(
    Object.entries(conflict.set).map(([key, value]) => sql`${sql.raw(quoted(getTableColumns(table)[key]!))} = ${value}`),
    sql`, `,
  );
  const returning = Object.entries(conflict.returning);
  const query = sql`insert into ${sql.raw(`"${name}"`)} (${sql.raw(list)}) ${source}
    on conflict (${sql.raw(conflict.target.map(quoted).join(", "))}) do update set ${setList} where ${conflict.setWhere}
    returning ${sql.raw(returning.map(([, c]) => quoted(c)).join(", "))}`;
  const result: unknown[] =
    db.dialect === "postgres"
      ? (await db.orm.execute(query)).rows
      : await (db.orm as unknown as { all: (q: SQL) => Promise<unknown[]> }).all(query);
  // The SQLite handle answers raw rows (arrays in RETURNING order); Postgres objects by column name.
  return result.map((r) =>
    Object.fromEntries(returning.map(([key, col], i) => [key, col.mapFromDriverValue(Array.isArray(r) ? r[i] : (r as Record<string, unknown>)[col.name])])),
  );
}
