import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

// Keep in step with ./sqlite.ts: same tables, columns, JS types and nullability.
// lib/db/schema-drift.test.ts fails when the two differ.

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const tenants = pgTable("tenants", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull(),
  name: text("name").notNull(),
  timezone: text("timezone").notNull(),
  locale: text("locale", { enum: ["de", "en"] }).notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
}, (t) => [uniqueIndex("tenants_slug_unique").on(t.slug)]);

export const users = pgTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["consultant", "admin", "trainer"] }).notNull(),
  locale: text("locale", { enum: ["de", "en"] }),
  disabledAt: ts("disabled_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
}, (t) => [uniqueIndex("users_email_unique").on(t.email)]);

export const memberships = pgTable("memberships", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  createdAt: ts("created_at").notNull().defaultNow(),
}, (t) => [
  uniqueIndex("memberships_tenant_user_unique").on(t.tenantId, t.userId),
  index("memberships_user_idx").on(t.userId),
]);

export const auditLog = pgTable("audit_log", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
  actorUserId: text("actor_user_id"),
  action: text("action").notNull(),
  targetType: text("target_type"),
  targetId: text("target_id"),
  details: jsonb("details").$type<Record<string, unknown>>(),
  createdAt: ts("created_at").notNull().defaultNow(),
}, (t) => [index("audit_log_tenant_created_idx").on(t.tenantId, t.createdAt)]);

/** Failed sign-ins per key ("account:<email>" or "address:<ip>"), shared by all instances. */
export const signInThrottles = pgTable("sign_in_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  lastFailureAt: ts("last_failure_at").notNull(),
  lockedUntil: ts("locked_until"),
});
