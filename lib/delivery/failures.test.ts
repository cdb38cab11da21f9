import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultSmtpServer, type Fault, type FaultSmtpServer } from "../testing/fault-smtp-server";
import { findClosedPort, startTestSmtpServer } from "../testing/smtp-server";
import { BACKOFF_MS, classifyDeliveryFailure, enhancedStatus, failureAdvice, GIVE_UP_AFTER_MS, nextRetryAt } from "./failures";

/**
 * The classification against what real nodemailer throws at a real (loopback) SMTP
 * server: every reply of the failure matrix, a refused login, a dropped and a stalled
 * connection, a closed port. The worker-level matrix (lib/delivery/failure-matrix.test.ts)
 * checks what the outbox does with each class.
 */

const PASSWORD = "s3cret-Passw0rd";
let server: FaultSmtpServer;

beforeAll(async () => {
  server = await startFaultSmtpServer({ users: { mailer: PASSWORD } });
});
afterAll(async () => {
  await server.close();
});

async function sendOnce(to: string, opts: { port?: number; timeoutMs?: number } = {}): Promise<unknown> {
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: opts.port ?? server.port,
    secure: false,
    ignoreTLS: true,
    auth: { user: "mailer", pass: PASSWORD },
    connectionTimeout: opts.timeoutMs ?? 3_000,
    greetingTimeout: opts.timeoutMs ?? 3_000,
    socketTimeout: opts.timeoutMs ?? 3_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    await transport.sendMail({ from: "noreply@sender.example", to, subject: "Reminder", text: "Please finish the training." });
    return null;
  } catch (error) {
    return error;
  } finally {
    transport.close();
  }
}

const ctx = (to: string, port = 0) => ({
  host: "127.0.0.1",
  port: port || server.port,
  security: "none" as const,
  from: "noreply@sender.example",
  to,
  user: "mailer",
  password: PASSWORD,
});

const MATRIX: { name: string; fault: Fault; cls: string; kind: string; code: number | null }[] = [
  { name: "421 at RCPT", fault: { at: "rcpt", code: 421, message: "4.3.2 Service shutting down" }, cls: "temporary", kind: "service_unavailable", code: 421 },
  { name: "451 greylisting", fault: { at: "rcpt", code: 451, message: "4.7.1 Greylisted, please try again later" }, cls: "temporary", kind: "greylisted", code: 451 },
  { name: "451 at DATA", fault: { at: "data", code: 451, message: "4.3.0 Local problem" }, cls: "temporary", kind: "temporary_reply", code: 451 },
  { name: "550 5.1.1", fault: { at: "rcpt", code: 550, message: "5.1.1 <x> User unknown" }, cls: "recipient", kind: "mailbox_unknown", code: 550 },
  { name: "550 5.2.1", fault: { at: "rcpt", code: 550, message: "5.2.1 Mailbox disabled" }, cls: "recipient", kind: "mailbox_disabled", code: 550 },
  { name: "550 without an enhanced code at RCPT", fault: { at: "rcpt", code: 550, message: "No such user here" }, cls: "recipient", kind: "recipient_rejected", code: 550 },
  { name: "550 5.7.1 (DMARC)", fault: { at: "data", code: 550, message: "5.7.1 Unauthenticated email is not accepted due to DMARC policy" }, cls: "sender", kind: "policy_rejected", code: 550 },
  { name: "550 5.7.1 at RCPT (relay denied)", fault: { at: "rcpt", code: 550, message: "5.7.1 Relaying denied" }, cls: "sender", kind: "policy_rejected", code: 550 },
  { name: "554 5.4.5 quota", fault: { at: "data", code: 554, message: "5.4.5 Daily sending quota exceeded" }, cls: "sender", kind: "quota_exceeded", code: 554 },
  { name: "552 5.3.4 too big", fault: { at: "data", code: 552, message: "5.3.4 Message size exceeds fixed maximum message size" }, cls: "message", kind: "message_too_big", code: 552 },
  { name: "552 5.2.2 mailbox full (decided: temporary)", fault: { at: "rcpt", code: 552, message: "5.2.2 Mailbox full" }, cls: "temporary", kind: "mailbox_full", code: 552 },
  { name: "552 at RCPT without a code (too many recipients, RFC 5321 4.5.3.1.10)", fault: { at: "rcpt", code: 552, message: "Too many recipients" }, cls: "temporary", kind: "temporary_reply", code: 552 },
  { name: "554 at DATA (content)", fault: { at: "data", code: 554, message: "5.6.0 Message content rejected" }, cls: "message", kind: "message_rejected", code: 554 },
];

