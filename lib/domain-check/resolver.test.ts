/** The injected resolver, against the loopback DNS server. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type TestDnsServer } from "../testing/dns-server";
import { createResolver, overlayTxtResolver, parseDnsServers, withDeadline } from "./resolver";

let server: TestDnsServer;

beforeAll(async () => {
  server = await startDnsServer({
    "ok.test": { TXT: ["hello", ["multi", "part"]], MX: [{ priority: 10, exchange: "mx.ok.test" }] },
    "nodata.test": { A: ["192.0.2.1"] },
    "hang.test": { timeout: true },
    "fail.test": { servfail: true },
    "slow.test": { A: ["192.0.2.2"], delayMs: 300 },
  });
});
afterAll(async () => {
  await server?.close();
});

const resolverFor = (extra: { deadlineMs?: number } = {}) =>
  createResolver({ servers: [server.address], timeoutMs: 100, tries: 1, ...extra });

describe("parseDnsServers", () => {
  it("accepts IP:PORT, bare IPs and bracketed IPv6", () => {
    expect(parseDnsServers(["127.0.0.1:5353", " 10.0.0.1 ", "[::1]:53", "::1", ""])).toEqual([
      "127.0.0.1:5353",
      "10.0.0.1:53",
      "[::1]:53",
      "[::1]:53",
    ]);
  });
  it("rejects host names and bad ports, naming the entry", () => {
    expect(() => parseDnsServers(["dns.example:53"])).toThrow(/dns\.example:53/);
    expect(() => parseDnsServers(["127.0.0.1:99999"])).toThrow(/invalid DNS server/);
  });
});

describe("createResolver", () => {
  it("resolves through the configured server and counts queries", async () => {
    const r = resolverFor();
    expect(r.servers).toEqual([server.address]);
    expect(await r.resolve("ok.test", "TXT")).toEqual([["hello"], ["multi", "part"]]);
    expect(await r.lookup("ok.test", "MX")).toEqual({ status: "ok", records: [{ exchange: "mx.ok.test", priority: 10 }] });
    expect(r.queryCount).toBe(2);
  });

  it("maps NXDOMAIN and NODATA to empty", async () => {
    const r = resolverFor();
    expect(await r.lookup("missing.test", "TXT")).toEqual({ status: "empty", reason: "NXDOMAIN", records: [] });
    expect(await r.lookup("nodata.test", "TXT")).toEqual({ status: "empty", reason: "NODATA", records: [] });
  });

  it("maps timeouts and SERVFAIL to temporary", async () => {
    const r = resolverFor();
    expect(await r.lookup("hang.test", "TXT")).toMatchObject({ status: "temporary", reason: "TIMEOUT" });
    expect(await r.lookup("fail.test", "TXT")).toMatchObject({ status: "temporary", reason: "SERVFAIL" });
  });

  it("keeps Node's error codes on resolve() (the shape mailauth expects)", async () => {
    const r = resolverFor();
    await expect(r.resolve("missing.test", "TXT")).rejects.toMatchObject({ code: "ENOTFOUND" });
    await expect(r.resolve("hang.test", "TXT")).rejects.toMatchObject({ code: "ETIMEOUT" });
  });
});

describe("deadline", () => {
  it("fails queries running past the deadline as a temporary DEADLINE", async () => {
    const r = withDeadline(createResolver({ servers: [server.address], timeoutMs: 2000, tries: 1 }), 100);
    const t0 = performance.now();
    expect(await r.lookup("slow.test", "A")).toMatchObject({ status: "temporary", reason: "DEADLINE" });
    expect(performance.now() - t0).toBeLessThan(250);
    // After the deadline nothing is asked any more.
    const before = server.queries.length;
    expect(await r.lookup("ok.test", "TXT")).toMatchObject({ status: "temporary", reason: "DEADLINE" });
    expect(server.queries.length).toBe(before);
    await expect(r.resolve("ok.test", "TXT")).rejects.toMatchObject({ code: "ETIMEOUT" });
  });

  it("createResolver applies deadlineMs", async () => {
    const r = resolverFor({ deadlineMs: 50 });
    expect(await r.lookup("slow.test", "A")).toMatchObject({ status: "temporary", reason: "DEADLINE" });
  });
});

describe("overlayTxtResolver", () => {
  it("answers TXT for one name from the overlay and everything else live", async () => {
    const r = overlayTxtResolver(resolverFor(), "OK.test.", [["v=spf1 -all"]]);
    expect(await r.resolve("ok.test", "TXT")).toEqual([["v=spf1 -all"]]);
    expect(await r.lookup("ok.test", "MX")).toMatchObject({ status: "ok" });
    expect(await r.lookup("missing.test", "TXT")).toMatchObject({ status: "empty", reason: "NXDOMAIN" });
  });
});
