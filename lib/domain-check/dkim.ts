/**
 * DKIM keys for a customer domain (RFC 6376): generate an RSA 2048 key pair,
 * render the TXT record to publish at <selector>._domainkey.<domain>, and
 * compare a published record's key with ours. Encrypting the private key at
 * rest is the caller's job (like SMTP secrets).
 */
import { createPublicKey, generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { splitTxtStrings, zoneFileTxt } from "./spf-record";

const generateKeyPairAsync = promisify(generateKeyPair);

export interface DkimKeyPair {
  /** PKCS#8 PEM; store encrypted. */
  privateKeyPem: string;
  /** SPKI PEM. */
  publicKeyPem: string;
  /** Base64 of the SPKI DER: the p= value (RFC 6376 §3.6.1). */
  publicKeyBase64: string;
}

/** RSA 2048: RFC 8301 §3.2 requires at least 1024 and recommends 2048. Asynchronous so a request never blocks. */
export async function generateDkimKeyPair(): Promise<DkimKeyPair> {
  const { publicKey, privateKey } = await generateKeyPairAsync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey, publicKeyBase64: publicKeyBase64(publicKey) };
}

function toKeyObject(key: string | KeyObject): KeyObject {
  if (typeof key !== "string") return key;
  const trimmed = key.trim();
  if (trimmed.startsWith("-----BEGIN")) return createPublicKey(trimmed);
  const der = Buffer.from(trimmed.replace(/\s+/g, ""), "base64");
  try {
    return createPublicKey({ key: der, format: "der", type: "spki" });
  } catch {
    // Some publish the bare RSAPublicKey (PKCS#1) instead of SubjectPublicKeyInfo.
    return createPublicKey({ key: der, format: "der", type: "pkcs1" });
  }
}

/** The p= value for a public key given as PEM, base64 DER (SPKI or PKCS#1) or KeyObject. */
export function publicKeyBase64(key: string | KeyObject): string {
  return toKeyObject(key).export({ type: "spki", format: "der" }).toString("base64");
}

export interface DkimTxtRecord {
  /** The whole record value, e.g. "v=DKIM1; k=rsa; p=MIIB…". */
  value: string;
  /** The value split into ≤255-character strings, as DNS needs (RFC 6376 §3.6.2.2). */
  strings: string[];
  /** Zone-file form: the strings quoted and separated by spaces. */
  zoneFile: string;
  /** Where to publish it. */
  name: string;
}

export function dkimRecordName(selector: string, domain: string): string {
  return `${selector}._domainkey.${domain.replace(/\.$/, "").toLowerCase()}`;
}

export function dkimTxtRecord(publicKey: string | KeyObject, selector: string, domain: string): DkimTxtRecord {
  const value = `v=DKIM1; k=rsa; p=${publicKeyBase64(publicKey)}`;
  return { value, strings: splitTxtStrings(value), zoneFile: zoneFileTxt(value), name: dkimRecordName(selector, domain) };
}

/** Tag list (RFC 6376 §3.2): tags are case-sensitive, whitespace around values is ignored. */
export function parseDkimRecord(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const part of text.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name && !(name in tags)) tags[name] = part.slice(eq + 1).replace(/\s+/g, "");
  }
  return tags;
}

export type DkimKeyComparison =
  | { status: "match" }
  | { status: "mismatch" }
  /** p= is empty: the key was revoked (RFC 6376 §3.6.1). */
  | { status: "revoked" }
  | { status: "invalid"; reason: string };

/** Compares the key of a published DKIM record (all its strings joined) with ours. */
export function compareDkimRecord(published: string, ours: string | KeyObject): DkimKeyComparison {
  const tags = parseDkimRecord(published);
  if (tags.v !== undefined && tags.v !== "DKIM1") return { status: "invalid", reason: `v=${tags.v}, expected DKIM1` };
  if (tags.k !== undefined && tags.k.toLowerCase() !== "rsa") return { status: "invalid", reason: `k=${tags.k}: not an RSA key` };
  if (tags.p === undefined) return { status: "invalid", reason: "no p= tag" };
  if (tags.p === "") return { status: "revoked" };
  let theirs: string;
  try {
    theirs = publicKeyBase64(tags.p);
  } catch (error) {
    return { status: "invalid", reason: `p= is not a valid public key (${error instanceof Error ? error.message : String(error)})` };
  }
  return theirs === publicKeyBase64(ours) ? { status: "match" } : { status: "mismatch" };
}