describe("classifyDeliveryFailure against a loopback server", () => {
  for (const row of MATRIX) {
    it(`${row.name} → ${row.cls} / ${row.kind}`, async () => {
      const to = `${row.kind}.${Math.random().toString(36).slice(2, 8)}@learners.example`;
      server.fault(to, row.fault);
      const error = await sendOnce(to);
      expect(error).not.toBeNull();
      const f = classifyDeliveryFailure(error, ctx(to));
      expect({ cls: f.class, kind: f.kind, code: f.smtpCode }).toEqual({ cls: row.cls, kind: row.kind, code: row.code });
      // The server's own words are kept as the detail.
      expect(f.reply).toContain((row.fault as { message: string }).message);
      expect(f.advice.de.length).toBeGreaterThan(40);
      expect(f.advice.en.length).toBeGreaterThan(40);
    });
  }

  it("535 at login → sender / auth_failed, with the fix in plain words and no password in the detail", async () => {
    server.authFault({ code: 535, message: "5.7.8 Authentication credentials invalid" });
    try {
      const error = await sendOnce("someone@learners.example");
      const f = classifyDeliveryFailure(error, ctx("someone@learners.example"));
      expect([f.class, f.kind, f.smtpCode]).toEqual(["sender", "auth_failed", 535]);
      expect(f.advice.en).toMatch(/user name or password/);
      expect(f.advice.en).toMatch(/Resume sending/);
      expect(f.advice.de).toMatch(/Versand fortsetzen/);
      expect(f.reply).toContain("535");
      expect(f.reply).not.toContain(PASSWORD);
      expect(f.reply).not.toContain(Buffer.from(`\u0000mailer\u0000${PASSWORD}`).toString("base64"));
    } finally {
      server.authFault(null);
    }
  });

  it("454 at login → temporary (the server's problem, not the password)", async () => {
    server.authFault({ code: 454, message: "4.7.0 Temporary authentication failure" });
    try {
      const error = await sendOnce("someone@learners.example");
      const f = classifyDeliveryFailure(error, ctx("someone@learners.example"));
      expect([f.class, f.kind, f.smtpCode]).toEqual(["temporary", "auth_temporary", 454]);
    } finally {
      server.authFault(null);
    }
  });

  it("the server drops the connection after DATA → temporary / dropped", async () => {
    const to = "dropped@learners.example";
    server.fault(to, { at: "data", action: "drop" });
    const f = classifyDeliveryFailure(await sendOnce(to), ctx(to));
    expect([f.class, f.kind]).toEqual(["temporary", "dropped"]);
  });

  it("the server stalls after DATA → temporary / timeout", async () => {
    const to = "stalled@learners.example";
    server.fault(to, { at: "data", action: "stall" });
    const f = classifyDeliveryFailure(await sendOnce(to, { timeoutMs: 800 }), ctx(to));
    expect([f.class, f.kind]).toEqual(["temporary", "timeout"]);
  });

  it("TLS required but not offered, or an untrusted certificate → sender (pause), with the probe's fix", async () => {
    const plain = await startTestSmtpServer({ starttls: false });
    const tls = await startTestSmtpServer({ starttls: true });
    try {
      const send = (port: number) =>
        nodemailer
          .createTransport({ host: "127.0.0.1", port, requireTLS: true, connectionTimeout: 3_000, greetingTimeout: 3_000, socketTimeout: 3_000 })
          .sendMail({ from: "noreply@sender.example", to: "a@learners.example", subject: "s", text: "t" })
          .then(() => null, (e: unknown) => e);
      const noTls = classifyDeliveryFailure(await send(plain.port), { ...ctx("a@learners.example", plain.port), security: "starttls" });
      expect([noTls.class, noTls.kind]).toEqual(["sender", "starttls_unavailable"]);
      expect(noTls.advice.en).toMatch(/STARTTLS/);
      const badCert = classifyDeliveryFailure(await send(tls.port), { ...ctx("a@learners.example", tls.port), security: "starttls" });
      expect([badCert.class, badCert.kind]).toEqual(["sender", "tls_mismatch"]);
      expect(badCert.advice.en).toMatch(/certificate/);
    } finally {
      await plain.close();
      await tls.close();
    }
  });

  it("nothing listens → temporary / unreachable", async () => {
    const port = await findClosedPort();
    const f = classifyDeliveryFailure(await sendOnce("a@learners.example", { port }), ctx("a@learners.example", port));
    expect([f.class, f.kind, f.smtpCode]).toEqual(["temporary", "unreachable", null]);
  });

  it("an error that is no SMTP error at all is temporary (retried, never silently dropped)", () => {
    const f = classifyDeliveryFailure(new Error("something odd"), ctx("a@learners.example"));
    expect([f.class, f.kind]).toEqual(["temporary", "unknown"]);
    expect(f.reply).toContain("something odd");
  });
});

