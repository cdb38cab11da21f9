DROP INDEX "learners_tenant_email_idx";--> statement-breakpoint
CREATE INDEX "deliveries_tenant_updated_idx" ON "deliveries" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "learners_tenant_email_idx" ON "learners" USING btree ("tenant_id","email" text_pattern_ops);