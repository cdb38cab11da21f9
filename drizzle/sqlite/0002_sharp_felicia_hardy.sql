CREATE TABLE `rate_limits` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rate_limits_scope_key_window_unique` ON `rate_limits` (`scope`,`key`,`window_start`);--> statement-breakpoint
ALTER TABLE `address_proofs` ADD `last_sent_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `domain_checks_one_running_unique` ON `domain_checks` (`tenant_id`,`domain`) WHERE status = 'running';