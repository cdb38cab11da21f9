CREATE TABLE `address_proofs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`address` text NOT NULL,
	`code_hash` text,
	`expires_at` integer,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`sent_at` text NOT NULL,
	`verified_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `address_proofs_tenant_address_unique` ON `address_proofs` (`tenant_id`,`address`);--> statement-breakpoint
CREATE TABLE `dkim_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`domain` text NOT NULL,
	`selector` text NOT NULL,
	`public_key` text NOT NULL,
	`private_key_box` text NOT NULL,
	`verified_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dkim_keys_tenant_domain_selector_unique` ON `dkim_keys` (`tenant_id`,`domain`,`selector`);--> statement-breakpoint
CREATE TABLE `domain_checks` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`domain` text NOT NULL,
	`status` text NOT NULL,
	`verdict` text,
	`findings` text NOT NULL,
	`raw` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`started_by` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `domain_checks_tenant_domain_started_idx` ON `domain_checks` (`tenant_id`,`domain`,`started_at`);--> statement-breakpoint
CREATE TABLE `reminder_plans` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`training_id` text NOT NULL,
	`name` text NOT NULL,
	`active` integer NOT NULL,
	`schedule` text NOT NULL,
	`templates` text NOT NULL,
	`spam_risk` text NOT NULL,
	`high_risk_confirmed_at` integer,
	`high_risk_confirmed_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`training_id`) REFERENCES `trainings`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `reminder_plans_tenant_training_idx` ON `reminder_plans` (`tenant_id`,`training_id`);--> statement-breakpoint
CREATE TABLE `sender_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`mode` text NOT NULL,
	`display_name` text,
	`reply_to` text,
	`noreply_address` text,
	`from_address` text,
	`smtp_host` text,
	`smtp_port` integer,
	`smtp_security` text,
	`smtp_user` text,
	`smtp_password_box` text,
	`rate_per_minute` integer NOT NULL,
	`daily_quota` integer NOT NULL,
	`no_reply_to_confirmed_at` integer,
	`free_mail_acknowledged_at` integer,
	`no_tls_acknowledged_at` integer,
	`last_test` text,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `trainings` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`external_id` text,
	`link_url` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trainings_tenant_external_unique` ON `trainings` (`tenant_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `trainings_tenant_name_idx` ON `trainings` (`tenant_id`,`name`);