describe("enhancedStatus", () => {
  it("reads the code after the reply code, prefers a specific one, ignores addresses", () => {
    expect(enhancedStatus("550 5.1.1 <a@b> User unknown")).toBe("5.1.1");
    expect(enhancedStatus("550 5.0.0 5.1.1 User unknown")).toBe("5.1.1");
    expect(enhancedStatus("550 Rejected (5.7.26) DMARC")).toBe("5.7.26");
    expect(enhancedStatus("550 Host [10.5.1.1] refused")).toBeNull();
    expect(enhancedStatus("421 Service not available")).toBeNull();
  });
});

describe("failureAdvice", () => {
  it("words every class for a stored kind, and an unknown kind too", () => {
    for (const cls of ["temporary", "recipient", "sender", "message", "expired"] as const) {
      const a = failureAdvice("mailbox_unknown", cls);
      expect(a.de).not.toEqual(a.en);
      expect(a.en).toMatch(/address does not exist/);
    }
    expect(failureAdvice("what-is-this", "expired").en).toMatch(/gave the mail up/);
  });
});

describe("nextRetryAt", () => {
  const first = new Date("2026-11-02T08:00:00Z");

  it("follows 1, 5, 30 min, 2 h, 6 h, then 6 h, within ±10 % jitter", () => {
    const expected = [...BACKOFF_MS, BACKOFF_MS[4]!, BACKOFF_MS[4]!];
    let now = first;
    expected.forEach((wait, i) => {
      const low = nextRetryAt({ failedAttempts: i + 1, firstAttemptAt: first, now, random: () => 0 })!;
      const high = nextRetryAt({ failedAttempts: i + 1, firstAttemptAt: first, now, random: () => 0.999999 })!;
      expect(low.getTime() - now.getTime()).toBe(Math.round(wait * 0.9));
      expect(high.getTime() - now.getTime()).toBeCloseTo(wait * 1.1, -3);
      now = low;
    });
  });

  it("spreads retries of rows that failed together", () => {
    const now = new Date(first.getTime() + 1000);
    const at = new Set(Array.from({ length: 50 }, () => nextRetryAt({ failedAttempts: 3, firstAttemptAt: first, now })!.getTime()));
    expect(at.size).toBeGreaterThan(40);
  });

  it("tries once more exactly at the 3-day mark, then gives up", () => {
    const late = new Date(first.getTime() + GIVE_UP_AFTER_MS - 60_000);
    expect(nextRetryAt({ failedAttempts: 12, firstAttemptAt: first, now: late, random: () => 0.5 })!.getTime()).toBe(first.getTime() + GIVE_UP_AFTER_MS);
    expect(nextRetryAt({ failedAttempts: 13, firstAttemptAt: first, now: new Date(first.getTime() + GIVE_UP_AFTER_MS), random: () => 0.5 })).toBeNull();
  });
});
