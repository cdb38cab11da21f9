import crypto from "node:crypto";

/**
 * The key itself: `pst_` + 32 random bytes in base64url (43 characters, no padding).
 * What the database keeps is its SHA-256 and its first 12 characters (the prefix the
 * list shows, so people can tell their keys apart; 8 random characters, 48 bits).
 *
 * Why a plain SHA-256 and no slow hash (bcrypt, scrypt): slow hashes protect
 * passwords, which are guessable, against a dictionary run on a stolen hash. A key of
 * 256 random bits cannot be guessed; its hash alone cannot be reversed, and a fast,
 * deterministic hash lets a request find its key through the unique index on the hash
 * instead of trying a slow comparison against every key.
 */
export const KEY_PREFIX = "pst_";
export const PREFIX_LENGTH = 12;
const KEY_PATTERN = /^pst_[A-Za-z0-9_-]{43}$/;

export function generateKey(): { key: string; prefix: string; hash: string } {
  const key = KEY_PREFIX + crypto.randomBytes(32).toString("base64url");
  return { key, prefix: key.slice(0, PREFIX_LENGTH), hash: hashKey(key) };
}

export function hashKey(key: string): string {
  return crypto.createHash("sha256").update(key, "utf8").digest("hex");
}

/** Equal hashes, compared in constant time (both are 64 hex characters). */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export type BearerParse = { ok: true; key: string } | { ok: false; reason: "missing" | "malformed" };

/**
 * `Authorization: Bearer <key>` (RFC 6750 section 2.1; the scheme name is
 * case-insensitive, RFC 9110 section 11.1). Anything that is not exactly one key of
 * our shape is malformed, so an unrelated token never costs a database look-up.
 */
export function parseBearer(authorization: string | null | undefined): BearerParse {
  const header = authorization?.trim() ?? "";
  if (header === "") return { ok: false, reason: "missing" };
  const match = /^Bearer +(\S+)$/i.exec(header);
  if (!match || !KEY_PATTERN.test(match[1]!)) return { ok: false, reason: "malformed" };
  return { ok: true, key: match[1]! };
}
