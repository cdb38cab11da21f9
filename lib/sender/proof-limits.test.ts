import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseEncryptionKeys } from "../crypto/secret-box";
import { forEachDatabase } from "../testing/databases";
import { startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server";
import { seedTwoTenants } from "../testing/tenants";
import { issueCode, PROOF_MAX_ATTEMPTS } from "./address-proof";
import { getAddressProof } from "./queries";
import { senderSettingsSchema } from "./sender-schema";
import { loadSenderOverview, requestAddressProof, saveSenderSettings, verifyAddressProof, type SenderEnvironment } from "./service";

// Item 2 and 4 of issue 8: the proof-code limits hold under parallel requests, on both
// databases: 5 tries per code, one code mail a minute (5 an hour) per address.

const secret = crypto.randomBytes(32);
const keys = parseEncryptionKeys(`k1:${crypto.randomBytes(32).toString("base64")}`);
const t0 = new Date("2026-11-28T09:00:00Z");
const address = "training@acme.example";
let relay: TestSmtpServer;

beforeAll(async () => {
  relay = await startTestSmtpServer({ starttls: false });
});
afterAll(async () => {
  await relay?.close();
});

function env(): SenderEnvironment {
  return {
    profile: { noreplyAddresses: ["noreply@platform.example"], allowedPorts: [25, 587] },
    policy: { allowPrivate: true, allowedPorts: [25, 587] },
    relayUrl: `smtp://127.0.0.1:${relay.port}`,
    defaults: { ratePerMinute: 60, dailyQuota: 1000 },
  };
}

function wrongOf(code: string, i: number): string {
  return String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0");
}

forEachDatabase("address proof under parallel requests", (getDb, dialect) => {
  let tenantId = "";
  let actor = "";
  let tenantName = "";

  beforeAll(async () => {
    const db = getDb();
    tenantName = `Müller & Söhne <GmbH> "Süd", @Team ${dialect}`;
    const seeded = await seedTwoTenants(db, { prefix: `proof-${dialect}`, a: { name: tenantName } });
    tenantId = seeded.a;
    actor = seeded.adminA;
    const input = senderSettingsSchema(env().profile).parse({
      mode: "customer_domain",
      fromAddress: address,
      displayName: "ACME Akademie",
      replyTo: "",
      ratePerMinute: "60",
      dailyQuota: "1000",
    });
    await saveSenderSettings(db, { tenantId, actorUserId: actor, input, keys, now: t0 });
  });

  /** A fresh code whose value the test knows (as if read from the mail). */
  async function freshCode(now: Date): Promise<string> {
    const db = getDb();
    const issued = issueCode(now, { secret, tenantId, address });
    const p = db.t.addressProofs;
    await db.orm
      .insert(p)
      .values({ id: crypto.randomUUID(), tenantId, address, codeHash: issued.codeHash, expiresAt: issued.expiresAt, failedAttempts: 0, sentAt: [], verifiedAt: null, createdAt: now })
      .onConflictDoUpdate({ target: [p.tenantId, p.address], set: { codeHash: issued.codeHash, expiresAt: issued.expiresAt, failedAttempts: 0, verifiedAt: null } });
    return issued.code;
  }

  const guess = (code: string, now: Date) => verifyAddressProof(getDb(), { tenantId, actorUserId: actor, code, secret, now });

  // Which request of a parallel burst the database counts first is not the order the
  // promises were made in (Postgres runs them on a pool), so each test fixes what it can:
  // in a burst of exactly 5 the right code is necessarily among the first 5 counted.
  it("the right code in a parallel burst of 5 (4 wrong) verifies: it is among the first 5 counted", async () => {
    const code = await freshCode(t0);
    const results = await Promise.all([guess(code, t0), ...Array.from({ length: 4 }, (_, i) => guess(wrongOf(code, i), t0))]);
    expect(results[0]!.ok).toBe(true);
    const proof = await getAddressProof(getDb(), { tenantId, address });
    expect(proof?.verifiedAt).not.toBeNull();
  });

  it("a burst of 40 with the right code among them: it wins only if among the first 5 counted, never more than 5 counted", async () => {
    for (const position of [0, 20, 39]) {
      const code = await freshCode(t0);
      const guesses = Array.from({ length: 40 }, (_, i) => (i === position ? code : wrongOf(code, i)));
      const results = await Promise.all(guesses.map((g) => guess(g, t0)));
      const proof = await getAddressProof(getDb(), { tenantId, address });
      // A wrong guess read after the right one was marked may answer "already confirmed"
      // (true, and no wrong code verified anything); any other success must be the right code.
      const verifiedBy = results.flatMap((r, i) => (r.ok && !/already confirmed/.test(r.message.en) ? [i] : []));
      expect(verifiedBy.filter((i) => i !== position)).toEqual([]);
      if (results.some((r, i) => i !== position && r.ok)) expect(results[position]!.ok).toBe(true);
      expect(proof!.failedAttempts).toBeLessThanOrEqual(PROOF_MAX_ATTEMPTS);
      if (results[position]!.ok) {
        // Counted before the code matched: at most 4 wrong ones came first.
        expect(proof?.verifiedAt).not.toBeNull();
      } else {
        expect(proof?.verifiedAt).toBeNull();
        expect(proof?.failedAttempts).toBe(PROOF_MAX_ATTEMPTS);
      }
    }
  });

  it("the right code after five counted wrong ones is refused", async () => {
    const code = await freshCode(t0);
    for (let i = 0; i < PROOF_MAX_ATTEMPTS; i++) expect((await guess(wrongOf(code, i), t0)).ok).toBe(false);
    const r = await guess(code, t0);
    expect(r.ok).toBe(false);
    expect(r.message.en).toMatch(/blocked/);
    expect((await getAddressProof(getDb(), { tenantId, address }))?.verifiedAt).toBeNull();
  });

  it("after a parallel burst of 39 wrong guesses the right code is refused: only 5 were counted", async () => {
    const code = await freshCode(t0);
    const results = await Promise.all(Array.from({ length: 39 }, (_, i) => guess(wrongOf(code, i), t0)));
    expect(results.filter((r) => r.ok)).toHaveLength(0);
    // Every answer beyond the fifth counted guess is "blocked"; at most 4 say "tries left".
    expect(results.filter((r) => /tries? left/.test(r.message.en)).length).toBeLessThanOrEqual(PROOF_MAX_ATTEMPTS - 1);
    expect((await guess(code, t0)).ok).toBe(false);
    const proof = await getAddressProof(getDb(), { tenantId, address });
    expect(proof?.verifiedAt).toBeNull();
    expect(proof?.failedAttempts).toBe(PROOF_MAX_ATTEMPTS);
  });

  it("an expired code is refused and costs no try", async () => {
    const code = await freshCode(t0);
    const r = await guess(code, new Date(t0.getTime() + 31 * 60_000));
    expect(r.ok).toBe(false);
    expect(r.message.en).toMatch(/expired/);
    expect((await getAddressProof(getDb(), { tenantId, address }))?.failedAttempts).toBe(0);
  });

  it("a domain check whose process died is not shown as running on the sender page", async () => {
    const db = getDb();
    const now = new Date();
    await db.orm.insert(db.t.domainChecks).values({
      id: crypto.randomUUID(), tenantId, domain: "acme.example", status: "running", verdict: null, findings: [], raw: null,
      startedAt: new Date(now.getTime() - 5 * 60_000), finishedAt: null, startedBy: null,
    });
    const overview = await loadSenderOverview(db, { tenantId, relayConfigured: true, now });
    expect(overview.domainCheck?.status).toBe("failed");
    expect(overview.state.status === "not_ready" && overview.state.reasons).toContain("domain_not_green");
    expect(overview.state.status === "not_ready" && overview.state.reasons).not.toContain("domain_check_running");
  });

  it("a burst of 20 code requests sends exactly one mail", async () => {
    const db = getDb();
    await db.orm.delete(db.t.addressProofs).where(eq(db.t.addressProofs.tenantId, tenantId));
    const before = relay.received.length;
    const later = new Date(t0.getTime() + 2 * 60 * 60_000);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        requestAddressProof(db, { tenant: { id: tenantId, name: tenantName, locale: "de" }, actorUserId: actor, env: env(), secret, now: later }),
      ),
    );
    expect(results.filter((r) => r.ok), JSON.stringify(results[0])).toHaveLength(1);
    await relay.waitForMail(before + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(relay.received.length - before).toBe(1);
    const refused = results.find((r) => !r.ok)!;
    expect(refused.message.de).toMatch(/Minute/);
    // The tenant name is the relay's display name, encoded by nodemailer: it round-trips.
    const mail = relay.received[before]!;
    expect(mail.parsed.from?.value).toEqual([{ name: tenantName, address: "noreply@platform.example" }]);

    // A minute later one more; 5 an hour at most, even in bursts.
    let sent = 1;
    for (let m = 1; m <= 6; m++) {
      const at = new Date(later.getTime() + m * 61_000);
      const burst = await Promise.all(
        Array.from({ length: 5 }, () =>
          requestAddressProof(db, { tenant: { id: tenantId, name: tenantName, locale: "en" }, actorUserId: actor, env: env(), secret, now: at }),
        ),
      );
      sent += burst.filter((r) => r.ok).length;
      expect(burst.filter((r) => r.ok).length).toBeLessThanOrEqual(1);
    }
    expect(sent).toBe(5);
    await new Promise((r) => setTimeout(r, 300));
    expect(relay.received.length - before).toBe(5);
  });
});
