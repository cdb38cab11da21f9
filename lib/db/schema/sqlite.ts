import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Keep in step with ./pg.ts: same tables, columns, JS types and nullability.
// lib/db/schema-drift.test.ts fails when the two differ.

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

export const tenants = sqliteTable("tenants", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull(),
  name: text("name").notNull(),
  timezone: text("timezone").notNull(),
  locale: text("locale", { enum: ["de", "en"] }).notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
}, (t) => [uniqueIndex("tenants_slug_unique").on(t.slug)]);

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["consultant", "admin", "trainer"] }).notNull(),
  locale: text("locale", { enum: ["de", "en"] }),
  disabledAt: integer("disabled_at", { mode: "timestamp_ms" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
}, (t) => [uniqueIndex("users_email_unique").on(t.email)]);

export const memberships = sqliteTable("memberships", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
}, (t) => [
  uniqueIndex("memberships_tenant_user_unique").on(t.tenantId, t.userId),
  index("memberships_user_idx").on(t.userId),
]);

export const auditLog = sqliteTable("audit_log", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
  actorUserId: text("actor_user_id"),
  action: text("action").notNull(),
  targetType: text("target_type"),
  targetId: text("target_id"),
  details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
}, (t) => [index("audit_log_tenant_created_idx").on(t.tenantId, t.createdAt)]);

/** Failed sign-ins per key ("account:<email>" or "address:<ip>"), shared by all instances. */
export const signInThrottles = sqliteTable("sign_in_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  lastFailureAt: integer("last_failure_at", { mode: "timestamp_ms" }).notNull(),
  lockedUntil: integer("locked_until", { mode: "timestamp_ms" }),
});
