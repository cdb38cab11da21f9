import { describe, expect, it } from "vitest";
import {
  checkSmtpTarget,
  classifyAddress,
  embeddedIPv4,
  normalizeHost,
  parseAllowedPorts,
  parseBooleanFlag,
  type LookupFn,
} from "./ssrf-guard";

/** A resolver answering fixed addresses: the test decides what "smtp.customer.example" resolves to. */
function resolvesTo(...addresses: string[]): LookupFn & { calls: string[] } {
  const calls: string[] = [];
  const fn = async (host: string) => {
    calls.push(host);
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return Object.assign(fn, { calls });
}

const BLOCKED: Array<[string, string]> = [
  ["127.0.0.1", "loopback"],
  ["127.8.9.10", "loopback"],
  ["10.1.2.3", "private"],
  ["172.16.0.5", "private"],
  ["172.31.255.255", "private"],
  ["192.168.1.10", "private"],
  ["100.64.0.1", "cgnat"],
  ["100.100.100.200", "cgnat"],
  ["169.254.169.254", "metadata"],
  ["169.254.10.20", "link_local"],
  ["0.0.0.0", "unspecified"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast"],
  ["255.255.255.255", "broadcast"],
  ["240.0.0.1", "reserved"],
  ["192.0.2.10", "documentation"],
  ["198.18.0.1", "reserved"],
  ["::1", "loopback"],
  ["::", "unspecified"],
  ["fc00::1", "unique_local"],
  ["fd12:3456:789a::1", "unique_local"],
  ["fe80::1", "link_local"],
  ["ff02::1", "multicast"],
  ["2001:db8::1", "documentation"],
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["::ffff:10.0.0.1", "private"],
  ["::ffff:169.254.169.254", "metadata"],
  ["::ffff:192.168.0.1", "private"],
  ["64:ff9b::10.0.0.1", "private"],
  ["2002:c0a8:0101::1", "private"], // 6to4 of 192.168.1.1
  ["fd00:ec2::254", "metadata"],
];

describe("classifyAddress", () => {
  it.each(BLOCKED)("%s is %s", (ip, category) => {
    expect(classifyAddress(ip)).toBe(category);
  });

  it.each(["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2a00:1450:4001:82b::201a", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8"])(
    "%s is public",
    (ip) => {
      expect(classifyAddress(ip)).toBeNull();
    },
  );

  it("unwraps IPv4 inside IPv6", () => {
    expect(embeddedIPv4("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(embeddedIPv4("::ffff:a00:1")).toBe("10.0.0.1");
    expect(embeddedIPv4("2002:0a00:0001::")).toBe("10.0.0.1");
    expect(embeddedIPv4("::1")).toBeNull();
    expect(embeddedIPv4("2a00:1450::1")).toBeNull();
  });
});

describe("checkSmtpTarget", () => {
  const refused = ["127.0.0.1", "10.0.0.7", "172.16.4.4", "192.168.178.1", "169.254.169.254", "::1", "fc00::1", "fd00::25", "::ffff:10.0.0.1"];

  it.each(refused)("refuses a host resolving to %s when private hosts are not allowed", async (ip) => {
    const lookup = resolvesTo(ip);
    const r = await checkSmtpTarget("smtp.customer.example", 587, { lookup });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe("blocked_address");
    expect(r.blockedAddress).toBe(ip);
    // The message names the host but never the internal address it resolved to.
    expect(r.message.en).toContain("smtp.customer.example");
    expect(r.message.en).not.toContain(ip);
    expect(r.message.de).not.toContain(ip);
  });

  it.each(refused.filter((ip) => ip !== "169.254.169.254"))("allows %s with allowPrivate", async (ip) => {
    const r = await checkSmtpTarget("relay.internal.example", 587, { lookup: resolvesTo(ip), allowPrivate: true });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.address).toBe(ip);
  });

  it("keeps the metadata endpoint blocked even with allowPrivate", async () => {
    const r = await checkSmtpTarget("meta.example", 587, { lookup: resolvesTo("169.254.169.254"), allowPrivate: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.category).toBe("metadata");
  });

  it("refuses a name with one public and one private address (attacker-controlled order)", async () => {
    const r = await checkSmtpTarget("mixed.example", 587, { lookup: resolvesTo("93.184.216.34", "10.0.0.1") });
    expect(r.ok).toBe(false);
  });

  it("returns the checked address to connect to, IPv4 first, resolving once", async () => {
    const lookup = resolvesTo("2a00:1450:4001:82b::201a", "93.184.216.34");
    const r = await checkSmtpTarget("SMTP.Customer.Example.", 465, { lookup });
    expect(r).toEqual({
      ok: true,
      hostname: "smtp.customer.example",
      port: 465,
      address: "93.184.216.34",
      family: 4,
      addresses: ["2a00:1450:4001:82b::201a", "93.184.216.34"],
    });
    expect(lookup.calls).toEqual(["smtp.customer.example"]);
  });

  it("checks IP literals without a lookup", async () => {
    const lookup = resolvesTo("93.184.216.34");
    expect((await checkSmtpTarget("127.0.0.1", 25, { lookup })).ok).toBe(false);
    expect((await checkSmtpTarget("[::1]", 25, { lookup })).ok).toBe(false);
    expect((await checkSmtpTarget("93.184.216.34", 25, { lookup })).ok).toBe(true);
    expect(lookup.calls).toEqual([]);
  });

  it("allows only the SMTP ports unless the operator widens the list", async () => {
    const lookup = resolvesTo("93.184.216.34");
    for (const port of [25, 465, 587, 2525]) expect((await checkSmtpTarget("smtp.example.com", port, { lookup })).ok).toBe(true);
    for (const port of [22, 80, 443, 3306, 5432, 6379, 8080, 0, 70000]) {
      const r = await checkSmtpTarget("smtp.example.com", port, { lookup });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toBe("port_not_allowed");
    }
    expect((await checkSmtpTarget("smtp.example.com", 1025, { lookup, allowedPorts: parseAllowedPorts("25,587,1025") })).ok).toBe(true);
  });

  it("refuses malformed host input and reports names that do not resolve", async () => {
    for (const bad of ["smtp://smtp.example.com", "smtp.example.com:587", "user@smtp.example.com", "exa mple.com", "", "-bad.example"]) {
      const r = await checkSmtpTarget(bad, 587, { lookup: resolvesTo("93.184.216.34") });
      expect(r.ok ? "ok" : r.reason).toBe("invalid_host");
    }
    const failing: LookupFn = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    const r = await checkSmtpTarget("nonexistent.example", 587, { lookup: failing });
    expect(r.ok ? "ok" : r.reason).toBe("not_found");
    const hanging: LookupFn = () => new Promise(() => {});
    const slow = await checkSmtpTarget("slow.example", 587, { lookup: hanging, lookupTimeoutMs: 50 });
    expect(slow.ok ? "ok" : slow.reason).toBe("not_found");
  });

  it("uses the real resolver by default (localhost is loopback)", async () => {
    const r = await checkSmtpTarget("localhost", 587);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.category).toBe("loopback");
  });

  it("parses operator settings", () => {
    expect(parseAllowedPorts(undefined)).toEqual([25, 465, 587, 2525]);
    expect(parseAllowedPorts(" 587, 2525 ")).toEqual([587, 2525]);
    expect(() => parseAllowedPorts("587,http")).toThrow(/SMTP_ALLOWED_PORTS/);
    expect(parseBooleanFlag("true")).toBe(true);
    expect(parseBooleanFlag("1")).toBe(true);
    expect(parseBooleanFlag("0")).toBe(false);
    expect(parseBooleanFlag(undefined)).toBe(false);
    expect(normalizeHost("[2001:db8::1]")).toBe("2001:db8::1");
  });
});
