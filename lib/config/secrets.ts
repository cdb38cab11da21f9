import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { config, ConfigError } from "./platform-profile";

/**
 * Secrets come from the environment. Only the embedded default (SQLite) may generate
 * them: on first start they are written to DATA_DIR/secrets.json with mode 0600 and
 * the process says so once. With Postgres several instances share one database, so
 * they must share the secrets too: there the environment is required.
 */
interface SecretsFile {
  sessionSecret: string;
  /** keyId:base64 */
  encryptionKey: string;
}

function isEmbedded(): boolean {
  const url = config().DATABASE_URL;
  return !url || url.startsWith("file:");
}

let fileSecrets: SecretsFile | undefined;

function embeddedSecrets(): SecretsFile {
  if (fileSecrets) return fileSecrets;
  const dir = path.resolve(/*turbopackIgnore: true*/ process.cwd(), config().DATA_DIR);
  const file = path.join(dir, "secrets.json");
  if (fs.existsSync(file)) {
    fileSecrets = JSON.parse(fs.readFileSync(file, "utf8")) as SecretsFile;
    return fileSecrets;
  }
  fs.mkdirSync(dir, { recursive: true });
  const generated: SecretsFile = {
    sessionSecret: crypto.randomBytes(32).toString("base64url"),
    encryptionKey: `k1:${crypto.randomBytes(32).toString("base64")}`,
  };
  try {
    // "wx": never overwrite a file another process wrote first.
    fs.writeFileSync(file, JSON.stringify(generated, null, 2) + "\n", { mode: 0o600, flag: "wx" });
    process.stderr.write(
      `postillion: generated a session secret and an encryption key into ${file} (mode 0600). ` +
        `Keep this file; set NEXTAUTH_SECRET and POSTILLION_ENCRYPTION_KEYS to manage them yourself.\n`,
    );
    fileSecrets = generated;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    fileSecrets = JSON.parse(fs.readFileSync(file, "utf8")) as SecretsFile;
  }
  return fileSecrets;
}

export function sessionSecret(): string {
  const fromEnv = config().NEXTAUTH_SECRET;
  if (fromEnv) return fromEnv;
  if (!isEmbedded()) throw new ConfigError("Configuration key NEXTAUTH_SECRET: required when DATABASE_URL is Postgres");
  return embeddedSecrets().sessionSecret;
}

/** The encryption keys, as "keyId:base64[,keyId:base64…]" (first = current). */
export function encryptionKeysSpec(): string {
  const fromEnv = config().POSTILLION_ENCRYPTION_KEYS;
  if (fromEnv) return fromEnv;
  if (!isEmbedded()) {
    throw new ConfigError("Configuration key POSTILLION_ENCRYPTION_KEYS: required when DATABASE_URL is Postgres");
  }
  return embeddedSecrets().encryptionKey;
}

/** Makes sure the embedded secrets exist (called at start so the notice comes once, early). */
export function ensureSecrets(): void {
  sessionSecret();
  encryptionKeysSpec();
}

/**
 * A secret for one purpose (e.g. "address-proof"), derived from the session secret with
 * HKDF, so that one configured secret serves several uses without reusing the same key.
 */
export function derivedSecret(purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", sessionSecret(), "postillion", purpose, 32));
}
