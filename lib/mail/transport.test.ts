import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findClosedPort, startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server";
import { classifySmtpError, redact, sendTestMail, testConnection, type ProbeOptions, type SmtpSettings } from "./transport";
import type { LookupFn } from "./ssrf-guard";

/**
 * Against real smtp-server instances on loopback. The host name is a made-up one that
 * an injected resolver maps to 127.0.0.1 — so the SSRF guard, the connect-to-the-IP
 * logic and the TLS server name are all exercised as in production, with the operator
 * setting SMTP_ALLOW_PRIVATE_HOSTS (allowPrivate) on and the test port allowed.
 */

const HOST = "smtp.test.example";
const PASSWORD = "Corr3ct-Horse+Battery/Staple";
const lookups: string[] = [];
const lookup: LookupFn = async (host) => {
  lookups.push(host);
  return [{ address: "127.0.0.1", family: 4 }];
};

let starttls: TestSmtpServer; // STARTTLS offered, auth required
let plain: TestSmtpServer; // no STARTTLS, auth required
let implicit: TestSmtpServer; // TLS from the first byte
let slow: TestSmtpServer; // greeting after 3 s

beforeAll(async () => {
  [starttls, plain, implicit, slow] = await Promise.all([
    startTestSmtpServer({ users: { mailer: PASSWORD } }),
    startTestSmtpServer({ users: { mailer: PASSWORD }, starttls: false }),
    startTestSmtpServer({ users: { mailer: PASSWORD }, implicitTls: true }),
    startTestSmtpServer({ greetingDelayMs: 3000 }),
  ]);
});
afterAll(async () => {
  await Promise.all([starttls, plain, implicit, slow].map((s) => s?.close()));
});

function settings(server: TestSmtpServer, over: Partial<SmtpSettings> = {}): SmtpSettings {
  return {
    host: HOST,
    port: server.port,
    security: "starttls",
    user: "mailer",
    password: PASSWORD,
    fromAddress: "reminders@acme.example",
    fromName: "ACME Akademie",
    replyTo: "training@acme.example",
    ...over,
  };
}

function options(server: TestSmtpServer, over: ProbeOptions = {}): ProbeOptions {
  return { allowPrivate: true, allowedPorts: [server.port], lookup, tlsRejectUnauthorized: false, timeoutMs: 2000, ...over };
}

function expectNoPassword(result: object) {
  const json = JSON.stringify(result);
  expect(json).not.toContain(PASSWORD);
  expect(json).not.toContain(Buffer.from(PASSWORD).toString("base64"));
  expect(json).not.toContain(Buffer.from(`\u0000mailer\u0000${PASSWORD}`).toString("base64"));
}

