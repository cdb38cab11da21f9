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

// ── Sender settings (issue 3) ─────────────────────────────────────────────────────

/**
 * How a tenant's mail is sent. One row per tenant once configured; the fields of every
 * mode are kept, so switching modes back and forth loses nothing. The SMTP password is
 * only ever stored encrypted (lib/crypto/secret-box.ts, tenant id as associated data).
 */
export const senderSettings = sqliteTable("sender_settings", {
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
  noReplyToConfirmedAt: integer("no_reply_to_confirmed_at", { mode: "timestamp_ms" }),
  freeMailAcknowledgedAt: integer("free_mail_acknowledged_at", { mode: "timestamp_ms" }),
  noTlsAcknowledgedAt: integer("no_tls_acknowledged_at", { mode: "timestamp_ms" }),
  /** Last connection test or test mail: { ok, kind, at, ms } (never a secret). */
  lastTest: text("last_test", { mode: "json" }).$type<Record<string, unknown>>(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  updatedBy: text("updated_by"),
});

/** Proof that the tenant controls a From address (customer_domain mode). */
export const addressProofs = sqliteTable("address_proofs", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  address: text("address").notNull(),
  codeHash: text("code_hash"),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
  failedAttempts: integer("failed_attempts").notNull().default(0),
  /** Send times of the code mails (ms since epoch), for the re-send throttle. */
  sentAt: text("sent_at", { mode: "json" }).$type<number[]>().notNull(),
  /** The newest send time: the compare-and-set value that reserves a send atomically. */
  lastSentAt: integer("last_sent_at", { mode: "timestamp_ms" }),
  verifiedAt: integer("verified_at", { mode: "timestamp_ms" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
}, (t) => [uniqueIndex("address_proofs_tenant_address_unique").on(t.tenantId, t.address)]);

// ── Domain check (issue 4) ────────────────────────────────────────────────────────

/** One run of the domain check; `findings` grows step by step while it runs. */
export const domainChecks = sqliteTable("domain_checks", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  domain: text("domain").notNull(),
  status: text("status", { enum: ["running", "done", "failed"] }).notNull(),
  /** green = allowed to send; null while running. */
  verdict: text("verdict", { enum: ["green", "not_ready", "temporary"] }),
  findings: text("findings", { mode: "json" }).$type<unknown[]>().notNull(),
  /** The raw records seen (TXT, MX, DMARC, DKIM), for history and "what changed". */
  raw: text("raw", { mode: "json" }).$type<Record<string, unknown>>(),
  startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
  finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  startedBy: text("started_by"),
}, (t) => [
  index("domain_checks_tenant_domain_started_idx").on(t.tenantId, t.domain, t.startedAt),
  // At most one running check per tenant and domain: a second start cannot slip in.
  uniqueIndex("domain_checks_one_running_unique").on(t.tenantId, t.domain).where(sql`status = 'running'`),
]);

/** A DKIM key pair per tenant domain and selector; the private key only encrypted. */
export const dkimKeys = sqliteTable("dkim_keys", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  domain: text("domain").notNull(),
  selector: text("selector").notNull(),
  publicKey: text("public_key").notNull(),
  privateKeyBox: text("private_key_box").notNull(),
  verifiedAt: integer("verified_at", { mode: "timestamp_ms" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
}, (t) => [uniqueIndex("dkim_keys_tenant_domain_selector_unique").on(t.tenantId, t.domain, t.selector)]);

// ── Reminder plans (issue 5) ──────────────────────────────────────────────────────

export const trainings = sqliteTable("trainings", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  externalId: text("external_id"),
  linkUrl: text("link_url"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
}, (t) => [
  uniqueIndex("trainings_tenant_external_unique").on(t.tenantId, t.externalId),
  index("trainings_tenant_name_idx").on(t.tenantId, t.name),
]);

/**
 * A reminder plan of a training. `schedule` and `templates` hold exactly what the
 * shared zod schemas of lib/reminders validate (the same JSON the CLI reads).
 */
export const reminderPlans = sqliteTable("reminder_plans", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  trainingId: text("training_id").notNull().references(() => trainings.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  active: integer("active", { mode: "boolean" }).notNull(),
  schedule: text("schedule", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  templates: text("templates", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  spamRisk: text("spam_risk", { enum: ["low", "medium", "high"] }).notNull(),
  highRiskConfirmedAt: integer("high_risk_confirmed_at", { mode: "timestamp_ms" }),
  highRiskConfirmedBy: text("high_risk_confirmed_by"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
}, (t) => [index("reminder_plans_tenant_training_idx").on(t.tenantId, t.trainingId)]);

// ── Abuse limits (lib/limits) ─────────────────────────────────────────────────────

/**
 * Fixed-window counters: one row per (scope, key, window start). lib/limits increments
 * with one upsert that only counts below the limit, so parallel requests cannot pass it.
 */
export const rateLimits = sqliteTable("rate_limits", {
  scope: text("scope").notNull(),
  key: text("key").notNull(),
  windowStart: integer("window_start", { mode: "timestamp_ms" }).notNull(),
  count: integer("count").notNull(),
}, (t) => [uniqueIndex("rate_limits_scope_key_window_unique").on(t.scope, t.key, t.windowStart)]);

// ── Learners, assignments, API keys, CSV imports (issue 10) ───────────────────────

/**
 * A learner of a tenant, keyed by the learning platform's external id. `searchText` is
 * "first last email" lower-cased (written by lib/learners), so a search is one LIKE.
 */
export const learners = sqliteTable("learners", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  externalId: text("external_id").notNull(),
  email: text("email").notNull(),
  firstName: text("first_name").notNull(),
  lastName: text("last_name").notNull(),
  /** null: the tenant's language. */
  locale: text("locale", { enum: ["de", "en"] }),
  responsibleName: text("responsible_name"),
  responsibleEmail: text("responsible_email"),
  active: integer("active", { mode: "boolean" }).notNull(),
  searchText: text("search_text").notNull(),
  deactivatedAt: integer("deactivated_at", { mode: "timestamp_ms" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
}, (t) => [
  uniqueIndex("learners_tenant_external_unique").on(t.tenantId, t.externalId),
  index("learners_tenant_name_idx").on(t.tenantId, t.lastName, t.firstName, t.id),
  index("learners_tenant_email_idx").on(t.tenantId, t.email),
  index("learners_tenant_active_idx").on(t.tenantId, t.active),
]);

/** A learner × training: open until completed or withdrawn. */
export const assignments = sqliteTable("assignments", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  learnerId: text("learner_id").notNull().references(() => learners.id, { onDelete: "cascade" }),
  trainingId: text("training_id").notNull().references(() => trainings.id, { onDelete: "cascade" }),
  assignedAt: integer("assigned_at", { mode: "timestamp_ms" }).notNull(),
  dueAt: integer("due_at", { mode: "timestamp_ms" }),
  completedAt: integer("completed_at", { mode: "timestamp_ms" }),
  withdrawnAt: integer("withdrawn_at", { mode: "timestamp_ms" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
}, (t) => [
  uniqueIndex("assignments_learner_training_unique").on(t.learnerId, t.trainingId),
  index("assignments_tenant_training_due_idx").on(t.tenantId, t.trainingId, t.dueAt),
  index("assignments_tenant_due_idx").on(t.tenantId, t.dueAt),
]);

/** A tenant's API key: only its hash is stored; `prefix` is what the list shows. */
export const apiKeys = sqliteTable("api_keys", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  prefix: text("prefix").notNull(),
  keyHash: text("key_hash").notNull(),
  createdBy: text("created_by"),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
  lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  revokedBy: text("revoked_by"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
}, (t) => [
  uniqueIndex("api_keys_hash_unique").on(t.keyHash),
  uniqueIndex("api_keys_prefix_unique").on(t.prefix),
  index("api_keys_tenant_idx").on(t.tenantId, t.createdAt),
]);

/**
 * A CSV import: the uploaded file (decoded text), the mapping, and its progress, so a
 * reload shows where it stands and another instance can resume it (lease).
 */
export const learnerImports = sqliteTable("learner_imports", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  createdBy: text("created_by"),
  fileName: text("file_name").notNull(),
  encoding: text("encoding").notNull(),
  separator: text("separator").notNull(),
  content: text("content").notNull(),
  mapping: text("mapping", { mode: "json" }).$type<Record<string, unknown>>(),
  status: text("status", { enum: ["uploaded", "checked", "running", "done", "failed"] }).notNull(),
  totalRows: integer("total_rows").notNull(),
  processedRows: integer("processed_rows").notNull(),
  createdCount: integer("created_count").notNull(),
  updatedCount: integer("updated_count").notNull(),
  unchangedCount: integer("unchanged_count").notNull(),
  refusedCount: integer("refused_count").notNull(),
  refusedRows: text("refused_rows", { mode: "json" }).$type<Record<string, unknown>[]>(),
  leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
  startedAt: integer("started_at", { mode: "timestamp_ms" }),
  finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
}, (t) => [index("learner_imports_tenant_created_idx").on(t.tenantId, t.createdAt)]);

// ── Delivery outbox (issue 10 defines the rows the learners stop; issue 11 sends) ──

/**
 * The outbox: one row per mail Postillion will send or sent. Reminders are keyed
 * (plan, assignment, occurrence), digests (tenant, digest key). Issue 11 adds the
 * sending columns; issue 10 cancels pending rows when an assignment closes.
 */
export const deliveries = sqliteTable("deliveries", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  kind: text("kind", { enum: ["reminder", "digest"] }).notNull(),
  planId: text("plan_id").references(() => reminderPlans.id, { onDelete: "cascade" }),
  assignmentId: text("assignment_id").references(() => assignments.id, { onDelete: "cascade" }),
  learnerId: text("learner_id").references(() => learners.id, { onDelete: "cascade" }),
  occurrence: integer("occurrence"),
  digestKey: text("digest_key"),
  recipient: text("recipient").notNull(),
  dueAt: integer("due_at", { mode: "timestamp_ms" }).notNull(),
  status: text("status", { enum: ["planned", "sending", "retrying", "deferred", "sent", "failed", "cancelled"] }).notNull(),
  cancelReason: text("cancel_reason"),
  attempts: integer("attempts").notNull(),
  sentAt: integer("sent_at", { mode: "timestamp_ms" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  // ── Sending (issue 11) ──
  /** When the row may be tried (next): dueAt at planning, later after a retry or a deferral. */
  nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
  /** `<hash of the row's key@sending domain>`: the same on every attempt of the row. */
  messageId: text("message_id"),
  /** The worker holding the row while status = sending, and until when. */
  leaseOwner: text("lease_owner"),
  leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
  firstAttemptAt: integer("first_attempt_at", { mode: "timestamp_ms" }),
  lastAttemptAt: integer("last_attempt_at", { mode: "timestamp_ms" }),
  /** The last failure's class: temporary, recipient (suppressed), sender (paused), message, expired (gave up). */
  failureClass: text("failure_class", { enum: ["temporary", "recipient", "sender", "message", "expired"] }),
  /** ProbeFailureKind-like code of the last failure (lib/delivery/failures.ts). */
  lastErrorKind: text("last_error_kind"),
  /** The server's last reply (or the connection error), password-redacted. */
  lastReply: text("last_reply"),
  /** What was sent: the rendered subject, language and template variant. */
  subject: text("subject"),
  locale: text("locale", { enum: ["de", "en"] }),
  variantIndex: integer("variant_index"),
}, (t) => [
  uniqueIndex("deliveries_reminder_key_unique").on(t.planId, t.assignmentId, t.occurrence),
  uniqueIndex("deliveries_digest_key_unique").on(t.tenantId, t.digestKey),
  index("deliveries_status_due_idx").on(t.status, t.dueAt),
  index("deliveries_tenant_due_idx").on(t.tenantId, t.dueAt),
  // GET /api/v1/deliveries pages a tenant's changes by (updatedAt, id).
  index("deliveries_tenant_updated_idx").on(t.tenantId, t.updatedAt, t.id),
  index("deliveries_assignment_idx").on(t.assignmentId, t.status),
  index("deliveries_learner_idx").on(t.learnerId, t.status),
  // The worker's claim: due rows in order of their next attempt, per tenant; stale leases.
  index("deliveries_status_next_idx").on(t.status, t.nextAttemptAt),
  index("deliveries_tenant_status_next_idx").on(t.tenantId, t.status, t.nextAttemptAt),
  index("deliveries_status_lease_idx").on(t.status, t.leaseUntil),
  index("deliveries_plan_status_idx").on(t.planId, t.status),
]);

// ── Delivery (issue 11) ───────────────────────────────────────────────────────────

/** One try of one outbox row, written with its outcome (the server's reply included). */
export const deliveryAttempts = sqliteTable("delivery_attempts", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  deliveryId: text("delivery_id").notNull().references(() => deliveries.id, { onDelete: "cascade" }),
  attempt: integer("attempt").notNull(),
  workerId: text("worker_id"),
  startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
  finishedAt: integer("finished_at", { mode: "timestamp_ms" }).notNull(),
  /** sent, or the failure class; interrupted = the worker died holding it (lease expired). */
  outcome: text("outcome", { enum: ["sent", "temporary", "recipient", "sender", "message", "expired", "interrupted", "released"] }).notNull(),
  errorKind: text("error_kind"),
  smtpCode: integer("smtp_code"),
  reply: text("reply"),
  ms: integer("ms"),
}, (t) => [
  uniqueIndex("delivery_attempts_delivery_attempt_unique").on(t.deliveryId, t.attempt),
  index("delivery_attempts_tenant_finished_idx").on(t.tenantId, t.finishedAt),
]);

/** Addresses a tenant no longer mails (a permanent bounce, or an admin's entry); removable by an admin. */
export const suppressions = sqliteTable("suppressions", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  /** Lower-cased. */
  address: text("address").notNull(),
  reason: text("reason", { enum: ["bounce", "manual"] }).notNull(),
  /** The server's reply that caused it. */
  detail: text("detail"),
  deliveryId: text("delivery_id"),
  createdBy: text("created_by"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
}, (t) => [uniqueIndex("suppressions_tenant_address_unique").on(t.tenantId, t.address)]);

/** A learner's one-click unsubscribe from one plan (RFC 8058). */
export const unsubscribes = sqliteTable("unsubscribes", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  planId: text("plan_id").notNull().references(() => reminderPlans.id, { onDelete: "cascade" }),
  learnerId: text("learner_id").notNull().references(() => learners.id, { onDelete: "cascade" }),
  deliveryId: text("delivery_id"),
  via: text("via", { enum: ["one_click", "page"] }).notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
}, (t) => [
  uniqueIndex("unsubscribes_plan_learner_unique").on(t.planId, t.learnerId),
  index("unsubscribes_learner_idx").on(t.learnerId),
]);

/**
 * A tenant's sending paused by a sender-wide failure (535, 5.7.x policy, TLS required,
 * 5.4.5 quota). At most one open pause per tenant; "resume" closes it.
 */
export const sendingPauses = sqliteTable("sending_pauses", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  errorKind: text("error_kind").notNull(),
  reply: text("reply"),
  deliveryId: text("delivery_id"),
  pausedAt: integer("paused_at", { mode: "timestamp_ms" }).notNull(),
  resumedAt: integer("resumed_at", { mode: "timestamp_ms" }),
  resumedBy: text("resumed_by"),
}, (t) => [
  uniqueIndex("sending_pauses_one_open_unique").on(t.tenantId).where(sql`resumed_at is null`),
  index("sending_pauses_tenant_paused_idx").on(t.tenantId, t.pausedAt),
]);

/**
 * Something a tenant's admins and the consultants must act on (a paused sender; issue 12
 * adds re-check alerts). `dedupeKey` makes raising the same alert twice a no-op.
 */
export const alerts = sqliteTable("alerts", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
  kind: text("kind").notNull(),
  severity: text("severity", { enum: ["error", "warning", "info"] }).notNull(),
  /** Localized title and text: { de: { title, text }, en: { title, text } }. */
  message: text("message", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  detail: text("detail"),
  /** Where it is fixed (an app path, e.g. /t/acme/deliveries). */
  link: text("link"),
  dedupeKey: text("dedupe_key").notNull(),
  /** Whether the alert mail went out (to admins and consultants through the relay). */
  mailedAt: integer("mailed_at", { mode: "timestamp_ms" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  resolvedAt: integer("resolved_at", { mode: "timestamp_ms" }),
}, (t) => [
  uniqueIndex("alerts_dedupe_unique").on(t.dedupeKey),
  index("alerts_tenant_created_idx").on(t.tenantId, t.createdAt),
]);

/** Per user: which alerts they have read (the header's unread count, issue 12). */
export const alertReads = sqliteTable("alert_reads", {
  alertId: text("alert_id").notNull().references(() => alerts.id, { onDelete: "cascade" }),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  readAt: integer("read_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [uniqueIndex("alert_reads_alert_user_unique").on(t.alertId, t.userId)]);

/** Every worker process says it is alive here once a minute (health line, /api/health). */
export const workerHeartbeats = sqliteTable("worker_heartbeats", {
  id: text("id").primaryKey(),
  host: text("host").notNull(),
  pid: integer("pid").notNull(),
  startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
  seenAt: integer("seen_at", { mode: "timestamp_ms" }).notNull(),
  stoppedAt: integer("stopped_at", { mode: "timestamp_ms" }),
  /** The last health line's numbers: { due, sent, failed, retrying, deferred, pausedTenants }. */
  stats: text("stats", { mode: "json" }).$type<Record<string, unknown>>(),
}, (t) => [index("worker_heartbeats_seen_idx").on(t.seenAt)]);

/** Named singleton jobs shared by all workers (the planning sweep; issue 12's re-checks). */
export const workerLeases = sqliteTable("worker_leases", {
  name: text("name").primaryKey(),
  owner: text("owner").notNull(),
  until: integer("until", { mode: "timestamp_ms" }).notNull(),
  /** When the job last finished (so a sweep runs once per interval, whichever worker runs it). */
  lastRunAt: integer("last_run_at", { mode: "timestamp_ms" }),
});

// ── Review (issue 12) ─────────────────────────────────────────────────────────────

/**
 * A consultant's review of a tenant's setup: "mark reviewed", with an optional note.
 * Insert-only: the newest row is the tenant's review state, older rows are its history.
 * "Changed since review" is read from the audit log (changes after reviewedAt).
 */
export const tenantReviews = sqliteTable("tenant_reviews", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  reviewerId: text("reviewer_id").references(() => users.id, { onDelete: "set null" }),
  note: text("note"),
  reviewedAt: integer("reviewed_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [index("tenant_reviews_tenant_reviewed_idx").on(t.tenantId, t.reviewedAt)]);
