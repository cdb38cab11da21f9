import { getTableConfig as pgTableConfig, type PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { is, Table } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as pgSchema from "./schema/pg";
import * as sqliteSchema from "./schema/sqlite";

// Query code is written once against both schemas, so they must not drift:
// same exports, same tables, same columns with the same JS type, nullability,
// primary keys, defaults and indexes.

function describePg(table: PgTable) {
  const c = pgTableConfig(table);
  return {
    name: c.name,
    columns: Object.fromEntries(
      c.columns.map((col) => [col.name, { js: col.dataType, notNull: col.notNull, pk: col.primary, hasDefault: col.hasDefault, enum: col.enumValues ?? null }]),
    ),
    indexes: c.indexes.map((i) => ({ name: i.config.name, unique: i.config.unique })).sort((a, b) => String(a.name).localeCompare(String(b.name))),
    foreignKeys: c.foreignKeys.length,
  };
}

function describeSqlite(table: SQLiteTable) {
  const c = sqliteTableConfig(table);
  return {
    name: c.name,
    columns: Object.fromEntries(
      c.columns.map((col) => [
        col.name,
        {
          // SQLite stores JSON as text and dates as integers; what matters is the JS type.
          js: col.columnType === "SQLiteTextJson" ? "json" : col.dataType,
          notNull: col.notNull,
          pk: col.primary,
          hasDefault: col.hasDefault,
          enum: col.enumValues ?? null,
        },
      ]),
    ),
    indexes: c.indexes.map((i) => ({ name: i.config.name, unique: i.config.unique })).sort((a, b) => String(a.name).localeCompare(String(b.name))),
    foreignKeys: c.foreignKeys.length,
  };
}

describe("per-dialect schemas", () => {
  const pgTables = Object.entries(pgSchema).filter(([, v]) => is(v, Table));
  const sqliteTables = Object.entries(sqliteSchema).filter(([, v]) => is(v, Table));

  it("export the same tables", () => {
    expect(sqliteTables.map(([k]) => k).sort()).toEqual(pgTables.map(([k]) => k).sort());
    expect(Object.keys(sqliteSchema).sort()).toEqual(Object.keys(pgSchema).sort());
  });

  it.each(pgTables.map(([k]) => k))("table %s has the same columns, types, keys and indexes", (key) => {
    const pgT = (pgSchema as Record<string, unknown>)[key] as PgTable;
    const sqliteT = (sqliteSchema as Record<string, unknown>)[key] as SQLiteTable;
    expect(describeSqlite(sqliteT)).toEqual(describePg(pgT));
  });
});