describe("testConnection against a loopback SMTP server", () => {
  it("succeeds with STARTTLS and login, connecting to the checked IP with the host name as TLS server name", async () => {
    const before = lookups.length;
    const r = await testConnection(settings(starttls), options(starttls));
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) return;
    expect(r.reply).toMatch(/^220 /);
    expect(r.reply).toMatch(/235 Authentication successful/);
    expect(lookups.length - before).toBe(1); // resolved once, by the guard
    const session = starttls.sessions.at(-1)!;
    expect(session).toMatchObject({ servername: HOST, secure: true, user: "mailer", remoteAddress: "127.0.0.1" });
    expectNoPassword(r);
  });

  it("succeeds with implicit TLS", async () => {
    const r = await testConnection(settings(implicit, { security: "tls" }), options(implicit));
    expect(r.ok).toBe(true);
    expect(implicit.sessions.at(-1)).toMatchObject({ servername: HOST, secure: true, user: "mailer" });
  });

  it("measures a connection test (reported in the closing note)", async () => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await testConnection(settings(starttls), options(starttls));
      expect(r.ok).toBe(true);
      times.push(r.ms);
    }
    times.sort((a, b) => a - b);
    console.log(`connection test (STARTTLS + AUTH) against loopback smtp-server: median ${times[2]} ms, all ${times.join(", ")} ms`);
    expect(times[2]).toBeLessThan(2000);
  });

  it("reports a wrong password (535) as auth_failed without the password", async () => {
    const r = await testConnection(settings(starttls, { password: "wrong-password" }), options(starttls));
    expect(r).toMatchObject({ ok: false, kind: "auth_failed", temporary: false });
    if (r.ok) return;
    expect(r.detail).toContain("535");
    expect(r.message.en).toMatch(/rejected the user name or password/);
    expect(r.message.de).toMatch(/Benutzername oder Passwort abgelehnt/);
    expect(JSON.stringify(r)).not.toContain("wrong-password");
  });

  it("reports STARTTLS required but not offered", async () => {
    const r = await testConnection(settings(plain), options(plain));
    expect(r).toMatchObject({ ok: false, kind: "starttls_unavailable" });
    if (r.ok) return;
    expect(r.message.en).toMatch(/does not offer STARTTLS/);
    expect(plain.sessions.some((s) => s.user === "mailer")).toBe(false); // no login in plain text
  });

  it("refuses an untrusted (self-signed) certificate by default", async () => {
    const r = await testConnection(settings(starttls), { ...options(starttls), tlsRejectUnauthorized: undefined });
    expect(r).toMatchObject({ ok: false, kind: "tls_mismatch" });
    if (!r.ok) expect(r.message.en).toMatch(/certificate is not trusted/);
    const r2 = await testConnection(settings(implicit, { security: "tls" }), { ...options(implicit), tlsRejectUnauthorized: undefined });
    expect(r2).toMatchObject({ ok: false, kind: "tls_mismatch" });
  });

  it("verifies the certificate against the host name, not the IP it connects to", async () => {
    // The test certificate names smtp.test.example, localhost and 127.0.0.1.
    const trusted = { ...options(starttls), tlsRejectUnauthorized: undefined, tlsCa: starttls.cert };
    expect((await testConnection(settings(starttls), trusted)).ok).toBe(true);
    // Same IP, a name the certificate does not carry: refused, so the TLS identity
    // check did not fall back to the (certified) IP address.
    const r = await testConnection(settings(starttls, { host: "other.test.example" }), trusted);
    expect(r).toMatchObject({ ok: false, kind: "tls_mismatch" });
    if (!r.ok) expect(r.message.en).toContain("other.test.example");
  });

  it("reports implicit TLS against a plain port as a TLS mismatch", async () => {
    const r = await testConnection(settings(plain, { security: "tls" }), options(plain));
    expect(r).toMatchObject({ ok: false, kind: "tls_mismatch" });
    if (!r.ok) expect(r.message.en).toMatch(/choose “STARTTLS”/);
  });

  it("reports a closed port as unreachable, as slowly as a filtered one", async () => {
    const port = await findClosedPort();
    const s = { ...settings(starttls), port };
    const r = await testConnection(s, { ...options(starttls), allowedPorts: [port], timeoutMs: 600 });
    expect(r).toMatchObject({ ok: false, kind: "unreachable" });
    if (r.ok) return;
    expect(r.ms).toBeGreaterThanOrEqual(590); // held back to the connect timeout
    // A filtered port ends in nodemailer's connect timeout (this sandbox accepts every
    // TCP connect, so the real thing cannot be produced here): same kind, text, detail.
    const ctx = { hostname: HOST, port, security: "starttls" as const, transcript: [] };
    const refused = classifySmtpError({ code: "ESOCKET", originalCode: "ECONNREFUSED", command: "CONN", message: `connect ECONNREFUSED 127.0.0.1:${port}` }, ctx);
    const filtered = classifySmtpError({ code: "ETIMEDOUT", timeoutType: "CONNECT_TIMEOUT", command: "CONN", message: "Connection timeout" }, ctx);
    expect(filtered).toEqual(refused);
    expect(r.message).toEqual(refused.message);
    expect(r.detail).toBe(refused.detail);
    expect(r.detail).not.toMatch(/ECONNREFUSED|timeout/i);

    const fast = await testConnection(s, { ...options(starttls), allowedPorts: [port], timeoutMs: 600, uniformUnreachableTiming: false });
    expect(fast.ms).toBeLessThan(500);
  });

  it("reports a server too slow to greet as a timeout", async () => {
    const r = await testConnection(settings(slow, { user: null, password: null }), options(slow, { timeoutMs: 500 }));
    expect(r).toMatchObject({ ok: false, kind: "timeout", temporary: true });
    if (!r.ok) {
      expect(r.ms).toBeLessThan(2500);
      expect(r.message.en).toMatch(/did not answer in time/);
    }
  });

  it("reports 421 at the greeting as temporary", async () => {
    plain.failWith("connect", 421, undefined, 1);
    const r = await testConnection(settings(plain, { security: "none" }), options(plain));
    expect(r).toMatchObject({ ok: false, kind: "unknown", temporary: true });
    if (!r.ok) expect(r.detail).toMatch(/^421 /);
  });

  it("reports an injected 535 and a temporary 454 at AUTH", async () => {
    plain.failWith("auth", 535, undefined, 1);
    const r = await testConnection(settings(plain, { security: "none" }), options(plain));
    expect(r).toMatchObject({ ok: false, kind: "auth_failed", temporary: false });
    plain.failWith("auth", 454, undefined, 1);
    const r2 = await testConnection(settings(plain, { security: "none" }), options(plain));
    expect(r2).toMatchObject({ ok: false, kind: "auth_failed", temporary: true });
  });

  it("refuses the loopback server when private hosts are not allowed, without connecting", async () => {
    const sessionsBefore = starttls.sessions.length;
    const r = await testConnection(settings(starttls), { ...options(starttls), allowPrivate: false });
    expect(r).toMatchObject({ ok: false, kind: "refused_host" });
    if (!r.ok) expect(r.detail).not.toContain("127.0.0.1");
    const r2 = await testConnection(settings(starttls), { ...options(starttls), allowedPorts: undefined });
    expect(r2).toMatchObject({ ok: false, kind: "refused_host" });
    await new Promise((res) => setTimeout(res, 150));
    expect(starttls.sessions.length).toBe(sessionsBefore);
  });

  it("works without login when no user is set", async () => {
    const open = await startTestSmtpServer({ starttls: false });
    try {
      const r = await testConnection(settings(open, { security: "none", user: "", password: "" }), options(open));
      expect(r.ok).toBe(true);
      // A user for a server that offers no login is reported, not silently skipped.
      const r2 = await testConnection(settings(open, { security: "none" }), options(open));
      expect(r2).toMatchObject({ ok: false, kind: "auth_failed" });
      if (!r2.ok) expect(r2.message.en).toMatch(/does not offer login/);
    } finally {
      await open.close();
    }
  });
});

