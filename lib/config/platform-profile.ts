import fs from "node:fs";
import path from "node:path";
import { isIP } from "node:net";
import { z } from "zod";

/**
 * The operator's configuration: the platform profile and runtime settings.
 * Read from the environment and/or one JSON config file (POSTILLION_CONFIG, default
 * ./postillion.config.json when it exists); the environment wins. Every key is
 * validated with zod at start-up; a bad key stops the process with a message naming it.
 */

const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item));

const emailItem = z.email();
const domainItem = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, "not a domain name");
const ipItem = z.string().refine((s) => isIP(s) !== 0, "not an IP address");
const hostPortItem = z.string().regex(/^(\[[0-9a-f:]+\]|[^:\s]+)(:\d{1,5})?$/i, "not HOST:PORT");
const bool = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => ["1", "0", "true", "false", "yes", "no", ""].includes(s), "must be true or false")
  .transform((s) => ["1", "true", "yes"].includes(s));
const positiveInt = z.coerce.number().int().positive();

export const SEED_NOREPLY_ADDRESSES = "noreply@reflact.com,noreply-train@reflact.com,noreply@ilearn24.net";
export const SEED_SPF_INCLUDES = "secure-mailgate.com,reflact-train.com,ilearn24.net";

const configSchema = z.object({
  DATABASE_URL: z
    .string()
    .refine((s) => s === "" || s.startsWith("file:") || /^postgres(ql)?:\/\//.test(s), "must be file:PATH or postgres://…")
    .optional(),
  DATA_DIR: z.string().default("./data"),
  SMTP_RELAY_URL: z
    .string()
    .refine((s) => s === "" || /^smtps?:\/\//.test(s), "must be smtp://… or smtps://…")
    .optional(),
  PLATFORM_NOREPLY_ADDRESSES: list(emailItem).default(SEED_NOREPLY_ADDRESSES.split(",")),
  PLATFORM_SPF_INCLUDES: list(domainItem).default(SEED_SPF_INCLUDES.split(",")),
  PLATFORM_GATEWAY_IPS: list(ipItem).default([]),
  DNS_SERVERS: list(hostPortItem).optional(),
  SMTP_ALLOW_PRIVATE_HOSTS: bool.default(false),
  SMTP_ALLOWED_PORTS: list(z.string().regex(/^\d{1,5}$/, "not a port")).default(["25", "465", "587", "2525"]),
  DEFAULT_RATE_PER_MINUTE: positiveInt.default(60),
  DEFAULT_DAILY_QUOTA: positiveInt.default(10_000),
  /** Requests per minute one API key may make to /api/v1 (counted in the database). */
  API_RATE_PER_MINUTE: positiveInt.default(600),
  /** The app's public address, for links in mails (unsubscribe, alerts). No trailing slash. */
  PUBLIC_URL: z
    .string()
    .refine((s) => /^https?:\/\/[^\s/]+/.test(s), "must be http(s)://host[:port][/path]")
    .transform((s) => s.replace(/\/+$/, ""))
    .default("http://localhost:3000"),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  POSTILLION_ENCRYPTION_KEYS: z.string().min(1).optional(),
});

export type PlatformConfig = z.output<typeof configSchema> & {
  SMTP_ALLOWED_PORTS: string[];
};

export class ConfigError extends Error {}

const KEYS = Object.keys(configSchema.shape) as (keyof typeof configSchema.shape)[];

function readConfigFile(env: Record<string, string | undefined>): Record<string, unknown> {
  const explicit = env.POSTILLION_CONFIG;
  const file = explicit ?? path.resolve(/*turbopackIgnore: true*/ process.cwd(), "postillion.config.json");
  if (!fs.existsSync(file)) {
    if (explicit) throw new ConfigError(`POSTILLION_CONFIG: file not found: ${explicit}`);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(`${file}: must hold one JSON object`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(KEYS as string[]).includes(key)) throw new ConfigError(`${file}: unknown key ${key}`);
    out[key] = Array.isArray(value) ? value.join(",") : typeof value === "string" ? value : String(value);
  }
  return out;
}

/** Parses the configuration; throws a ConfigError naming the first bad key. */
export function loadConfig(env: Record<string, string | undefined> = process.env): PlatformConfig {
  const merged: Record<string, unknown> = readConfigFile(env);
  for (const key of KEYS) {
    const value = env[key];
    if (value !== undefined && value !== "") merged[key] = value;
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = String(issue.path[0] ?? "config");
    throw new ConfigError(`Configuration key ${key}: ${issue.message}`);
  }
  return result.data;
}

let cached: PlatformConfig | undefined;

/** The process's configuration, parsed once. */
export function config(): PlatformConfig {
  cached ??= loadConfig();
  return cached;
}

/** For tests that change the environment. */
export function resetConfigCache(): void {
  cached = undefined;
}
