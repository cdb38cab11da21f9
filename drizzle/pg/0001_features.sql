CREATE TABLE "address_proofs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"address" text NOT NULL,
	"code_hash" text,
	"expires_at" timestamp with time zone,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"sent_at" jsonb NOT NULL,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dkim_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"domain" text NOT NULL,
	"selector" text NOT NULL,
	"public_key" text NOT NULL,
	"private_key_box" text NOT NULL,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "domain_checks" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"domain" text NOT NULL,
	"status" text NOT NULL,
	"verdict" text,
	"findings" jsonb NOT NULL,
	"raw" jsonb,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"started_by" text
);
--> statement-breakpoint
CREATE TABLE "reminder_plans" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"training_id" text NOT NULL,
	"name" text NOT NULL,
	"active" boolean NOT NULL,
	"schedule" jsonb NOT NULL,
	"templates" jsonb NOT NULL,
	"spam_risk" text NOT NULL,
	"high_risk_confirmed_at" timestamp with time zone,
	"high_risk_confirmed_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sender_settings" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"mode" text NOT NULL,
	"display_name" text,
	"reply_to" text,
	"noreply_address" text,
	"from_address" text,
	"smtp_host" text,
	"smtp_port" integer,
	"smtp_security" text,
	"smtp_user" text,
	"smtp_password_box" text,
	"rate_per_minute" integer NOT NULL,
	"daily_quota" integer NOT NULL,
	"no_reply_to_confirmed_at" timestamp with time zone,
	"free_mail_acknowledged_at" timestamp with time zone,
	"no_tls_acknowledged_at" timestamp with time zone,
	"last_test" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "trainings" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"external_id" text,
	"link_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "address_proofs" ADD CONSTRAINT "address_proofs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dkim_keys" ADD CONSTRAINT "dkim_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "domain_checks" ADD CONSTRAINT "domain_checks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_plans" ADD CONSTRAINT "reminder_plans_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_plans" ADD CONSTRAINT "reminder_plans_training_id_trainings_id_fk" FOREIGN KEY ("training_id") REFERENCES "public"."trainings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sender_settings" ADD CONSTRAINT "sender_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainings" ADD CONSTRAINT "trainings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "address_proofs_tenant_address_unique" ON "address_proofs" USING btree ("tenant_id","address");--> statement-breakpoint
CREATE UNIQUE INDEX "dkim_keys_tenant_domain_selector_unique" ON "dkim_keys" USING btree ("tenant_id","domain","selector");--> statement-breakpoint
CREATE INDEX "domain_checks_tenant_domain_started_idx" ON "domain_checks" USING btree ("tenant_id","domain","started_at");--> statement-breakpoint
CREATE INDEX "reminder_plans_tenant_training_idx" ON "reminder_plans" USING btree ("tenant_id","training_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trainings_tenant_external_unique" ON "trainings" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE INDEX "trainings_tenant_name_idx" ON "trainings" USING btree ("tenant_id","name");