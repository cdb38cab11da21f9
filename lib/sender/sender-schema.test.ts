import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { localizeIssues } from "../validation/localize";
import { validationMessages } from "../validation/messages";
import { addressProofCodeSchema, senderSettingsSchema, testMailRecipientSchema } from "./sender-schema";
import { senderValidationMessages } from "../validation/catalog/sender";

const profile = {
  noreplyAddresses: ["noreply@reflact.com", "noreply-train@reflact.com", "noreply@ilearn24.net"],
};
const schema = senderSettingsSchema(profile);

beforeAll(() => {
  // What the lead's merge will do: the sender keys join the shared message table.
  Object.assign(validationMessages, senderValidationMessages);
});

/** field → message key, from a failed parse. */
function keys(input: unknown, s: z.ZodType = schema): Record<string, string> {
  const r = s.safeParse(input);
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const i of r.error.issues) {
    const f = i.path.map(String).join(".") || "_form";
    out[f] ??= i.message;
  }
  return out;
}

const platform = {
  mode: "platform",
  noreplyAddress: "noreply@reflact.com",
  displayName: "ACME Akademie",
  replyTo: "training@acme.de",
  ratePerMinute: 60,
  dailyQuota: 5000,
};
const customerDomain = {
  mode: "customer_domain",
  fromAddress: "training@acme.de",
  displayName: "ACME Akademie",
  replyTo: "",
  ratePerMinute: 60,
  dailyQuota: 5000,
};
const customSmtp = {
  mode: "custom_smtp",
  host: "smtp.acme.de",
  port: 587,
  security: "starttls",
  user: "mailer@acme.de",
  password: "correct horse battery staple",
  fromAddress: "training@acme.de",
  displayName: "ACME Akademie",
  replyTo: "help@acme.de",
  ratePerMinute: 30,
  dailyQuota: 10000,
};

describe("sender settings schema: platform", () => {
  it("accepts a valid form and normalises it", () => {
    const r = schema.parse({ ...platform, noreplyAddress: "NoReply@Reflact.com", displayName: "  ACME   Akademie " });
    expect(r).toEqual({ ...platform, displayName: "ACME Akademie", confirmNoReplyTo: false, acknowledgeFreeMail: false });
  });

  it("only allows the profile's noreply addresses", () => {
    expect(keys({ ...platform, noreplyAddress: "noreply@evil.example" })).toEqual({ noreplyAddress: "v.choice" });
    expect(senderSettingsSchema({ noreplyAddresses: ["x@y.example"] }).safeParse(platform).success).toBe(false);
  });

  it("asks for confirmation when the Reply-To is missing", () => {
    expect(keys({ ...platform, replyTo: "" })).toEqual({ confirmNoReplyTo: "sender.confirmNoReplyTo" });
    expect(keys({ ...platform, replyTo: undefined })).toEqual({ confirmNoReplyTo: "sender.confirmNoReplyTo" });
    const r = schema.parse({ ...platform, replyTo: "", confirmNoReplyTo: "on" });
    expect(r).toMatchObject({ replyTo: undefined, confirmNoReplyTo: true });
  });
});

describe("header safety", () => {
  it("refuses CR/LF in the display name", () => {
    expect(keys({ ...platform, displayName: "ACME\r\nBcc: victim@example.com" })).toEqual({ displayName: "sender.displayName.crlf" });
    expect(keys({ ...customSmtp, displayName: "ACME\nX" })).toEqual({ displayName: "sender.displayName.crlf" });
  });

  it("refuses two addresses in the Reply-To", () => {
    expect(keys({ ...platform, replyTo: "a@acme.de, b@acme.de" })).toEqual({ replyTo: "sender.address.multiple" });
    expect(keys({ ...customerDomain, replyTo: "a@acme.de b@acme.de" })).toEqual({ replyTo: "sender.address.multiple" });
  });

  it("refuses malformed addresses and injected headers", () => {
    expect(keys({ ...customerDomain, fromAddress: "training(at)acme.de" })).toEqual({ fromAddress: "sender.address.malformed" });
    expect(keys({ ...customSmtp, fromAddress: "a@acme.de\r\nBcc: x@y.de" })).toEqual({ fromAddress: "sender.address.crlf" });
    expect(keys({ ...platform, replyTo: "Support <help@acme.de>" })).toEqual({ replyTo: "sender.address.nameNotAllowed" });
    expect(keys({ ...platform, displayName: "help@acme.de" })).toEqual({ displayName: "sender.displayName.addressLike" });
  });

  it("gives messages naming the problem in the user's language", () => {
    const r = schema.safeParse({ ...platform, displayName: "A\r\nB", replyTo: "a@x.de, b@x.de" });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(localizeIssues(r.error, "de")).toEqual({
      displayName: senderValidationMessages["sender.displayName.crlf"]!.de,
      replyTo: senderValidationMessages["sender.address.multiple"]!.de,
    });
    expect(localizeIssues(r.error, "en").replyTo).toBe("Please enter exactly one address, not several.");
  });
});

