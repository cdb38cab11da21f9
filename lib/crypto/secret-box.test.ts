import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  decryptSecret,
  encryptSecret,
  encryptWithKeys,
  generateEncryptionKey,
  needsReencryption,
  parseEncryptionKeys,
  secretAad,
  secretBoxKeyId,
  SecretBoxError,
} from "./secret-box";

const key1 = randomBytes(32);
const key2 = randomBytes(32);
const aadA = secretAad("tenant-a", "smtp_password");
const aadB = secretAad("tenant-b", "smtp_password");

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof SecretBoxError ? e.code : "other";
  }
  return undefined;
}

describe("secret box (AES-256-GCM)", () => {
  it("round-trips and has the compact v1 format", () => {
    const box = encryptSecret("s3cr3t pässwörd", { key: key1, keyId: "k1", aad: aadA });
    expect(box).toMatch(/^v1:k1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(box).not.toContain("s3cr3t");
    expect(decryptSecret(box, { keys: { k1: key1 }, aad: aadA })).toBe("s3cr3t pässwörd");
  });

  it("uses a fresh random IV each time", () => {
    const a = encryptSecret("same", { key: key1, keyId: "k1", aad: aadA });
    const b = encryptSecret("same", { key: key1, keyId: "k1", aad: aadA });
    expect(a).not.toBe(b);
    expect(a.split(":")[2]).not.toBe(b.split(":")[2]);
    expect(Buffer.from(a.split(":")[2]!, "base64")).toHaveLength(12);
  });

  it("fails with another tenant's id as associated data", () => {
    const box = encryptSecret("pw", { key: key1, keyId: "k1", aad: aadA });
    expect(errorCode(() => decryptSecret(box, { keys: { k1: key1 }, aad: aadB }))).toBe("auth_failed");
    // and with another purpose of the same tenant
    expect(errorCode(() => decryptSecret(box, { keys: { k1: key1 }, aad: secretAad("tenant-a", "dkim_private_key") }))).toBe("auth_failed");
  });

  it("fails on tampered ciphertext, tag, IV or header", () => {
    const box = encryptSecret("password-123", { key: key1, keyId: "k1", aad: aadA });
    const [v, id, iv, tag, ct] = box.split(":") as [string, string, string, string, string];
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, "base64");
      buf[0] = buf[0]! ^ 0x01;
      return buf.toString("base64");
    };
    const keys = { k1: key1, k2: key1 };
    expect(errorCode(() => decryptSecret([v, id, iv, tag, flip(ct)].join(":"), { keys, aad: aadA }))).toBe("auth_failed");
    expect(errorCode(() => decryptSecret([v, id, iv, flip(tag), ct].join(":"), { keys, aad: aadA }))).toBe("auth_failed");
    expect(errorCode(() => decryptSecret([v, id, flip(iv), tag, ct].join(":"), { keys, aad: aadA }))).toBe("auth_failed");
    // Same key material under another id: the key id is authenticated too.
    expect(errorCode(() => decryptSecret([v, "k2", iv, tag, ct].join(":"), { keys, aad: aadA }))).toBe("auth_failed");
    expect(errorCode(() => decryptSecret("v1:k1:only:three", { keys, aad: aadA }))).toBe("malformed");
    expect(errorCode(() => decryptSecret("v2:" + box.slice(3), { keys, aad: aadA }))).toBe("malformed");
  });

  it("fails with the wrong key and names an unknown key id", () => {
    const box = encryptSecret("pw", { key: key1, keyId: "k1", aad: aadA });
    expect(errorCode(() => decryptSecret(box, { keys: { k1: key2 }, aad: aadA }))).toBe("auth_failed");
    expect(errorCode(() => decryptSecret(box, { keys: { k2: key2 }, aad: aadA }))).toBe("unknown_key");
    expect(errorCode(() => decryptSecret(box, { keys: {}, aad: aadA }))).toBe("unknown_key");
  });

  it("rotates: old boxes decrypt with the old key, new boxes use the current one", () => {
    const before = parseEncryptionKeys(`k1:${key1.toString("base64")}`);
    const oldBox = encryptWithKeys("rotate-me", before, aadA);
    expect(secretBoxKeyId(oldBox)).toBe("k1");

    const after = parseEncryptionKeys(`k2:${key2.toString("base64")}, k1:${key1.toString("base64")}`);
    expect(after.currentKeyId).toBe("k2");
    expect(needsReencryption(oldBox, after)).toBe(true);
    expect(decryptSecret(oldBox, { keys: after.keys, aad: aadA })).toBe("rotate-me");

    const newBox = encryptWithKeys(decryptSecret(oldBox, { keys: after.keys, aad: aadA }), after, aadA);
    expect(secretBoxKeyId(newBox)).toBe("k2");
    expect(needsReencryption(newBox, after)).toBe(false);
    // Once k1 is retired, only the re-encrypted box is readable.
    const retired = parseEncryptionKeys(`k2:${key2.toString("base64")}`);
    expect(decryptSecret(newBox, { keys: retired.keys, aad: aadA })).toBe("rotate-me");
    expect(errorCode(() => decryptSecret(oldBox, { keys: retired.keys, aad: aadA }))).toBe("unknown_key");
  });

  it("parses a single key, URL-safe base64, and refuses bad key settings", () => {
    const single = parseEncryptionKeys(key1.toString("base64"));
    expect(single.currentKeyId).toBe("default");
    expect(single.keys.default!.equals(key1)).toBe(true);
    expect(parseEncryptionKeys(`k:${key1.toString("base64url")}`).keys.k!.equals(key1)).toBe(true);
    expect(parseEncryptionKeys(generateEncryptionKey()).currentKeyId).toBe("default");
    expect(parseEncryptionKeys(generateEncryptionKey("2026a")).currentKeyId).toBe("2026a");

    expect(errorCode(() => parseEncryptionKeys(""))).toBe("bad_key");
    expect(errorCode(() => parseEncryptionKeys(randomBytes(16).toString("base64")))).toBe("bad_key");
    expect(errorCode(() => parseEncryptionKeys("not base64 !!"))).toBe("bad_key");
    expect(errorCode(() => parseEncryptionKeys(`a:b:${key1.toString("base64")}`))).toBe("bad_key");
    expect(errorCode(() => parseEncryptionKeys(`k:${key1.toString("base64")},k:${key2.toString("base64")}`))).toBe("bad_key");
    expect(errorCode(() => parseEncryptionKeys(`${key1.toString("base64")},k2:${key2.toString("base64")}`))).toBe("bad_key");
  });

  it("never puts the plaintext into an error", () => {
    const box = encryptSecret("TopSecret!", { key: key1, keyId: "k1", aad: aadA });
    try {
      decryptSecret(box, { keys: { k1: key1 }, aad: aadB });
    } catch (e) {
      expect(String(e)).not.toContain("TopSecret");
    }
  });
});
