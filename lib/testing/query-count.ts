import type { Db } from "../db";

/**
 * db.orm with a count of the statements started through it (select / update / insert /
 * delete / execute): tests assert that a read model's statements do not grow with the
 * number of rows or tenants it covers.
 */
export function countingStatements(db: Db): { db: Db; statements: () => number } {
  let n = 0;
  const orm = new Proxy(db.orm, {
    get(target, key, receiver) {
      if (key === "select" || key === "selectDistinct" || key === "update" || key === "insert" || key === "delete" || key === "execute") n++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { db: { ...db, orm }, statements: () => n };
}
