CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_by` text,
	`expires_at` integer,
	`last_used_at` integer,
	`revoked_at` integer,
	`revoked_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_prefix_unique` ON `api_keys` (`prefix`);--> statement-breakpoint
CREATE INDEX `api_keys_tenant_idx` ON `api_keys` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `assignments` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`learner_id` text NOT NULL,
	`training_id` text NOT NULL,
	`assigned_at` integer NOT NULL,
	`due_at` integer,
	`completed_at` integer,
	`withdrawn_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`training_id`) REFERENCES `trainings`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assignments_learner_training_unique` ON `assignments` (`learner_id`,`training_id`);--> statement-breakpoint
CREATE INDEX `assignments_tenant_training_due_idx` ON `assignments` (`tenant_id`,`training_id`,`due_at`);--> statement-breakpoint
CREATE INDEX `assignments_tenant_due_idx` ON `assignments` (`tenant_id`,`due_at`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`plan_id` text,
	`assignment_id` text,
	`learner_id` text,
	`occurrence` integer,
	`digest_key` text,
	`recipient` text NOT NULL,
	`due_at` integer NOT NULL,
	`status` text NOT NULL,
	`cancel_reason` text,
	`attempts` integer NOT NULL,
	`sent_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`plan_id`) REFERENCES `reminder_plans`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assignment_id`) REFERENCES `assignments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_reminder_key_unique` ON `deliveries` (`plan_id`,`assignment_id`,`occurrence`);--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_digest_key_unique` ON `deliveries` (`tenant_id`,`digest_key`);--> statement-breakpoint
CREATE INDEX `deliveries_status_due_idx` ON `deliveries` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `deliveries_tenant_due_idx` ON `deliveries` (`tenant_id`,`due_at`);--> statement-breakpoint
CREATE INDEX `deliveries_assignment_idx` ON `deliveries` (`assignment_id`,`status`);--> statement-breakpoint
CREATE INDEX `deliveries_learner_idx` ON `deliveries` (`learner_id`,`status`);--> statement-breakpoint
CREATE TABLE `learner_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`created_by` text,
	`file_name` text NOT NULL,
	`encoding` text NOT NULL,
	`separator` text NOT NULL,
	`content` text NOT NULL,
	`mapping` text,
	`status` text NOT NULL,
	`total_rows` integer NOT NULL,
	`processed_rows` integer NOT NULL,
	`created_count` integer NOT NULL,
	`updated_count` integer NOT NULL,
	`unchanged_count` integer NOT NULL,
	`refused_count` integer NOT NULL,
	`refused_rows` text,
	`lease_until` integer,
	`started_at` integer,
	`finished_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `learner_imports_tenant_created_idx` ON `learner_imports` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `learners` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`external_id` text NOT NULL,
	`email` text NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`locale` text,
	`responsible_name` text,
	`responsible_email` text,
	`active` integer NOT NULL,
	`search_text` text NOT NULL,
	`deactivated_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `learners_tenant_external_unique` ON `learners` (`tenant_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `learners_tenant_name_idx` ON `learners` (`tenant_id`,`last_name`,`first_name`,`id`);--> statement-breakpoint
CREATE INDEX `learners_tenant_email_idx` ON `learners` (`tenant_id`,`email`);--> statement-breakpoint
CREATE INDEX `learners_tenant_active_idx` ON `learners` (`tenant_id`,`active`);