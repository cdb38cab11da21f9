import { CLI_ACTOR } from "../../auth/policy";
import { getTenantBySlug } from "../../tenants/queries";
import { tenantSlugSchema } from "../../tenants/schema";
import { ROLES } from "../../users/schema";
import { createConsultant, createTenantUser } from "../../users/service";
import { cliDb } from "../db";
import { CliUsageError, printResult, type CliCommand } from "../types";
import { refusal } from "./refusal";

const flagOf = (f: string) => `--${f === "password" ? "password-stdin" : f}`;

export const command: CliCommand = {
  words: ["user", "create"],
  summary:
    "Create a user. The password is read from standard input with --password-stdin (never from the command line, " +
    "where other users of the machine could see it). Admins and trainers need --tenant.",
  usage: "postillion user create --email E --role consultant|admin|trainer [--tenant S] [--name N] --password-stdin [--json]",
  run: async (ctx) => {
    if (ctx.flags.password !== undefined) throw new CliUsageError("--password is not accepted: use --password-stdin");
    if (ctx.flags["password-stdin"] !== true) throw new CliUsageError("--password-stdin is required");
    const role = ctx.flags.role;
    if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) {
      throw new CliUsageError(`--role: one of ${ROLES.join(", ")}`);
    }
    const slug = ctx.flags.tenant;
    if (role === "consultant" && slug !== undefined) {
      throw new CliUsageError("--tenant: consultants belong to no tenant (they see every tenant)");
    }
    if (role !== "consultant" && (typeof slug !== "string" || !tenantSlugSchema.safeParse(slug).success)) {
      throw new CliUsageError("--tenant: admins and trainers need the short name of their tenant");
    }
    const password = (await ctx.readStdin()).replace(/\r?\n$/, "");
    const input = { email: ctx.flags.email, name: typeof ctx.flags.name === "string" ? ctx.flags.name : undefined, password, role };
    const db = await cliDb();
    let tenantSlug: string | null = null;
    let outcome;
    if (role === "consultant") {
      outcome = await createConsultant(db, { actor: CLI_ACTOR, input, now: ctx.now });
    } else {
      tenantSlug = tenantSlugSchema.parse(slug);
      const tenant = await getTenantBySlug(db, tenantSlug);
      if (!tenant) throw new CliUsageError(`--tenant: no tenant "${tenantSlug}"`);
      outcome = await createTenantUser(db, { tenantId: tenant.id, actor: CLI_ACTOR, input, now: ctx.now });
    }
    if (!outcome.ok) {
      throw refusal(outcome, {
        flagOf,
        what: { duplicate: `--email: an account for ${String(input.email).trim().toLowerCase()} already exists` },
      });
    }
    const user = outcome.data;
    printResult(
      ctx,
      { ...user, tenant: tenantSlug },
      `Created ${user.role} ${user.email}${tenantSlug ? ` in tenant ${tenantSlug}` : ""}.`,
    );
    return 0;
  },
};
