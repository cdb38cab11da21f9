CREATE TABLE `alert_reads` (
	`alert_id` text NOT NULL,
	`user_id` text NOT NULL,
	`read_at` integer NOT NULL,
	FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_reads_alert_user_unique` ON `alert_reads` (`alert_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text,
	`kind` text NOT NULL,
	`severity` text NOT NULL,
	`message` text NOT NULL,
	`detail` text,
	`link` text,
	`dedupe_key` text NOT NULL,
	`mailed_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_dedupe_unique` ON `alerts` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `alerts_tenant_created_idx` ON `alerts` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `delivery_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`delivery_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`worker_id` text,
	`started_at` integer NOT NULL,
	`finished_at` integer NOT NULL,
	`outcome` text NOT NULL,
	`error_kind` text,
	`smtp_code` integer,
	`reply` text,
	`ms` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`delivery_id`) REFERENCES `deliveries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `delivery_attempts_delivery_attempt_unique` ON `delivery_attempts` (`delivery_id`,`attempt`);--> statement-breakpoint
CREATE INDEX `delivery_attempts_tenant_finished_idx` ON `delivery_attempts` (`tenant_id`,`finished_at`);--> statement-breakpoint
CREATE TABLE `sending_pauses` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`error_kind` text NOT NULL,
	`reply` text,
	`delivery_id` text,
	`paused_at` integer NOT NULL,
	`resumed_at` integer,
	`resumed_by` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sending_pauses_one_open_unique` ON `sending_pauses` (`tenant_id`) WHERE resumed_at is null;--> statement-breakpoint
CREATE INDEX `sending_pauses_tenant_paused_idx` ON `sending_pauses` (`tenant_id`,`paused_at`);--> statement-breakpoint
CREATE TABLE `suppressions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`address` text NOT NULL,
	`reason` text NOT NULL,
	`detail` text,
	`delivery_id` text,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `suppressions_tenant_address_unique` ON `suppressions` (`tenant_id`,`address`);--> statement-breakpoint
CREATE TABLE `unsubscribes` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`plan_id` text NOT NULL,
	`learner_id` text NOT NULL,
	`delivery_id` text,
	`via` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`plan_id`) REFERENCES `reminder_plans`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `unsubscribes_plan_learner_unique` ON `unsubscribes` (`plan_id`,`learner_id`);--> statement-breakpoint
CREATE INDEX `unsubscribes_learner_idx` ON `unsubscribes` (`learner_id`);--> statement-breakpoint
CREATE TABLE `worker_heartbeats` (
	`id` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`started_at` integer NOT NULL,
	`seen_at` integer NOT NULL,
	`stopped_at` integer,
	`stats` text
);
--> statement-breakpoint
CREATE INDEX `worker_heartbeats_seen_idx` ON `worker_heartbeats` (`seen_at`);--> statement-breakpoint
CREATE TABLE `worker_leases` (
	`name` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`until` integer NOT NULL,
	`last_run_at` integer
);
--> statement-breakpoint
ALTER TABLE `deliveries` ADD `next_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `message_id` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `lease_owner` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `lease_until` integer;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `first_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `last_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `failure_class` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `last_error_kind` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `last_reply` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `subject` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `locale` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `variant_index` integer;--> statement-breakpoint
CREATE INDEX `deliveries_status_next_idx` ON `deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `deliveries_tenant_status_next_idx` ON `deliveries` (`tenant_id`,`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `deliveries_status_lease_idx` ON `deliveries` (`status`,`lease_until`);--> statement-breakpoint
CREATE INDEX `deliveries_plan_status_idx` ON `deliveries` (`plan_id`,`status`);