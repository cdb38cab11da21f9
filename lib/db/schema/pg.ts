import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

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

// ── Sender settings (issue 3) ─────────────────────────────────────────────────────

/**
 * How a tenant's mail is sent. One row per tenant once configured; the fields of every
 * mode are kept, so switching modes back and forth loses nothing. The SMTP password is
 * only ever stored encrypted (lib/crypto/secret-box.ts, tenant id as associated data).
 */
export const senderSettings = pgTable("sender_settings", {
  tenantId: text("tenant_id").primaryKey().references(() => tenants.id, { onDelete: "cascade" }),
  mode: text("mode", { enum: ["platform", "customer_domain", "custom_smtp"] }).notNull(),
  displayName: text("display_name"),
  replyTo: text("reply_to"),
  noreplyAddress: text("noreply_address"),
  fromAddress: text("from_address"),
  smtpHost: text("smtp_host"),
  smtpPort: integer("smtp_port"),
  smtpSecurity: text("smtp_security", { enum: ["tls", "starttls", "none"] }),
  smtpUser: text("smtp_user"),
  smtpPasswordBox: text("smtp_password_box"),
  ratePerMinute: integer("rate_per_minute").notNull(),
  dailyQuota: integer("daily_quota").notNull(),
  noReplyToConfirmedAt: ts("no_reply_to_confirmed_at"),
  freeMailAcknowledgedAt: ts("free_mail_acknowledged_at"),
  noTlsAcknowledgedAt: ts("no_tls_acknowledged_at"),
  /** Last connection test or test mail: { ok, kind, at, ms } (never a secret). */
  lastTest: jsonb("last_test").$type<Record<string, unknown>>(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  updatedBy: text("updated_by"),
});

/** Proof that the tenant controls a From address (customer_domain mode). */
export const addressProofs = pgTable("address_proofs", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  address: text("address").notNull(),
  codeHash: text("code_hash"),
  expiresAt: ts("expires_at"),
  failedAttempts: integer("failed_attempts").notNull().default(0),
  /** Send times of the code mails (ms since epoch), for the re-send throttle. */
  sentAt: jsonb("sent_at").$type<number[]>().notNull(),
  /** The newest send time: the compare-and-set value that reserves a send atomically. */
  lastSentAt: ts("last_sent_at"),
  verifiedAt: ts("verified_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
}, (t) => [uniqueIndex("address_proofs_tenant_address_unique").on(t.tenantId, t.address)]);

// ── Domain check (issue 4) ────────────────────────────────────────────────────────

/** One run of the domain check; `findings` grows step by step while it runs. */
export const domainChecks = pgTable("domain_checks", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  domain: text("domain").notNull(),
  status: text("status", { enum: ["running", "done", "failed"] }).notNull(),
  /** green = allowed to send; null while running. */
  verdict: text("verdict", { enum: ["green", "not_ready", "temporary"] }),
  findings: jsonb("findings").$type<unknown[]>().notNull(),
  /** The raw records seen (TXT, MX, DMARC, DKIM), for history and "what changed". */
  raw: jsonb("raw").$type<Record<string, unknown>>(),
  startedAt: ts("started_at").notNull(),
  finishedAt: ts("finished_at"),
  startedBy: text("started_by"),
}, (t) => [
  index("domain_checks_tenant_domain_started_idx").on(t.tenantId, t.domain, t.startedAt),
  // At most one running check per tenant and domain: a second start cannot slip in.
  uniqueIndex("domain_checks_one_running_unique").on(t.tenantId, t.domain).where(sql`status = 'running'`),
]);

/** A DKIM key pair per tenant domain and selector; the private key only encrypted. */
export const dkimKeys = pgTable("dkim_keys", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  domain: text("domain").notNull(),
  selector: text("selector").notNull(),
  publicKey: text("public_key").notNull(),
  privateKeyBox: text("private_key_box").notNull(),
  verifiedAt: ts("verified_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
}, (t) => [uniqueIndex("dkim_keys_tenant_domain_selector_unique").on(t.tenantId, t.domain, t.selector)]);

// ── Reminder plans (issue 5) ──────────────────────────────────────────────────────

export const trainings = pgTable("trainings", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  externalId: text("external_id"),
  linkUrl: text("link_url"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
}, (t) => [
  uniqueIndex("trainings_tenant_external_unique").on(t.tenantId, t.externalId),
  index("trainings_tenant_name_idx").on(t.tenantId, t.name),
]);

/**
 * A reminder plan of a training. `schedule` and `templates` hold exactly what the
 * shared zod schemas of lib/reminders validate (the same JSON the CLI reads).
 */
export const reminderPlans = pgTable("reminder_plans", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  trainingId: text("training_id").notNull().references(() => trainings.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  active: boolean("active").notNull(),
  schedule: jsonb("schedule").$type<Record<string, unknown>>().notNull(),
  templates: jsonb("templates").$type<Record<string, unknown>>().notNull(),
  spamRisk: text("spam_risk", { enum: ["low", "medium", "high"] }).notNull(),
  highRiskConfirmedAt: ts("high_risk_confirmed_at"),
  highRiskConfirmedBy: text("high_risk_confirmed_by"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
}, (t) => [index("reminder_plans_tenant_training_idx").on(t.tenantId, t.trainingId)]);

// ── Abuse limits (lib/limits) ─────────────────────────────────────────────────────

/**
 * Fixed-window counters: one row per (scope, key, window start). lib/limits increments
 * with one upsert that only counts below the limit, so parallel requests cannot pass it.
 */
export const rateLimits = pgTable("rate_limits", {
  scope: text("scope").notNull(),
  key: text("key").notNull(),
  windowStart: ts("window_start").notNull(),
  count: integer("count").notNull(),
}, (t) => [uniqueIndex("rate_limits_scope_key_window_unique").on(t.scope, t.key, t.windowStart)]);
