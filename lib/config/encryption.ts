import { parseEncryptionKeys, type EncryptionKeys } from "../crypto/secret-box";
import { encryptionKeysSpec } from "./secrets";

let cached: { spec: string; keys: EncryptionKeys } | undefined;

/** The configured encryption keys for stored secrets (SMTP passwords, DKIM keys). */
export function encryptionKeys(): EncryptionKeys {
  const spec = encryptionKeysSpec();
  if (cached?.spec !== spec) cached = { spec, keys: parseEncryptionKeys(spec) };
  return cached.keys;
}
