import { config } from "../../config/platform-profile";
import { encryptionKeys } from "../../config/encryption";
import { getTenantBySlug } from "../../tenants/queries";
import { localizeIssues } from "../../validation/localize";
import { cliDb } from "../db";
import { CliUsageError, optionalFlag, printResult, requireFlag, type CliCommand } from "../types";

/** Form field → the flag that carries it (for "--flag: problem" errors). */
const FLAG_OF: Record<string, string> = {
  mode: "mode",
  noreplyAddress: "noreply-address",
  displayName: "display-name",
  replyTo: "reply-to",
  fromAddress: "from",
  host: "host",
  port: "port",
  security: "security",
  user: "user",
  password: "password-stdin",
  ratePerMinute: "rate-per-minute",
  dailyQuota: "daily-quota",
  acknowledgeFreeMail: "acknowledge-free-mail",
  acknowledgeNoTls: "acknowledge-no-tls",
  confirmNoReplyTo: "confirm-no-reply-to",
};
const SWITCHES = ["acknowledgeFreeMail", "acknowledgeNoTls", "confirmNoReplyTo"] as const;

export const command: CliCommand = {
  words: ["sender", "set"],
  summary:
    "Save a tenant's sender settings: the same validation, saving and audit as the sender page (actor: the CLI). " +
    "The SMTP password is read from standard input with --password-stdin; it is never printed.",
  usage:
    "postillion sender set --tenant S --mode platform|customer_domain|custom_smtp [--noreply-address A] [--display-name N] " +
    "[--reply-to A] [--from A] [--host H --port P --security tls|starttls|none --user U --password-stdin] " +
    "[--rate-per-minute N] [--daily-quota N] [--acknowledge-free-mail] [--acknowledge-no-tls] [--confirm-no-reply-to] [--json]",
  run: async (ctx) => {
    if (ctx.flags.password !== undefined) throw new CliUsageError("--password is not accepted: use --password-stdin");
    const slug = requireFlag(ctx, "tenant");
    requireFlag(ctx, "mode");
    const raw: Record<string, unknown> = {};
    for (const [field, flag] of Object.entries(FLAG_OF)) {
      if (field === "password" || (SWITCHES as readonly string[]).includes(field)) continue;
      const value = optionalFlag(ctx, flag);
      if (value !== undefined) raw[field] = value;
    }
    for (const field of SWITCHES) {
      const value = ctx.flags[FLAG_OF[field]!];
      if (value !== undefined && value !== true) throw new CliUsageError(`--${FLAG_OF[field]} takes no value`);
      raw[field] = value === true;
    }
    if (ctx.flags["password-stdin"] === true) raw.password = (await ctx.readStdin()).replace(/\r?\n$/, "");

    // Loaded on use: every other command starts without the mail stack.
    const { applySenderSettings, loadSenderOverview, senderEnvironment } = await import("../../sender/service");
    const db = await cliDb();
    const tenant = await getTenantBySlug(db, slug);
    if (!tenant) throw new CliUsageError(`--tenant: no tenant "${slug}"`);
    const env = senderEnvironment(config());
    const now = ctx.now;
    const saved = await applySenderSettings(db, { tenantId: tenant.id, actorUserId: null, via: "cli", raw, env, keys: encryptionKeys(), now });
    if (!saved.ok) {
      const errors = localizeIssues(saved.error, "en");
      throw new CliUsageError(Object.entries(errors).map(([f, m]) => `--${FLAG_OF[f] ?? f}: ${m}`).join("; "));
    }
    const overview = await loadSenderOverview(db, { tenantId: tenant.id, relayConfigured: !!env.relayUrl, now });
    const state = overview.state;
    const readiness =
      state.status === "ready"
        ? "ready"
        : state.status === "not_ready"
          ? `not ready (${state.reasons.join(", ")})`
          : "not configured";
    printResult(
      ctx,
      { tenant: tenant.slug, settings: saved.settings, state, proofCleared: saved.proofCleared },
      `Saved the sender settings of ${tenant.slug} (mode ${saved.settings.mode}): ${readiness}.` +
        (saved.proofCleared && saved.previousMode === "customer_domain" ? " The From address changed: its proof was cleared." : ""),
    );
    return 0;
  },
};
