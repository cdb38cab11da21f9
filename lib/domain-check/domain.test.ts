/** Domain input validation and the platform profile. */
import { describe, expect, it } from "vitest";
import { interpolate } from "../i18n/locale";
import { domainSchema, validateDomain } from "./domain";
import { loadConfig } from "../config/platform-profile";
import { spfProfile } from "./profile";
import { domainValidationMessages } from "../validation/catalog/domain";

describe("validateDomain / domainSchema", () => {
  it.each([
    ["example.com", "example.com"],
    ["  Example.COM.  ", "example.com"],
    ["bücher.de", "xn--bcher-kva.de"],
    ["mail.münchen.de", "mail.xn--mnchen-3ya.de"],
    ["a-b.c-d.example", "a-b.c-d.example"],
  ])("accepts %s as %s", (input, output) => {
    expect(domainSchema.parse(input)).toBe(output);
  });

  it.each([
    ["", "v.domain.required"],
    ["hr@firma.de", "v.domain.email"],
    ["https://firma.de/kontakt", "v.domain.url"],
    ["192.0.2.1", "v.domain.ip"],
    ["[2001:db8::1]", "v.domain.ip"],
    ["localhost", "v.domain.singleLabel"],
    ["-bad.example", "v.domain.label"],
    ["bad-.example", "v.domain.label"],
    ["a_b.example", "v.domain.label"],
    [`${"a".repeat(64)}.example`, "v.domain.label"],
    [`${"abcdefghi.".repeat(26)}com`, "v.domain.tooLong"],
    ["example.123", "v.domain.tld"],
    ["exa mple.com", "v.domain.invalid"],
  ])("rejects %j with %s", (input, key) => {
    const result = domainSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(key);
  });

  it("has a German and English message for every key, with its parameters filled", () => {
    const v = validateDomain("hr@firma.de");
    expect(v.ok).toBe(false);
    if (!v.ok) {
      const message = domainValidationMessages[v.key]!;
      expect(interpolate(message.de, v.params)).toContain("firma.de");
      expect(interpolate(message.en, v.params)).toContain("firma.de");
    }
    for (const [, m] of Object.entries(domainValidationMessages)) {
      expect(m.de.length).toBeGreaterThan(0);
      expect(m.en.length).toBeGreaterThan(0);
    }
  });

  it("rejects non-strings with the required key", () => {
    expect(domainSchema.safeParse(undefined).error?.issues[0]?.message).toBe("v.domain.required");
  });
});

describe("spfProfile", () => {
  it("comes from the validated platform configuration, seed defaults included", () => {
    const cfg = loadConfig({ POSTILLION_CONFIG: undefined });
    expect(spfProfile(cfg)).toEqual({ spfIncludes: ["secure-mailgate.com", "reflact-train.com", "ilearn24.net"], gatewayIps: [] });
    const custom = loadConfig({ PLATFORM_SPF_INCLUDES: " a.example , B.example ", PLATFORM_GATEWAY_IPS: "198.51.100.1,2001:db8::1" });
    expect(spfProfile(custom)).toEqual({ spfIncludes: ["a.example", "b.example"], gatewayIps: ["198.51.100.1", "2001:db8::1"] });
  });

  it("refuses bad values naming the key", () => {
    expect(() => loadConfig({ PLATFORM_GATEWAY_IPS: "gateway.example" })).toThrow(/PLATFORM_GATEWAY_IPS/);
    expect(() => loadConfig({ PLATFORM_SPF_INCLUDES: "not a domain" })).toThrow(/PLATFORM_SPF_INCLUDES/);
  });
});
