/**
 * Splits the ids of an IN list into parts a statement can bind: SQLite allows 32,766
 * parameters, Postgres 65,535; 1,000 keeps every statement small and the count of
 * statements per worker batch at one or two.
 */
export function chunks<T>(items: readonly T[], size = 1_000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