describe("sendTestMail", () => {
  it("arrives with the right From, display name, Reply-To and To", async () => {
    const count = starttls.received.length;
    const r = await sendTestMail(settings(starttls), "admin@acme.example", { ...options(starttls), locale: "en" });
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) return;
    expect(r.reply).toMatch(/^250 /);
    expect(r.messageId).toMatch(/^<.+@.+>$/);
    const mail = await starttls.waitForMail(count + 1);
    expect(mail.parsed.from?.value).toEqual([{ address: "reminders@acme.example", name: "ACME Akademie" }]);
    expect(mail.parsed.replyTo?.value).toEqual([{ address: "training@acme.example", name: "" }]);
    expect(mail.parsed.to && !Array.isArray(mail.parsed.to) ? mail.parsed.to.value : null).toEqual([{ address: "admin@acme.example", name: "" }]);
    expect(mail.parsed.subject).toBe("Test message from the mail settings");
    expect(mail.parsed.headers.get("auto-submitted")).toBe("auto-generated");
    expect(mail.envelope).toEqual({ from: "reminders@acme.example", to: ["admin@acme.example"] });
    expect(mail.user).toBe("mailer");
    expect(mail.raw).not.toContain(PASSWORD);
  });

  it("encodes a display name with umlauts and quotes safely", async () => {
    const count = starttls.received.length;
    const name = 'Müller & Söhne "Akademie"';
    const r = await sendTestMail(settings(starttls, { fromName: name }), "admin@acme.example", options(starttls));
    expect(r.ok).toBe(true);
    const mail = await starttls.waitForMail(count + 1);
    expect(mail.parsed.from?.value[0]).toEqual({ address: "reminders@acme.example", name });
    expect(mail.parsed.subject).toContain(" / "); // bilingual without a locale
  });

  it("refuses injected headers before connecting", async () => {
    const count = starttls.received.length;
    const r = await sendTestMail(settings(starttls, { fromName: "ACME\r\nBcc: victim@evil.example" }), "admin@acme.example", options(starttls));
    expect(r).toMatchObject({ ok: false, kind: "rejected_sender" });
    const r2 = await sendTestMail(settings(starttls), "a@acme.example, victim@evil.example", options(starttls));
    expect(r2).toMatchObject({ ok: false, kind: "rejected_recipient" });
    const r3 = await sendTestMail(settings(starttls, { replyTo: "x@acme.example\nBcc: v@evil.example" }), "a@acme.example", options(starttls));
    expect(r3).toMatchObject({ ok: false, kind: "rejected_sender" });
    expect(starttls.received.length).toBe(count);
  });

  it("maps 550 for the sender, 550 for the recipient, the 5.4.5 quota and 451", async () => {
    const s = settings(plain, { security: "none" });
    const o = options(plain);

    plain.failWith("mail", 553, "5.7.1 Sender address rejected: not owned by user mailer", 1);
    const sender = await sendTestMail(s, "admin@acme.example", o);
    expect(sender).toMatchObject({ ok: false, kind: "rejected_sender", temporary: false });
    if (!sender.ok) {
      expect(sender.detail).toMatch(/^553 5\.7\.1/);
      expect(sender.message.en).toContain("reminders@acme.example");
    }

    plain.failWith("rcpt", 550, undefined, 1);
    const rcpt = await sendTestMail(s, "nobody@acme.example", o);
    expect(rcpt).toMatchObject({ ok: false, kind: "rejected_recipient" });
    if (!rcpt.ok) expect(rcpt.message.de).toContain("nobody@acme.example");

    plain.failWith("mail", 550, "5.4.5 Daily user sending quota exceeded", 1);
    const quota = await sendTestMail(s, "admin@acme.example", o);
    expect(quota).toMatchObject({ ok: false, kind: "rejected_sender" });
    if (!quota.ok) expect(quota.message.en).toMatch(/sending limit is reached/);

    plain.failWith("mail", 451, undefined, 1);
    const temp = await sendTestMail(s, "admin@acme.example", o);
    expect(temp).toMatchObject({ ok: false, kind: "unknown", temporary: true });

    plain.failWith("data", 554, undefined, 1);
    const data = await sendTestMail(s, "admin@acme.example", o);
    expect(data).toMatchObject({ ok: false, kind: "rejected_sender" });
    plain.clearFailures();
  });
});

describe("redact", () => {
  it("removes the password in plain and base64 forms", () => {
    const b64 = Buffer.from(`\u0000u\u0000pw-1`).toString("base64");
    expect(redact(`AUTH PLAIN ${b64} pw-1 ${Buffer.from("pw-1").toString("base64")}`, "u", "pw-1")).toBe(
      "AUTH PLAIN [redacted] [redacted] [redacted]",
    );
  });
});
