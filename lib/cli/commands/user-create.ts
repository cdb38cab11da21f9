import { writeAudit } from "../../audit/log";
import { DuplicateError, getTenantBySlug } from "../../tenants/queries";
import { createUser } from "../../users/queries";
import { createUserSchema } from "../../users/schema";
import { localizeIssues } from "../../validation/localize";
import { cliDb } from "../db";
import { CliUsageError, printResult, type CliCommand } from "../types";

export const command: CliCommand = {
  words: ["user", "create"],
  summary:
    "Create a user. The password is read from standard input with --password-stdin (never from the command line, " +
    "where other users of the machine could see it). Admins and trainers need --tenant.",
  usage: "postillion user create --email E --role consultant|admin|trainer [--tenant S] [--name N] --password-stdin [--json]",
  run: async (ctx) => {
    if (ctx.flags.password !== undefined) throw new CliUsageError("--password is not accepted: use --password-stdin");
    if (ctx.flags["password-stdin"] !== true) throw new CliUsageError("--password-stdin is required");
    const password = (await ctx.readStdin()).replace(/\r?\n$/, "");
    const parsed = createUserSchema.safeParse({
      email: ctx.flags.email,
      role: ctx.flags.role,
      name: typeof ctx.flags.name === "string" ? ctx.flags.name : undefined,
      tenantSlug: typeof ctx.flags.tenant === "string" ? ctx.flags.tenant : undefined,
      password,
    });
    if (!parsed.success) {
      const errors = localizeIssues(parsed.error, "en");
      const flagName = (f: string) => (f === "tenantSlug" ? "tenant" : f === "password" ? "password-stdin" : f);
      throw new CliUsageError(Object.entries(errors).map(([f, m]) => `--${flagName(f)}: ${m}`).join("; "));
    }
    const input = parsed.data;
    if (input.role === "consultant" && input.tenantSlug) {
      throw new CliUsageError("--tenant: consultants belong to no tenant (they see every tenant)");
    }
    const db = await cliDb();
    let tenantId: string | undefined;
    if (input.tenantSlug) {
      const tenant = await getTenantBySlug(db, input.tenantSlug);
      if (!tenant) throw new CliUsageError(`--tenant: no tenant "${input.tenantSlug}"`);
      tenantId = tenant.id;
    }
    try {
      const user = await db.transaction(async (tx) => {
        const created = await createUser(tx, { ...input, tenantId });
        await writeAudit(tx, {
          tenantId: tenantId ?? null,
          actorUserId: null,
          action: "user.create",
          targetType: "user",
          targetId: created.id,
          details: { email: created.email, role: created.role, via: "cli" },
        });
        return created;
      });
      printResult(
        ctx,
        { ...user, tenant: input.tenantSlug ?? null },
        `Created ${user.role} ${user.email}${input.tenantSlug ? ` in tenant ${input.tenantSlug}` : ""}.`,
      );
      return 0;
    } catch (error) {
      if (error instanceof DuplicateError) throw new CliUsageError(`--email: an account for ${input.email} already exists`);
      throw error;
    }
  },
};
