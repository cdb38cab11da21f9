/** The loopback test DNS server (lib/testing/dns-server.ts), queried with Node's real resolver. */
import dns from "node:dns";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadZoneFile, startDnsServer, type TestDnsServer } from "../testing/dns-server";

let server: TestDnsServer;
let resolver: dns.promises.Resolver;

const LONG = "v=DKIM1; k=rsa; p=" + "A".repeat(2000);

beforeAll(async () => {
  server = await startDnsServer({
    "multi.test": { TXT: [["v=spf1 ip4:192.0.2.1", " -all"], "plain"], A: ["192.0.2.1"], AAAA: ["2001:db8::1"] },
    "long.test": { TXT: [LONG] },
    "mx.test": { MX: [{ priority: 20, exchange: "b.mx.test" }, { priority: 10, exchange: "a.mx.test" }] },
    "nullmx.test": { MX: [{ priority: 0, exchange: "." }] },
    "alias.test": { CNAME: "multi.test" },
    "loop1.test": { CNAME: "loop2.test" },
    "loop2.test": { CNAME: "loop1.test" },
    "1.2.0.192.in-addr.arpa": { PTR: ["host.multi.test"] },
    "nodata.test": { A: ["192.0.2.9"] },
    "notxt.test": { TXT: [] },
    "hang.test": { timeout: true },
    "partial.test": { A: ["192.0.2.7"], timeout: true },
    "fail.test": { servfail: true },
    "slow.test": { A: ["192.0.2.8"], delayMs: 150 },
    "a.b.deep.test": { A: ["192.0.2.10"] },
  });
  resolver = new dns.promises.Resolver({ timeout: 100, tries: 1 });
  resolver.setServers([server.address]);
});
afterAll(async () => {
  await server?.close();
});

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

describe("startDnsServer", () => {
  it("listens on 127.0.0.1, UDP and TCP on one port below the ephemeral range", async () => {
    expect(server.host).toBe("127.0.0.1");
    expect(server.port).toBeGreaterThanOrEqual(20000);
    expect(server.port).toBeLessThan(32768);
    expect(server.address).toBe(`127.0.0.1:${server.port}`);
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port: server.port }, () => {
        socket.destroy();
        resolve();
      });
      socket.on("error", reject);
    });
  });

  it("serves TXT records with their character-strings, A, AAAA and PTR", async () => {
    expect(await resolver.resolveTxt("multi.test")).toEqual([["v=spf1 ip4:192.0.2.1", " -all"], ["plain"]]);
    expect(await resolver.resolve4("MULTI.test")).toEqual(["192.0.2.1"]);
    expect(await resolver.resolve6("multi.test")).toEqual(["2001:db8::1"]);
    expect(await resolver.reverse("192.0.2.1")).toEqual(["host.multi.test"]);
  });

  it("splits long TXT strings at 255 octets and answers over TCP when UDP is truncated", async () => {
    const before = server.queries.length;
    const txt = await resolver.resolveTxt("long.test");
    expect(txt).toHaveLength(1);
    expect(txt[0]!.join("")).toBe(LONG);
    expect(txt[0]!.every((s) => s.length <= 255)).toBe(true);
    const transports = server.queries.slice(before).map((q) => q.transport);
    expect(transports).toEqual(["udp", "tcp"]);
  });

  it("serves MX records and the null MX", async () => {
    const mx = await resolver.resolveMx("mx.test");
    expect(mx.sort((a, b) => a.priority - b.priority)).toEqual([
      { exchange: "a.mx.test", priority: 10 },
      { exchange: "b.mx.test", priority: 20 },
    ]);
    expect(await resolver.resolveMx("nullmx.test")).toEqual([{ exchange: "", priority: 0 }]);
  });

  it("follows CNAMEs and answers SERVFAIL for a CNAME loop", async () => {
    expect(await resolver.resolve4("alias.test")).toEqual(["192.0.2.1"]);
    expect(await code(resolver.resolve4("loop1.test"))).toBe("ESERVFAIL");
  });

  it("answers NXDOMAIN for unknown names and NODATA for missing types and empty non-terminals", async () => {
    expect(await code(resolver.resolveTxt("unknown.test"))).toBe("ENOTFOUND");
    expect(await code(resolver.resolveTxt("nodata.test"))).toBe("ENODATA");
    expect(await code(resolver.resolveTxt("notxt.test"))).toBe("ENODATA");
    expect(await code(resolver.resolve4("b.deep.test"))).toBe("ENODATA");
  });

  it("never answers a timeout name, and answers SERVFAIL on request", async () => {
    expect(await code(resolver.resolveTxt("hang.test"))).toBe("ETIMEOUT");
    expect(await resolver.resolve4("partial.test")).toEqual(["192.0.2.7"]);
    expect(await code(resolver.resolveTxt("partial.test"))).toBe("ETIMEOUT");
    expect(await code(resolver.resolveTxt("fail.test"))).toBe("ESERVFAIL");
  });

  it("delays answers on request", async () => {
    const t0 = performance.now();
    const slow = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
    slow.setServers([server.address]);
    expect(await slow.resolve4("slow.test")).toEqual(["192.0.2.8"]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("logs queries and serves a replaced zone", async () => {
    const other = await startDnsServer({ "x.test": { A: ["192.0.2.1"] } });
    try {
      const r = new dns.promises.Resolver({ timeout: 200, tries: 1 });
      r.setServers([other.address]);
      expect(await r.resolve4("x.test")).toEqual(["192.0.2.1"]);
      other.setZone({ "x.test": { A: ["192.0.2.2"] } });
      expect(await r.resolve4("x.test")).toEqual(["192.0.2.2"]);
      expect(other.queries.map((q) => `${q.name}/${q.type}`)).toEqual(["x.test/A", "x.test/A"]);
    } finally {
      await other.close();
    }
  });

  it("loads zones from a JSON fixture file", async () => {
    const zone = await loadZoneFile(path.join(import.meta.dirname, "fixtures/check-zone.json"));
    expect(zone["good.example"]?.TXT).toContain("v=spf1 include:secure-mailgate.com -all");
  });

  it("starts several servers side by side and closes idempotently", async () => {
    const servers = await Promise.all([startDnsServer(), startDnsServer(), startDnsServer()]);
    expect(new Set(servers.map((s) => s.port)).size).toBe(3);
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(servers.map((s) => s.close()));
  });
});