describe("sender settings schema: customer_domain", () => {
  it("accepts a valid form", () => {
    expect(schema.parse(customerDomain)).toEqual({ ...customerDomain, replyTo: undefined, acknowledgeFreeMail: false });
  });

  it("asks to acknowledge a Reply-To on a free-mail provider, in every mode", () => {
    expect(keys({ ...customerDomain, replyTo: "acme.training@gmx.de" })).toEqual({
      acknowledgeFreeMail: "sender.acknowledgeFreeMailReplyTo",
    });
    expect(keys({ ...platform, replyTo: "acme@gmail.com" })).toEqual({ acknowledgeFreeMail: "sender.acknowledgeFreeMailReplyTo" });
    expect(keys({ ...customSmtp, replyTo: "acme@gmail.com" })).toEqual({ acknowledgeFreeMail: "sender.acknowledgeFreeMailReplyTo" });
    expect(schema.safeParse({ ...platform, replyTo: "acme@gmail.com", acknowledgeFreeMail: "on" }).success).toBe(true);
  });

  it("refuses a free-mail From address (its SPF can never include the platform)", () => {
    const r = schema.safeParse({ ...customerDomain, fromAddress: "acme.training@gmail.com" });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(localizeIssues(r.error, "en").fromAddress).toMatch(/^Gmail is a personal e-mail service/);
  });
});

describe("sender settings schema: custom_smtp", () => {
  it("accepts a valid form and FormData-style strings", () => {
    const r = schema.parse({ ...customSmtp, host: " SMTP.ACME.DE ", port: "587", ratePerMinute: "30", dailyQuota: "10000" });
    expect(r).toEqual({ ...customSmtp, host: "smtp.acme.de", acknowledgeNoTls: false, acknowledgeFreeMail: false });
  });

  it("limits ports to the profile's list", () => {
    expect(keys({ ...customSmtp, port: 22 })).toEqual({ port: "sender.port.notAllowed" });
    const r = schema.safeParse({ ...customSmtp, port: 8080 });
    if (r.success) throw new Error("expected failure");
    expect(localizeIssues(r.error, "en").port).toBe(
      "This port is not allowed. Possible are: 25, 465, 587, 2525 (usual: 587 with STARTTLS or 465 with TLS).",
    );
    expect(senderSettingsSchema({ ...profile, allowedPorts: [587, 1025] }).safeParse({ ...customSmtp, port: 1025 }).success).toBe(true);
    expect(keys({ ...customSmtp, port: 0 })).toEqual({ port: "v.tooSmall" });
    expect(keys({ ...customSmtp, port: 70000 })).toEqual({ port: "v.tooBig" });
    expect(keys({ ...customSmtp, port: "58.7" })).toEqual({ port: "v.integer" });
    expect(keys({ ...customSmtp, port: "abc" })).toEqual({ port: "v.integer" });
    expect(keys({ ...customSmtp, port: "" })).toEqual({ port: "v.required" });
  });

  it("refuses a host with scheme or port", () => {
    expect(keys({ ...customSmtp, host: "smtp://smtp.acme.de" })).toEqual({ host: "sender.host.invalid" });
    expect(keys({ ...customSmtp, host: "smtp.acme.de:587" })).toEqual({ host: "sender.host.invalid" });
    expect(keys({ ...customSmtp, host: "" })).toEqual({ host: "v.required" });
  });

  it("requires an acknowledgement for no encryption", () => {
    expect(keys({ ...customSmtp, security: "none", port: 25 })).toEqual({ acknowledgeNoTls: "sender.acknowledgeNoTls" });
    expect(schema.safeParse({ ...customSmtp, security: "none", port: 25, acknowledgeNoTls: "on" }).success).toBe(true);
    expect(keys({ ...customSmtp, security: "ssl" })).toEqual({ security: "v.choice" });
  });

  it("requires an acknowledgement for a free-mail host or From", () => {
    expect(keys({ ...customSmtp, host: "smtp.gmail.com" })).toEqual({ acknowledgeFreeMail: "sender.acknowledgeFreeMail" });
    expect(keys({ ...customSmtp, fromAddress: "acme@web.de" })).toEqual({ acknowledgeFreeMail: "sender.acknowledgeFreeMail" });
    const r = schema.safeParse({ ...customSmtp, host: "smtp.gmail.com" });
    if (r.success) throw new Error("expected failure");
    expect(localizeIssues(r.error, "de").acknowledgeFreeMail).toMatch(/^Gmail ist ein privater E-Mail-Dienst/);
    expect(schema.safeParse({ ...customSmtp, host: "smtp.gmail.com", acknowledgeFreeMail: true }).success).toBe(true);
    // Microsoft 365 business is not free-mail.
    expect(schema.safeParse({ ...customSmtp, host: "smtp.office365.com" }).success).toBe(true);
  });

  it("keeps the stored password only for the same host and user", () => {
    const noPassword = { ...customSmtp, password: "" };
    expect(keys(noPassword)).toEqual({ password: "sender.password.required" });
    const stored = { host: "smtp.acme.de", user: "mailer@acme.de", hasPassword: true };
    const r = senderSettingsSchema(profile, { storedSmtp: stored }).parse(noPassword);
    expect(r).toMatchObject({ mode: "custom_smtp", password: undefined });
    expect(keys({ ...noPassword, host: "smtp.attacker.example" }, senderSettingsSchema(profile, { storedSmtp: stored }))).toEqual({
      password: "sender.password.reenter",
    });
    expect(keys({ ...noPassword, user: "other" }, senderSettingsSchema(profile, { storedSmtp: stored }))).toEqual({
      password: "sender.password.reenter",
    });
    // No user: no login, no password needed; a password without user is refused.
    expect(schema.safeParse({ ...customSmtp, user: "", password: "" }).success).toBe(true);
    expect(keys({ ...customSmtp, user: "" })).toEqual({ user: "sender.user.required" });
    // Passwords are not trimmed; line breaks are refused.
    expect(schema.parse({ ...customSmtp, password: " pw " })).toMatchObject({ password: " pw " });
    expect(keys({ ...customSmtp, password: "pw\r\nQUIT" })).toEqual({ password: "sender.password.invalid" });
  });
});

