import crypto from "node:crypto";
import { and, asc, eq, exists, isNull } from "drizzle-orm";
import type { Db } from "../db";
import { hashPassword } from "../auth/password";
import { DuplicateError } from "../errors";
import type { Role } from "./schema";

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
  locale?: "de" | "en";
  /** Required for admins and trainers: the one tenant they belong to. */
  tenantId?: string;
}

/**
 * Creates a user with an already hashed password, and the membership. Database work
 * only, so it may run inside a caller's transaction (hash before it opens).
 */
export async function insertUser(db: Db, input: Omit<NewUser, "password"> & { passwordHash: string }, now = new Date()) {
  if (input.role !== "consultant" && !input.tenantId) throw new Error("admins and trainers need a tenant");
  const id: string = crypto.randomUUID();
  const u = db.t.users;
  const [existing] = await db.orm.select({ id: u.id }).from(u).where(eq(u.email, input.email));
  if (existing) throw new DuplicateError("email");
  await db.orm.insert(u).values({
    id,
    email: input.email,
    name: input.name,
    passwordHash: input.passwordHash,
    role: input.role,
    locale: input.locale ?? null,
    createdAt: now,
  });
  if (input.tenantId) {
    await db.orm.insert(db.t.memberships).values({ id: crypto.randomUUID(), tenantId: input.tenantId, userId: id, createdAt: now });
  }
  return { id, email: input.email, name: input.name, role: input.role };
}

/**
 * Hashes, then creates the user in its own transaction: for fixtures and the demo seed.
 * Never call it inside a transaction (the hash would hold it open); use cases hash
 * first and call insertUser (lib/users/service.ts).
 */
export async function createUser(db: Db, input: NewUser) {
  if (input.role !== "consultant" && !input.tenantId) throw new Error("admins and trainers need a tenant");
  const passwordHash = await hashPassword(input.password);
  return db.transaction((tx) => insertUser(tx, { ...input, passwordHash }));
}

export async function findUserByEmail(db: Db, email: string) {
  const u = db.t.users;
  const [row] = await db.orm.select().from(u).where(eq(u.email, email.trim().toLowerCase()));
  return row;
}

export async function getUserById(db: Db, id: string) {
  const u = db.t.users;
  const [row] = await db.orm.select().from(u).where(eq(u.id, id));
  return row;
}

const publicColumns = (db: Db) => ({
  id: db.t.users.id,
  email: db.t.users.email,
  name: db.t.users.name,
  role: db.t.users.role,
  disabledAt: db.t.users.disabledAt,
  createdAt: db.t.users.createdAt,
});

/** The users of one tenant (never a password hash). */
export async function listTenantUsers(db: Db, params: { tenantId: string }) {
  const u = db.t.users;
  const m = db.t.memberships;
  return db.orm
    .select(publicColumns(db))
    .from(u)
    .innerJoin(m, eq(m.userId, u.id))
    .where(eq(m.tenantId, params.tenantId))
    .orderBy(asc(u.role), asc(u.email));
}

/** The platform's consultants (they belong to no tenant). */
export async function listConsultants(db: Db) {
  const u = db.t.users;
  return db.orm.select(publicColumns(db)).from(u).where(eq(u.role, "consultant")).orderBy(asc(u.email));
}

/**
 * Disables or re-enables a user of the tenant. The membership predicate is part of
 * the statement: a user id from another tenant changes nothing and returns false.
 */
export async function setTenantUserDisabled(
  db: Db,
  params: { tenantId: string; userId: string; disabled: boolean; now?: Date },
): Promise<boolean> {
  const u = db.t.users;
  const m = db.t.memberships;
  const updated = await db.orm
    .update(u)
    .set({ disabledAt: params.disabled ? (params.now ?? new Date()) : null })
    .where(
      and(
        eq(u.id, params.userId),
        exists(db.orm.select({ one: m.id }).from(m).where(and(eq(m.userId, u.id), eq(m.tenantId, params.tenantId)))),
      ),
    )
    .returning({ id: u.id });
  return updated.length > 0;
}

export async function setConsultantDisabled(db: Db, params: { userId: string; disabled: boolean; now?: Date }) {
  const u = db.t.users;
  const updated = await db.orm
    .update(u)
    .set({ disabledAt: params.disabled ? (params.now ?? new Date()) : null })
    .where(and(eq(u.id, params.userId), eq(u.role, "consultant")))
    .returning({ id: u.id });
  return updated.length > 0;
}

export async function countActiveConsultants(db: Db): Promise<number> {
  const u = db.t.users;
  const rows = await db.orm
    .select({ id: u.id })
    .from(u)
    .where(and(eq(u.role, "consultant"), isNull(u.disabledAt)));
  return rows.length;
}

export async function setUserLocale(db: Db, params: { userId: string; locale: "de" | "en" }) {
  const u = db.t.users;
  await db.orm.update(u).set({ locale: params.locale }).where(eq(u.id, params.userId));
}
