CREATE TABLE "rate_limits" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "address_proofs" ADD COLUMN "last_sent_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "rate_limits_scope_key_window_unique" ON "rate_limits" USING btree ("scope","key","window_start");--> statement-breakpoint
CREATE UNIQUE INDEX "domain_checks_one_running_unique" ON "domain_checks" USING btree ("tenant_id","domain") WHERE status = 'running';