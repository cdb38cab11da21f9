import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server";
import {
  issueCode,
  PROOF_CODE_TTL_MS,
  proofMail,
  proofOutcomeMessage,
  resendDecision,
  verifyCode,
  type ProofBinding,
  type ProofState,
} from "./address-proof";
import { sendMessage } from "../mail/transport";

const binding: ProofBinding = { secret: "a-server-secret-of-32-characters!", tenantId: "t-acme", address: "training@acme.example" };
const t0 = new Date("2026-05-04T08:00:00Z");
const later = (ms: number) => new Date(t0.getTime() + ms);

function pending(): { code: string; state: ProofState } {
  const issued = issueCode(t0, binding);
  return { code: issued.code, state: { codeHash: issued.codeHash, expiresAt: issued.expiresAt, failedAttempts: 0 } };
}
function wrongCodeFor(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

describe("issueCode", () => {
  it("makes a 6-digit code valid for 30 minutes, stored only as a MAC", () => {
    const issued = issueCode(t0, binding);
    expect(issued.code).toMatch(/^\d{6}$/);
    expect(issued.expiresAt.getTime() - t0.getTime()).toBe(30 * 60 * 1000);
    expect(issued.codeHash).toMatch(/^v1:[A-Za-z0-9_-]{43}$/);
    expect(issued.codeHash).not.toContain(issued.code);
  });

  it("is random", () => {
    const codes = new Set(Array.from({ length: 50 }, () => issueCode(t0, binding).code));
    expect(codes.size).toBeGreaterThan(45);
  });
});

describe("verifyCode", () => {
  it("verifies the right code (spaces allowed)", () => {
    const { code, state } = pending();
    expect(verifyCode(state, code, later(60_000), binding).result).toBe("ok");
    expect(verifyCode(state, `${code.slice(0, 3)} ${code.slice(3)}`, later(60_000), binding).result).toBe("ok");
  });

  it("counts wrong codes down and locks after 5, even for the right code afterwards", () => {
    const { code, state: initial } = pending();
    let state = initial;
    const seen: Array<[string, number | undefined]> = [];
    for (let i = 0; i < 5; i++) {
      const r = verifyCode(state, wrongCodeFor(code), later(1000), binding);
      seen.push([r.result, r.result === "wrong" ? r.triesLeft : undefined]);
      state = r.state;
    }
    expect(seen).toEqual([
      ["wrong", 4],
      ["wrong", 3],
      ["wrong", 2],
      ["wrong", 1],
      ["locked", undefined],
    ]);
    expect(state.failedAttempts).toBe(5);
    expect(verifyCode(state, code, later(2000), binding).result).toBe("locked");
  });

  it("fails an expired code, right or wrong", () => {
    const { code, state } = pending();
    expect(verifyCode(state, code, later(PROOF_CODE_TTL_MS - 1), binding).result).toBe("ok");
    expect(verifyCode(state, code, later(PROOF_CODE_TTL_MS), binding).result).toBe("expired");
    expect(verifyCode(state, wrongCodeFor(code), later(PROOF_CODE_TTL_MS + 1), binding)).toMatchObject({ result: "expired", state: { failedAttempts: 0 } });
  });

  it("binds the code to the address, the tenant and the secret", () => {
    const { code, state } = pending();
    expect(verifyCode(state, code, t0, { ...binding, address: "TRAINING@ACME.EXAMPLE" }).result).toBe("ok");
    expect(verifyCode(state, code, t0, { ...binding, address: "other@acme.example" }).result).toBe("wrong");
    expect(verifyCode(state, code, t0, { ...binding, tenantId: "t-other" }).result).toBe("wrong");
    expect(verifyCode(state, code, t0, { ...binding, secret: "another-secret-of-32-characters!!" }).result).toBe("wrong");
  });

  it("does not count input that cannot be a code", () => {
    const { state } = pending();
    const r = verifyCode(state, "12a456", t0, binding);
    expect(r).toMatchObject({ result: "invalid_input", state: { failedAttempts: 0 } });
  });

  it("words every outcome in both languages", () => {
    const { code, state } = pending();
    const wrong = verifyCode(state, wrongCodeFor(code), t0, binding);
    expect(proofOutcomeMessage(wrong).en).toBe("The code is not right. You have 4 tries left.");
    expect(proofOutcomeMessage(wrong).de).toBe("Der Code stimmt nicht. Sie haben noch 4 Versuche.");
    expect(proofOutcomeMessage(verifyCode(state, code, later(PROOF_CODE_TTL_MS), binding)).en).toMatch(/expired/);
  });
});

describe("resendDecision", () => {
  it("allows the first send and throttles to one per minute", () => {
    expect(resendDecision([], t0)).toEqual({ allowed: true });
    const r = resendDecision([later(-30_000)], t0);
    expect(r).toMatchObject({ allowed: false, reason: "too_soon", retryAfterMs: 30_000 });
    expect(resendDecision([later(-60_000)], t0)).toEqual({ allowed: true });
  });

  it("allows at most 5 per hour", () => {
    const five = [-50, -40, -30, -20, -10].map((m) => later(m * 60_000));
    const r = resendDecision(five, t0);
    expect(r).toMatchObject({ allowed: false, reason: "hourly_limit", retryAfterMs: 10 * 60_000 });
    if (!r.allowed) expect(proofOutcomeMessage(r).en).toMatch(/in about 10 min/);
    expect(resendDecision(five.map((d) => d.toISOString()), later(10 * 60_000))).toEqual({ allowed: true });
    expect(resendDecision([-70, -50, -40, -30, -20].map((m) => later(m * 60_000)), t0)).toEqual({ allowed: true });
  });
});

describe("the proof mail through a loopback relay", () => {
  let relay: TestSmtpServer;
  beforeAll(async () => {
    relay = await startTestSmtpServer({ users: { platform: "relay-password" } });
  });
  afterAll(async () => {
    await relay?.close();
  });

  it("delivers the code, which then verifies", async () => {
    const issued = issueCode(t0, binding);
    const mail = proofMail({ code: issued.code, address: binding.address, tenantName: "ACME Akademie" });
    expect(mail.text.de).toContain(`${issued.code.slice(0, 3)} ${issued.code.slice(3)}`);
    expect(mail.text.en).toContain("30 minutes");

    const r = await sendMessage(
      {
        host: "relay.platform.example",
        port: relay.port,
        security: "starttls",
        user: "platform",
        password: "relay-password",
        fromAddress: "noreply@reflact.com",
        fromName: "ACME Akademie",
      },
      { to: binding.address, subject: mail.subject.de, text: mail.text.de },
      {
        allowPrivate: true,
        allowedPorts: [relay.port],
        lookup: async () => [{ address: "127.0.0.1", family: 4 }],
        tlsRejectUnauthorized: false,
        timeoutMs: 2000,
      },
    );
    expect(r.ok).toBe(true);
    const received = await relay.waitForMail(1);
    expect(received.envelope.to).toEqual([binding.address]);
    expect(received.parsed.subject).toBe("Bestätigungscode für Ihre Absenderadresse");

    const typed = /Ihr Bestätigungscode: (\d{3}) (\d{3})/.exec(received.parsed.text ?? "");
    expect(typed).not.toBeNull();
    const state: ProofState = { codeHash: issued.codeHash, expiresAt: issued.expiresAt.toISOString(), failedAttempts: 0 };
    const wrong = verifyCode(state, wrongCodeFor(typed![1]! + typed![2]!), later(5 * 60_000), binding);
    expect(wrong).toMatchObject({ result: "wrong", triesLeft: 4 });
    expect(verifyCode(wrong.state, `${typed![1]} ${typed![2]}`, later(6 * 60_000), binding).result).toBe("ok");
    expect(verifyCode(wrong.state, `${typed![1]}${typed![2]}`, later(31 * 60_000), binding).result).toBe("expired");
  });
});
