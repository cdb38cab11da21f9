import { CLI_ACTOR } from "../../auth/policy";
import { createTenant } from "../../tenants/service";
import { cliDb } from "../db";
import { printResult, type CliCommand } from "../types";
import { refusal } from "./refusal";

export const command: CliCommand = {
  words: ["tenant", "create"],
  summary: "Create a tenant.",
  usage: "postillion tenant create --slug S --name N [--timezone TZ] [--locale de|en] [--json]",
  run: async (ctx) => {
    const input = {
      slug: ctx.flags.slug,
      name: ctx.flags.name,
      timezone: typeof ctx.flags.timezone === "string" ? ctx.flags.timezone : undefined,
      locale: typeof ctx.flags.locale === "string" ? ctx.flags.locale : undefined,
    };
    const db = await cliDb();
    const outcome = await createTenant(db, { actor: CLI_ACTOR, input, now: ctx.now });
    if (!outcome.ok) {
      throw refusal(outcome, { what: { duplicate: `--slug: a tenant "${String(input.slug).trim().toLowerCase()}" already exists` } });
    }
    const tenant = outcome.data;
    printResult(ctx, tenant, `Created tenant ${tenant.slug} (${tenant.name}, ${tenant.timezone}, ${tenant.locale}).`);
    return 0;
  },
};
