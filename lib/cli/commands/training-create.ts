import { CLI_ACTOR } from "../../auth/policy";
import { saveTraining } from "../../reminders/service";
import { cliDb } from "../db";
import { printResult, requireFlag, type CliCommand } from "../types";
import { refusal } from "./refusal";
import { cliTenant } from "./tenant-flag";

const FLAGS: Record<string, string> = { externalId: "--external-id", linkUrl: "--link", name: "--name" };

export const command: CliCommand = {
  words: ["training", "create"],
  summary: "Create a training of a tenant (the external id is the learning platform's id, unique per tenant).",
  usage: "postillion training create --tenant S --name N [--external-id X] [--link URL] [--json]",
  run: async (ctx) => {
    const slug = requireFlag(ctx, "tenant");
    const input = { name: ctx.flags.name, externalId: ctx.flags["external-id"], linkUrl: ctx.flags.link };
    const db = await cliDb();
    const tenant = await cliTenant(db, slug);
    const outcome = await saveTraining(db, { tenant, actor: CLI_ACTOR, input, now: ctx.now });
    if (!outcome.ok) throw refusal(outcome, { flagOf: (f) => FLAGS[f] ?? `--${f}` });
    const { id, name } = outcome.data;
    const doc = { id, tenant: tenant.slug, name, externalId: input.externalId ?? null, linkUrl: input.linkUrl ?? null };
    printResult(ctx, doc, `Created training ${id} (${name}) in tenant ${tenant.slug}.`);
    return 0;
  },
};
