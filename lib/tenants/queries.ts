import crypto from "node:crypto";
import { asc, count, eq, like, or } from "drizzle-orm";
import type { Db } from "../db";
import { DuplicateError } from "../errors";
import type { CreateTenantInput } from "./schema";

export type Tenant = Awaited<ReturnType<typeof getTenantBySlug>> & {};

/** Kept here for callers that imported it from tenants; it lives in lib/errors.ts. */
export { DuplicateError };

export async function createTenant(db: Db, input: CreateTenantInput) {
  const t = db.t.tenants;
  const [existing] = await db.orm.select({ id: t.id }).from(t).where(eq(t.slug, input.slug));
  if (existing) throw new DuplicateError("slug");
  const row = { id: crypto.randomUUID() as string, ...input, createdAt: new Date() };
  await db.orm.insert(t).values(row);
  return row;
}

export async function getTenantBySlug(db: Db, slug: string) {
  const t = db.t.tenants;
  const [row] = await db.orm.select().from(t).where(eq(t.slug, slug));
  return row;
}

/** All tenants, for consultants: paged, optionally filtered by name or slug. */
export async function listTenants(db: Db, params: { query?: string; page?: number; pageSize?: number } = {}) {
  const t = db.t.tenants;
  const pageSize = params.pageSize ?? 25;
  const page = Math.max(1, params.page ?? 1);
  const filter = params.query
    ? or(like(t.name, `%${params.query}%`), like(t.slug, `%${params.query.toLowerCase()}%`))
    : undefined;
  const [rows, [total]] = await Promise.all([
    db.orm.select().from(t).where(filter).orderBy(asc(t.name)).limit(pageSize).offset((page - 1) * pageSize),
    db.orm.select({ n: count() }).from(t).where(filter),
  ]);
  return { rows, total: Number(total?.n ?? 0), page, pageSize };
}

export async function countTenants(db: Db): Promise<number> {
  const [row] = await db.orm.select({ n: count() }).from(db.t.tenants);
  return Number(row?.n ?? 0);
}
