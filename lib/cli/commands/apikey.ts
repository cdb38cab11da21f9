import { apiKeyStatus, createApiKey, listApiKeys, revokeApiKey } from "../../api-keys/service";
import { CLI_ACTOR } from "../../auth/policy";
import { cliDb } from "../db";
import { optionalFlag, printResult, requireFlag, type CliCommand } from "../types";
import { refusal } from "./refusal";
import { cliTenant } from "./tenant-flag";

const FLAGS: Record<string, string> = { name: "--name", expiresAt: "--expires" };

export const create: CliCommand = {
  words: ["apikey", "create"],
  summary:
    "Create an API key for the tenant's learning platform. The key is printed once, here, and stored only as a hash: " +
    "hand it over now. --expires takes an ISO-8601 instant (or a date: the end of that day in the tenant's zone).",
  usage: "postillion apikey create --tenant S --name N [--expires ISO] [--json]",
  run: async (ctx) => {
    const slug = requireFlag(ctx, "tenant");
    const input = { name: optionalFlag(ctx, "name") ?? "", expiresAt: optionalFlag(ctx, "expires") };
    const db = await cliDb();
    const tenant = await cliTenant(db, slug);
    const outcome = await createApiKey(db, { tenant, actor: CLI_ACTOR, input, now: ctx.now });
    if (!outcome.ok) throw refusal(outcome, { flagOf: (f) => FLAGS[f] ?? `--${f}` });
    const { key, id, prefix } = outcome.data;
    printResult(
      ctx,
      { key, id, prefix },
      `Created API key ${id} (${prefix}…) in tenant ${tenant.slug}.\n` +
        `Key, shown only this once — store it now:\n${key}\n`,
    );
    return 0;
  },
};

export const list: CliCommand = {
  words: ["apikey", "list"],
  summary: "List the tenant's API keys (prefix, status, last use); the keys themselves are never shown again.",
  usage: "postillion apikey list --tenant S [--json]",
  run: async (ctx) => {
    const slug = requireFlag(ctx, "tenant");
    const db = await cliDb();
    const tenant = await cliTenant(db, slug);
    const keys = (await listApiKeys(db, { tenantId: tenant.id })).map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      status: apiKeyStatus(k, ctx.now),
      createdAt: k.createdAt.toISOString(),
      createdBy: k.createdByName,
      expiresAt: k.expiresAt?.toISOString() ?? null,
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      revokedAt: k.revokedAt?.toISOString() ?? null,
    }));
    const human = keys.length
      ? keys
          .map((k) => `${k.id}  ${k.prefix}…  ${k.status.padEnd(7)}  ${k.name}  last used ${k.lastUsedAt ?? "never"}${k.expiresAt ? `  expires ${k.expiresAt}` : ""}`)
          .join("\n")
      : `Tenant ${tenant.slug} has no API keys.`;
    printResult(ctx, { tenant: tenant.slug, keys }, human);
    return 0;
  },
};

export const revoke: CliCommand = {
  words: ["apikey", "revoke"],
  summary: "Revoke an API key of the tenant (by its id from `apikey list`); it stops working at once.",
  usage: "postillion apikey revoke --tenant S --id ID [--json]",
  run: async (ctx) => {
    const slug = requireFlag(ctx, "tenant");
    const id = requireFlag(ctx, "id");
    const db = await cliDb();
    const tenant = await cliTenant(db, slug);
    const outcome = await revokeApiKey(db, { tenantId: tenant.id, actor: CLI_ACTOR, keyId: id, now: ctx.now });
    if (!outcome.ok) throw refusal(outcome, { what: { notFound: `--id: tenant ${tenant.slug} has no API key "${id}"` } });
    const { revoked } = outcome.data;
    printResult(ctx, { id, revoked }, revoked ? `Revoked API key ${id}.` : `API key ${id} was already revoked.`);
    return 0;
  },
};
