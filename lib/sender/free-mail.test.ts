import { describe, expect, it } from "vitest";
import { FREE_MAIL_PROVIDERS, freeMailWarning } from "./free-mail";

describe("free-mail detection", () => {
  it.each([
    ["max@gmail.com", "gmail"],
    ["Max@GoogleMail.com", "gmail"],
    ["a@outlook.com", "outlook"],
    ["a@outlook.de", "outlook"],
    ["a@hotmail.co.uk", "outlook"],
    ["a@hotmail.de", "outlook"],
    ["a@live.com", "outlook"],
    ["a@msn.com", "outlook"],
    ["a@yahoo.de", "yahoo"],
    ["a@yahoo.co.jp", "yahoo"],
    ["a@gmx.de", "gmx"],
    ["a@gmx.net", "gmx"],
    ["a@gmx.at", "gmx"],
    ["a@web.de", "webde"],
    ["a@t-online.de", "t-online"],
    ["a@icloud.com", "icloud"],
    ["a@me.com", "icloud"],
    ["a@aol.com", "aol"],
    ["a@mail.ru", "mailru"],
    ["a@yandex.ru", "yandex"],
    ["a@proton.me", "proton"],
    ["a@protonmail.com", "proton"],
  ])("address %s → %s", (address, id) => {
    const w = freeMailWarning(address);
    expect(w?.providerId).toBe(id);
    expect(w?.via).toBe("address");
    // The reason in both languages: not for bulk, quota errors, DMARC.
    expect(w!.text.en).toMatch(/not suitable for bulk sending/);
    expect(w!.text.en).toMatch(/550 5\.4\.5/);
    expect(w!.text.en).toMatch(/DMARC/);
    expect(w!.text.de).toMatch(/nicht für den Massenversand geeignet/);
    expect(w!.text.de).toMatch(/DMARC/);
  });

  it.each([
    ["smtp.gmail.com", "gmail"],
    ["SMTP.GMAIL.COM.", "gmail"],
    ["smtp.googlemail.com", "gmail"],
    ["smtp-mail.outlook.com", "outlook"],
    ["smtp.live.com", "outlook"],
    ["smtp.mail.yahoo.com", "yahoo"],
    ["mail.gmx.net", "gmx"],
    ["smtp.gmx.de", "gmx"],
    ["smtp.web.de", "webde"],
    ["securesmtp.t-online.de", "t-online"],
    ["smtp.mail.me.com", "icloud"],
    ["smtp.aol.com", "aol"],
    ["smtp.mail.ru", "mailru"],
    ["smtp.yandex.ru", "yandex"],
  ])("host %s → %s", (host, id) => {
    const w = freeMailWarning(host);
    expect(w?.providerId).toBe(id);
    expect(w?.via).toBe("host");
    expect(w!.text.en).toMatch(/not suitable for bulk sending/);
    expect(w!.text.de).toMatch(/Tag/);
  });

  it.each([
    "smtp.office365.com", // Microsoft 365 business
    "acme-com.mail.protection.outlook.com", // Microsoft 365 direct send / relay
    "outlook.office365.com",
    "smtp-relay.gmail.com", // Google Workspace business relay
    "email-smtp.eu-central-1.amazonaws.com",
    "mail.acme.de",
    "training@acme.de",
    "a@gmail.com.evil.example",
    "a@notgmail.com",
    "a@outlook.office365.com",
    "a@yahoo-inc.example",
    "",
  ])("%s is not free-mail", (input) => {
    expect(freeMailWarning(input)).toBeNull();
  });

  it("gives the daily limit where known and leaves it out where not", () => {
    const gmail = freeMailWarning("smtp.gmail.com")!;
    expect(gmail.dailyLimit).toBe(500);
    expect(gmail.limitSource).toMatch(/Google/);
    expect(gmail.text.en).toMatch(/about 500 mails a day/);
    expect(gmail.text.de).toMatch(/etwa 500 Mails pro Tag/);
    const icloud = freeMailWarning("x@icloud.com")!;
    expect(icloud.text.en).toMatch(/about 1,000 mails/);
    expect(icloud.text.de).toMatch(/etwa 1\.000 Mails/);
    const webde = freeMailWarning("smtp.web.de")!;
    expect(webde.dailyLimit).toBeUndefined();
    expect(webde.text.en).toMatch(/small number of mails a day/);
  });

  it("keeps one list with unique ids and no Microsoft 365 host", () => {
    const ids = FREE_MAIL_PROVIDERS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(FREE_MAIL_PROVIDERS.flatMap((p) => p.smtpHosts)).not.toContain("smtp.office365.com");
  });
});
