import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Encryption at rest for tenant secrets (SMTP passwords, DKIM private keys).
 *
 * Format: `v1:<keyId>:<iv b64>:<tag b64>:<ciphertext b64>` — one compact string that
 * fits a text column, names the key it was made with (so keys can be rotated: old
 * boxes stay readable while new ones use the current key) and carries its own random
 * IV and GCM tag.
 *
 * The caller's associated data (the tenant id, see secretAad) is authenticated but not
 * stored: a box copied into another tenant's row fails to decrypt there. The version
 * and key id are authenticated too, so the header cannot be edited without detection.
 */

const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
/** 96-bit IV: the size GCM is specified for (NIST SP 800-38D); random per box. */
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Key ids end up inside the box, which is ':'-separated; keep them plain. */
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
/** The id a single key without a name gets (`SECRET_KEY=<base64>`). */
export const DEFAULT_KEY_ID = "default";

export type SecretBoxErrorCode = "malformed" | "unknown_key" | "auth_failed" | "bad_key";

/** Never carries the plaintext or the key: safe to log. */
export class SecretBoxError extends Error {
  constructor(
    readonly code: SecretBoxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SecretBoxError";
  }
}

export interface EncryptionKeys {
  /** The key id new boxes are made with (the first of the list). */
  currentKeyId: string;
  keys: Record<string, Buffer>;
}

/**
 * Associated data for a tenant's secret. The purpose is bound in as well, so that a
 * tenant's encrypted DKIM key cannot be swapped into its SMTP password column.
 */
export function secretAad(tenantId: string, purpose: "smtp_password" | "dkim_private_key" | (string & {})): string {
  return `tenant:${tenantId}|${purpose}`;
}

function checkKey(key: Buffer, keyId: string): void {
  if (!KEY_ID_PATTERN.test(keyId)) {
    throw new SecretBoxError("bad_key", `Key id "${keyId}" must be 1–32 letters, digits, "_" or "-".`);
  }
  if (key.length !== KEY_BYTES) {
    throw new SecretBoxError("bad_key", `Key "${keyId}" must be ${KEY_BYTES} bytes, got ${key.length}.`);
  }
}

/** The header (version + key id) is authenticated along with the caller's data. */
function fullAad(keyId: string, aad: string): Buffer {
  return Buffer.from(`${VERSION}:${keyId}:${aad}`, "utf8");
}

export function encryptSecret(plain: string, opts: { key: Buffer; keyId: string; aad: string }): string {
  checkKey(opts.key, opts.keyId);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, opts.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(fullAad(opts.keyId, opts.aad));
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, opts.keyId, iv.toString("base64"), tag.toString("base64"), ct.toString("base64")].join(":");
}

/** Convenience: encrypt with the current key of a parsed key set. */
export function encryptWithKeys(plain: string, keys: EncryptionKeys, aad: string): string {
  const key = keys.keys[keys.currentKeyId];
  if (!key) throw new SecretBoxError("unknown_key", `Current key "${keys.currentKeyId}" is missing.`);
  return encryptSecret(plain, { key, keyId: keys.currentKeyId, aad });
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

function parseBox(box: string): { keyId: string; iv: Buffer; tag: Buffer; ct: Buffer } {
  const parts = box.split(":");
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new SecretBoxError("malformed", "Not a v1 secret box.");
  }
  const [, keyId = "", ivB64 = "", tagB64 = "", ctB64 = ""] = parts;
  if (!KEY_ID_PATTERN.test(keyId) || ![ivB64, tagB64, ctB64].every((p) => B64.test(p))) {
    throw new SecretBoxError("malformed", "Secret box has a bad field.");
  }
  const iv = Buffer.from(ivB64, "base64");
  const tag = Buffer.from(tagB64, "base64");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretBoxError("malformed", "Secret box has a bad IV or tag length.");
  }
  return { keyId, iv, tag, ct: Buffer.from(ctB64, "base64") };
}

/** The key id a box was made with, e.g. to find boxes that need re-encryption after a rotation. */
export function secretBoxKeyId(box: string): string {
  return parseBox(box).keyId;
}

/** True when the box was made with an older key and should be re-encrypted with the current one. */
export function needsReencryption(box: string, keys: EncryptionKeys): boolean {
  return secretBoxKeyId(box) !== keys.currentKeyId;
}

export function decryptSecret(box: string, opts: { keys: Record<string, Buffer>; aad: string }): string {
  const { keyId, iv, tag, ct } = parseBox(box);
  const key = Object.hasOwn(opts.keys, keyId) ? opts.keys[keyId] : undefined;
  if (!key) throw new SecretBoxError("unknown_key", `No key "${keyId}" configured for this secret.`);
  checkKey(key, keyId);
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(fullAad(keyId, opts.aad));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString("utf8");
  } catch {
    // One message for every cause (wrong tenant, tampering, wrong key material): the
    // difference is of no use to a legitimate caller and some use to an attacker.
    throw new SecretBoxError("auth_failed", "Secret could not be decrypted (wrong key or associated data, or tampered).");
  }
}

function decodeKey(text: string, keyId: string): Buffer {
  const trimmed = text.trim();
  // Accept standard and URL-safe base64 (what `openssl rand -base64 32` and many secret
  // managers print); Buffer.from is lenient, so check the alphabet first.
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new SecretBoxError("bad_key", `Key "${keyId}" is not base64.`);
  }
  const key = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  checkKey(key, keyId);
  return key;
}

/**
 * Parses the operator's key setting: `keyId:base64key[,keyId:base64key…]` (the first is
 * the current key, the others only decrypt old boxes) or a single base64 32-byte key
 * (id "default"; to rotate later, write `new:<key>,default:<old key>`).
 * Generate a key with `openssl rand -base64 32`.
 */
export function parseEncryptionKeys(env: string): EncryptionKeys {
  const entries = env
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new SecretBoxError("bad_key", "No encryption key given.");
  const keys: Record<string, Buffer> = {};
  let currentKeyId: string | undefined;
  for (const entry of entries) {
    const colon = entry.indexOf(":");
    const [keyId, material] = colon === -1 ? [DEFAULT_KEY_ID, entry] : [entry.slice(0, colon).trim(), entry.slice(colon + 1)];
    if (colon === -1 && entries.length > 1) {
      throw new SecretBoxError("bad_key", "With several keys, each needs an id: keyId:base64key,keyId:base64key.");
    }
    if (!KEY_ID_PATTERN.test(keyId)) {
      throw new SecretBoxError("bad_key", `Key id "${keyId}" must be 1–32 letters, digits, "_" or "-".`);
    }
    if (Object.hasOwn(keys, keyId)) throw new SecretBoxError("bad_key", `Key id "${keyId}" appears twice.`);
    keys[keyId] = decodeKey(material, keyId);
    currentKeyId ??= keyId;
  }
  return { currentKeyId: currentKeyId!, keys };
}

/** A fresh random key in the form parseEncryptionKeys accepts (for the embedded default's first start). */
export function generateEncryptionKey(keyId: string = DEFAULT_KEY_ID): string {
  const b64 = randomBytes(KEY_BYTES).toString("base64");
  return keyId === DEFAULT_KEY_ID ? b64 : `${keyId}:${b64}`;
}
