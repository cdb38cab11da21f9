/** SPF record syntax and macros (pure functions: no DNS involved). */
import { describe, expect, it } from "vitest";
import {
  domainSpecError,
  expandMacros,
  isSpfRecord,
  ownLookupCount,
  parseSpfRecord,
  SpfMacroError,
  splitTxtStrings,
  truncateDomain,
  zoneFileTxt,
} from "./spf-record";

describe("isSpfRecord (RFC 7208 §4.5)", () => {
  it("needs v=spf1 followed by a space or the end", () => {
    expect(isSpfRecord("v=spf1 -all")).toBe(true);
    expect(isSpfRecord("V=SPF1")).toBe(true);
    expect(isSpfRecord("v=spf10 -all")).toBe(false);
    expect(isSpfRecord("v=spf1-all")).toBe(false);
    expect(isSpfRecord(" v=spf1 -all")).toBe(false);
    expect(isSpfRecord("spf2.0/pra -all")).toBe(false);
  });
});

describe("parseSpfRecord", () => {
  it("splits terms and reads qualifiers, targets and CIDR lengths", () => {
    const p = parseSpfRecord("v=spf1 +a mx:mail.example.com/24//64 -ip4:192.0.2.0/24 ip6:2001:db8::/32 ~include:_spf.example.net ?exists:%{i}.x.example.com redirect=_spf.example.org exp=why.example.org");
    expect(p.errors).toEqual([]);
    expect(p.mechanisms.map((m) => [m.qualifier, m.mechanism])).toEqual([
      ["+", "a"],
      ["+", "mx"],
      ["-", "ip4"],
      ["+", "ip6"],
      ["~", "include"],
      ["?", "exists"],
    ]);
    expect(p.mechanisms[1]).toMatchObject({ domainSpec: "mail.example.com", cidr4: 24, cidr6: 64 });
    expect(p.mechanisms[2]).toMatchObject({ network: "192.0.2.0", cidr4: 24 });
    expect(p.redirect?.value).toBe("_spf.example.org");
    expect(p.exp?.value).toBe("why.example.org");
    expect(ownLookupCount(p)).toBe(5); // a, mx, include, exists, redirect (no all)
  });

  it("does not count redirect when an all is present (RFC 7208 §6.1)", () => {
    expect(ownLookupCount(parseSpfRecord("v=spf1 include:a.example redirect=b.example -all"))).toBe(1);
  });

  it.each([
    ["v=spf1 ip4:192.0.2.300 -all", "not an IPv4 address"],
    ["v=spf1 ip4:192.0.2.1/33", "prefix length"],
    ["v=spf1 ip6", "needs"],
    ["v=spf1 include -all", "needs"],
    ["v=spf1 a:foo -all", "top-level label"],
    ["v=spf1 -all:foo", "no argument"],
    ["v=spf1 moo -all", "unknown mechanism"],
    ["v=spf1 exp=a.example exp=b.example -all", "more than one exp"],
    ["v=spf1 redirect=a.example redirect=b.example", "more than one redirect"],
    ["v=spf1 a:%{r}.example.com -all", "only in explanation"],
    ["v=spf1 exists:%{d0}.example.com", "must not be zero"],
    ["v=spf1 a:foo%.example.com", "must be followed"],
    ["v=spf1 1x=foo -all", "invalid modifier name"],
    ["v=spf1 =foo -all", "invalid modifier name"],
  ])("reports a syntax error in %s", (record, message) => {
    const p = parseSpfRecord(record);
    expect(p.errors.length).toBeGreaterThan(0);
    expect(p.errors.map((e) => e.message).join(" | ")).toContain(message);
  });

  it("accepts trailing spaces, several spaces and unknown modifiers", () => {
    expect(parseSpfRecord("v=spf1  a   -all  foo=bar ").errors).toEqual([]);
  });
});

describe("macros (RFC 7208 §7)", () => {
  const ctx = { sender: "strong-bad@email.example.com", ip: "192.0.2.3", domain: "email.example.com", helo: "mx.example.org", receiver: "rx.example" };
  it("expands the RFC's examples", () => {
    expect(expandMacros("%{s}", ctx, { explanation: false })).toBe("strong-bad@email.example.com");
    expect(expandMacros("%{o}", ctx, { explanation: false })).toBe("email.example.com");
    expect(expandMacros("%{d4}", ctx, { explanation: false })).toBe("email.example.com");
    expect(expandMacros("%{d2}", ctx, { explanation: false })).toBe("example.com");
    expect(expandMacros("%{d1r}", ctx, { explanation: false })).toBe("email");
    expect(expandMacros("%{dr}", ctx, { explanation: false })).toBe("com.example.email");
    expect(expandMacros("%{l-}", ctx, { explanation: false })).toBe("strong.bad");
    expect(expandMacros("%{lr-}", ctx, { explanation: false })).toBe("bad.strong");
    expect(expandMacros("%{l1r-}", ctx, { explanation: false })).toBe("strong");
    expect(expandMacros("%{ir}.%{v}._spf.%{d2}", ctx, { explanation: false })).toBe("3.2.0.192.in-addr._spf.example.com");
    expect(expandMacros("%{lr-}.lp._spf.%{d2}", ctx, { explanation: false })).toBe("bad.strong.lp._spf.example.com");
    expect(expandMacros("%%%_%-", ctx, { explanation: false })).toBe("% %20");
  });
  it("expands IPv6 as nibbles and c/r/t only in explanations; uppercase URL-escapes", () => {
    const v6 = { ...ctx, ip: "2001:db8::cb01" };
    expect(expandMacros("%{ir}.%{v}", v6, { explanation: false })).toBe(
      "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6",
    );
    expect(expandMacros("%{c} via %{r}", v6, { explanation: true })).toBe("2001:db8::cb01 via rx.example");
    expect(() => expandMacros("%{c}", v6, { explanation: false })).toThrow(SpfMacroError);
    expect(expandMacros("%{L}", { ...ctx, sender: "jack&jill=up@example.com" }, { explanation: true })).toBe("jack%26jill%3Dup");
  });
  it("uses postmaster for a missing local-part", () => {
    expect(expandMacros("%{l}", { ...ctx, sender: "@example.com" }, { explanation: false })).toBe("postmaster");
  });
  it("truncates expanded names over 253 characters from the left", () => {
    const long = `${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.example.com`;
    const t = truncateDomain(long);
    expect(t.length).toBeLessThanOrEqual(253);
    expect(t.startsWith("b")).toBe(true);
  });
  it("checks domain-spec endings", () => {
    expect(domainSpecError("_spf.example.com")).toBeUndefined();
    expect(domainSpecError("example.com.")).toBeUndefined();
    expect(domainSpecError("%{d}")).toBeUndefined();
    expect(domainSpecError("example.123")).toBeDefined();
  });
});

describe("TXT strings", () => {
  it("splits at 255 characters and renders a zone-file form", () => {
    const value = "x".repeat(600);
    expect(splitTxtStrings(value).map((s) => s.length)).toEqual([255, 255, 90]);
    expect(zoneFileTxt('a"b')).toBe('"a\\"b"');
  });
});