describe("rate limit and daily quota", () => {
  it("validates ranges and their relation", () => {
    expect(keys({ ...platform, ratePerMinute: 0 })).toEqual({ ratePerMinute: "v.tooSmall" });
    expect(keys({ ...platform, ratePerMinute: 10001, dailyQuota: 20000 })).toEqual({ ratePerMinute: "v.tooBig" });
    expect(keys({ ...platform, dailyQuota: 1_000_001 })).toEqual({ dailyQuota: "v.tooBig" });
    expect(keys({ ...platform, ratePerMinute: 100, dailyQuota: 50 })).toEqual({ dailyQuota: "sender.quotaBelowRate" });
    expect(keys({ ...platform, ratePerMinute: undefined })).toEqual({ ratePerMinute: "v.required" });
    const r = schema.safeParse({ ...platform, ratePerMinute: 100, dailyQuota: 50 });
    if (r.success) throw new Error("expected failure");
    expect(localizeIssues(r.error, "en").dailyQuota).toBe("The daily quota must be at least as large as the limit per minute (100).");
    expect(localizeIssues(r.error, "de").dailyQuota).toContain("(100)");
  });
});

describe("every problem at once, every key translated", () => {
  it("reports all fields in one pass", () => {
    const k = keys({
      ...customSmtp,
      host: "smtp.gmail.com",
      port: 22,
      security: "none",
      fromAddress: "x",
      displayName: "A\nB",
      replyTo: "a@b.de, c@d.de",
      ratePerMinute: 0,
    });
    expect(k).toEqual({
      port: "sender.port.notAllowed",
      fromAddress: "sender.address.malformed",
      displayName: "sender.displayName.crlf",
      replyTo: "sender.address.multiple",
      ratePerMinute: "v.tooSmall",
      acknowledgeNoTls: "sender.acknowledgeNoTls",
      acknowledgeFreeMail: "sender.acknowledgeFreeMail",
    });
  });

  it("refuses an unknown mode", () => {
    expect(keys({ ...platform, mode: "carrier_pigeon" })).toEqual({ mode: "v.choice" });
    expect(keys({})).toEqual({ mode: "v.choice" });
  });

  it("has German and English text for every sender key, no placeholder left", () => {
    for (const [key, text] of Object.entries(senderValidationMessages)) {
      expect(key.startsWith("sender.")).toBe(true);
      expect(text.de.length).toBeGreaterThan(10);
      expect(text.en.length).toBeGreaterThan(10);
      expect(text.de).not.toBe(text.en);
    }
    const inputs = [
      { ...customSmtp, port: 22, security: "none", host: "smtp.gmail.com", user: "", displayName: "a@b", replyTo: "x, y" },
      { ...platform, replyTo: "", noreplyAddress: "x@y.de", ratePerMinute: 5, dailyQuota: 1 },
      { ...customerDomain, fromAddress: "a@gmail.com", replyTo: "<a@b.de> c" },
    ];
    for (const input of inputs) {
      const r = schema.safeParse(input);
      if (r.success) throw new Error("expected failure");
      for (const issue of r.error.issues) expect(validationMessages[issue.message], issue.message).toBeDefined();
      for (const text of Object.values(localizeIssues(r.error, "en"))) expect(text).not.toMatch(/\{\w+\}/);
    }
  });
});

describe("small schemas", () => {
  it("address-proof code: 6 digits, spaces ignored", () => {
    expect(addressProofCodeSchema.parse("123456")).toBe("123456");
    expect(addressProofCodeSchema.parse(" 123 456 ")).toBe("123456");
    expect(addressProofCodeSchema.parse("012-345")).toBe("012345");
    for (const bad of ["12345", "1234567", "abcdef", "12 34 5"]) {
      expect(keys(bad, addressProofCodeSchema)).toEqual({ _form: "sender.proofCode" });
    }
  });

  it("test-mail recipient: one plain address", () => {
    expect(testMailRecipientSchema.parse("me@acme.de")).toBe("me@acme.de");
    expect(keys("me@acme.de, you@acme.de", testMailRecipientSchema)).toEqual({ _form: "sender.address.multiple" });
  });
});
