/** DKIM keys and records (node:crypto; no DNS). The published-record check over DNS is in check.test.ts. */
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { compareDkimRecord, dkimRecordName, dkimTxtRecord, generateDkimKeyPair, parseDkimRecord, publicKeyBase64 } from "./dkim";

describe("DKIM", () => {
  it("generates an RSA 2048 key pair whose keys belong together", async () => {
    const key = await generateDkimKeyPair();
    const priv = createPrivateKey(key.privateKeyPem);
    expect(priv.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(key.privateKeyPem).toContain("BEGIN PRIVATE KEY");
    const signature = sign("sha256", Buffer.from("hello"), priv);
    expect(verify("sha256", Buffer.from("hello"), createPublicKey(key.publicKeyPem), signature)).toBe(true);
    expect(publicKeyBase64(key.publicKeyPem)).toBe(key.publicKeyBase64);
  });

  it("builds the TXT record split into 255-character strings", async () => {
    const key = await generateDkimKeyPair();
    const rec = dkimTxtRecord(key.publicKeyPem, "pst1", "Example.COM.");
    expect(rec.name).toBe("pst1._domainkey.example.com");
    expect(rec.value).toBe(`v=DKIM1; k=rsa; p=${key.publicKeyBase64}`);
    expect(rec.strings.join("")).toBe(rec.value);
    expect(rec.strings.length).toBeGreaterThan(1);
    expect(rec.strings.every((s) => s.length <= 255)).toBe(true);
    expect(rec.zoneFile.startsWith('"v=DKIM1; k=rsa; p=')).toBe(true);
    expect(dkimRecordName("s", "a.example")).toBe("s._domainkey.a.example");
  });

  it("compares published keys with ours", async () => {
    const [a, b] = await Promise.all([generateDkimKeyPair(), generateDkimKeyPair()]);
    const published = dkimTxtRecord(a.publicKeyPem, "s", "x.example").value;
    expect(compareDkimRecord(published, a.publicKeyPem)).toEqual({ status: "match" });
    // Whitespace inside p= (from joined strings or a zone file) does not matter.
    expect(compareDkimRecord(published.replace(/(.{40})/g, "$1 "), a.publicKeyBase64)).toEqual({ status: "match" });
    expect(compareDkimRecord(published, b.publicKeyPem)).toEqual({ status: "mismatch" });
    expect(compareDkimRecord("v=DKIM1; k=rsa; p=", a.publicKeyPem)).toEqual({ status: "revoked" });
    expect(compareDkimRecord("v=DKIM1; k=rsa", a.publicKeyPem).status).toBe("invalid");
    expect(compareDkimRecord("v=DKIM1; p=bm90IGEga2V5", a.publicKeyPem).status).toBe("invalid");
    expect(compareDkimRecord(`v=DKIM1; k=ed25519; p=${a.publicKeyBase64}`, a.publicKeyPem).status).toBe("invalid");
    // A bare PKCS#1 key, as some publish, is the same key.
    const pkcs1 = createPublicKey(a.publicKeyPem).export({ type: "pkcs1", format: "der" }).toString("base64");
    expect(compareDkimRecord(`p=${pkcs1}`, a.publicKeyPem)).toEqual({ status: "match" });
  });

  it("parses tag lists", () => {
    expect(parseDkimRecord(" v = DKIM1 ; k=rsa; p=AB CD;")).toEqual({ v: "DKIM1", k: "rsa", p: "ABCD" });
  });
});
