import crypto from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/**
 * OWASP's current recommendation for scrypt (Password Storage Cheat Sheet): N=2^17,
 * r=8, p=1, i.e. 128 MiB per hash, which makes GPU and ASIC guessing expensive.
 * Hashes made with a lower cost (N=2^15 before) are upgraded on the next sign-in.
 */
export const PASSWORD_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
const KEYLEN = 32;

/**
 * Tests create many users and sign in often on a busy machine: POSTILLION_TEST_SCRYPT_LOG_N
 * lowers N for them (vitest.config.ts and playwright.config.ts set it). It is a test knob
 * only: outside Vitest it is announced on stderr, and hashes made with it are upgraded
 * to the full cost on the next sign-in once it is gone.
 */
let announced = false;
export function currentCost(): ScryptCost {
  const logN = Number(process.env.POSTILLION_TEST_SCRYPT_LOG_N || undefined);
  if (!Number.isInteger(logN) || logN < 10 || logN >= 17) return PASSWORD_COST;
  if (!process.env.VITEST && !announced) {
    announced = true;
    console.warn(`POSTILLION_TEST_SCRYPT_LOG_N=${logN}: passwords are hashed below the production cost (tests only)`);
  }
  return { ...PASSWORD_COST, N: 2 ** logN };
}

// Node refuses scrypt above maxmem (default 32 MiB); 128·N·r bytes plus headroom.
const maxmem = (cost: ScryptCost) => 256 * cost.N * cost.r;

export async function hashPassword(password: string, cost: ScryptCost = currentCost()): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password.normalize("NFKC"), salt, KEYLEN, { ...cost, maxmem: maxmem(cost) });
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

function parse(stored: string): (ScryptCost & { salt: Buffer; hash: Buffer }) | undefined {
  const [scheme, n, r, p, saltB64, hashB64] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !saltB64 || !hashB64) return undefined;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  // A corrupt row must not make us allocate gigabytes.
  if (![cost.N, cost.r, cost.p].every(Number.isInteger) || cost.N < 2 || cost.N > 2 ** 20 || cost.r > 32 || cost.p > 16) return undefined;
  return { ...cost, salt: Buffer.from(saltB64, "base64"), hash: Buffer.from(hashB64, "base64") };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const { salt, hash: expected, ...cost } = parsed;
  const actual = await scrypt(password.normalize("NFKC"), salt, expected.length, { ...cost, maxmem: maxmem(cost) });
  return crypto.timingSafeEqual(actual, expected);
}

/** True when the stored hash is weaker than `cost` and should be replaced after a successful check. */
export function needsRehash(stored: string, cost: ScryptCost = currentCost()): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.N < cost.N || parsed.r < cost.r || parsed.p < cost.p;
}

let dummy: Promise<string> | undefined;

/** Burns the same time as a real check, so a missing account is not revealed by timing. */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummy ??= hashPassword(crypto.randomBytes(16).toString("hex"));
  await verifyPassword(password, await dummy);
}
