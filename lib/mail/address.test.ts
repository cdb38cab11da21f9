import { describe, expect, it } from "vitest";
import { checkAddressSyntax, headerDisplayName, MAX_DISPLAY_NAME_LENGTH, parseDisplayName, parseSingleAddress } from "./address";

describe("parseSingleAddress (one plain address per field)", () => {
  it.each([
    ["info@acme.de", "info@acme.de"],
    ["  info@acme.de ", "info@acme.de"],
    ["<info@acme.de>", "info@acme.de"],
    ["First.Last+tag@Sub.ACME.de", "First.Last+tag@sub.acme.de"],
    ["kontakt@müller-akademie.de", "kontakt@müller-akademie.de"],
    ["o'brien@example.co.uk", "o'brien@example.co.uk"],
  ])("accepts %j", (input, address) => {
    expect(parseSingleAddress(input)).toEqual({ ok: true, address, domain: address.split("@")[1] });
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["a@acme.de\r\nBcc: victim@example.com", "crlf"],
    ["a@acme.de\nBcc: victim@example.com", "crlf"],
    ["a@acme.de\r", "crlf"],
    ["a@acme.de\u2028", "crlf"],
    ["a@acme.de, b@acme.de", "multiple"],
    ["a@acme.de; b@acme.de", "multiple"],
    ["a@acme.de b@acme.de", "multiple"],
    ["team: a@acme.de, b@acme.de;", "multiple"],
    ["Support <support@acme.de>", "name_not_allowed"],
    ["a(comment)@acme.de", "name_not_allowed"],
    ["plainword", "malformed"],
    ["a@", "malformed"],
    ["@acme.de", "malformed"],
    ["a@@acme.de", "malformed"],
    ["a@acme", "malformed"],
    ["a@acme.de>", "malformed"],
    ["a..b@acme.de", "malformed"],
    ['"a b"@acme.de', "malformed"],
    ["a@-acme.de", "malformed"],
    ["a@acme.d", "malformed"],
    ["a\u0000@acme.de", "malformed"],
    [`${"x".repeat(65)}@acme.de`, "malformed"],
    [`a@${"x".repeat(250)}.de`, "too_long"],
  ])("refuses %j (%s)", (input, problem) => {
    expect(parseSingleAddress(input)).toEqual({ ok: false, problem });
  });

  it("checks bare syntax", () => {
    expect(checkAddressSyntax("a@b.example").ok).toBe(true);
    expect(checkAddressSyntax("a@xn--mller-kva.de").ok).toBe(true);
    expect(checkAddressSyntax("a@b.123").ok).toBe(false);
  });
});

describe("parseDisplayName", () => {
  it.each([
    ["ACME Akademie", "ACME Akademie"],
    ["  Müller & Söhne   GmbH ", "Müller & Söhne GmbH"],
    ['Die "beste" Akademie', 'Die "beste" Akademie'],
    ["O'Brien, Training", "O'Brien, Training"],
    ["Académie Ünïcödé – 日本", "Académie Ünïcödé – 日本"],
  ])("accepts %j", (input, name) => {
    expect(parseDisplayName(input)).toEqual({ ok: true, name });
  });

  it.each([
    ["ACME\r\nBcc: victim@example.com", "crlf"],
    ["ACME\n", "crlf"],
    ["ACME\u2028X", "crlf"],
    ["ACME\u0007", "crlf"],
    ["ACME\t\u0000", "crlf"],
    ["support@bank.example", "address_like"],
    ["ACME <ceo@acme.de>", "address_like"],
    ["", "empty"],
    ["  ", "empty"],
    ["x".repeat(101), "too_long"],
  ])("refuses %j (%s)", (input, problem) => {
    expect(parseDisplayName(input)).toEqual({ ok: false, problem });
  });

  it("may be optional", () => {
    expect(parseDisplayName("", { required: false })).toEqual({ ok: true, name: "" });
    expect(parseDisplayName(null, { required: false })).toEqual({ ok: true, name: "" });
  });
});

describe("headerDisplayName", () => {
  it("keeps what nodemailer can encode, refuses line breaks, cuts to the display-name limit", () => {
    expect(headerDisplayName(`Müller & Söhne <GmbH> "Süd", @Team`)).toBe(`Müller & Söhne <GmbH> "Süd", @Team`);
    expect(headerDisplayName("ACME\tAkademie  ")).toBe("ACME Akademie");
    expect(headerDisplayName("ACME\r\nBcc: x@evil.example")).toBeNull();
    const long = headerDisplayName("Ä".repeat(150))!;
    expect([...long]).toHaveLength(MAX_DISPLAY_NAME_LENGTH);
    expect(long.endsWith("…")).toBe(true);
  });
});
