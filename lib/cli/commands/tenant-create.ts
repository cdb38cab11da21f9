import { writeAudit } from "../../audit/log";
import { createTenant, DuplicateError } from "../../tenants/queries";
import { createTenantSchema } from "../../tenants/schema";
import { localizeIssues } from "../../validation/localize";
import { cliDb } from "../db";
import { CliUsageError, printResult, type CliCommand } from "../types";

export const command: CliCommand = {
  words: ["tenant", "create"],
  summary: "Create a tenant.",
  usage: "postillion tenant create --slug S --name N [--timezone TZ] [--locale de|en] [--json]",
  run: async (ctx) => {
    const parsed = createTenantSchema.safeParse({
      slug: ctx.flags.slug,
      name: ctx.flags.name,
      timezone: typeof ctx.flags.timezone === "string" ? ctx.flags.timezone : undefined,
      locale: typeof ctx.flags.locale === "string" ? ctx.flags.locale : undefined,
    });
    if (!parsed.success) {
      const errors = localizeIssues(parsed.error, "en");
      throw new CliUsageError(Object.entries(errors).map(([f, m]) => `--${f}: ${m}`).join("; "));
    }
    const db = await cliDb();
    try {
      const tenant = await db.transaction(async (tx) => {
        const created = await createTenant(tx, parsed.data);
        await writeAudit(tx, {
          tenantId: created.id,
          actorUserId: null,
          action: "tenant.create",
          targetType: "tenant",
          targetId: created.id,
          details: { slug: created.slug, via: "cli" },
        });
        return created;
      });
      printResult(ctx, tenant, `Created tenant ${tenant.slug} (${tenant.name}, ${tenant.timezone}, ${tenant.locale}).`);
      return 0;
    } catch (error) {
      if (error instanceof DuplicateError) throw new CliUsageError(`--slug: a tenant "${parsed.data.slug}" already exists`);
      throw error;
    }
  },
};
