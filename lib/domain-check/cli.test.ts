/** `postillion spf` and `postillion dns-check` as separate processes, against the loopback DNS server. */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../testing/cli";
import { loadZoneFile, startDnsServer, type TestDnsServer } from "../testing/dns-server";

let server: TestDnsServer;

// Every run starts a Node process (~1 s idle, 10–15 s on a busy 2-core machine) and some
// tests start two: the default 20 s would time out on load, not on a fault.
vi.setConfig({ testTimeout: 120_000 });

beforeAll(async () => {
  const zone = await loadZoneFile(path.join(import.meta.dirname, "fixtures/check-zone.json"));
  zone["exp.example"] = { TXT: ["v=spf1 include:secure-mailgate.com -all exp=why.exp.example"] };
  zone["why.exp.example"] = { TXT: ["%{i} may not send for %{d}"] };
  server = await startDnsServer(zone);
});
afterAll(async () => {
  await server?.close();
});

function run(args: string[], env: Record<string, string> = {}) {
  return runCli(args, { env: { DNS_SERVERS: "", PLATFORM_SPF_INCLUDES: "", PLATFORM_GATEWAY_IPS: "", ...env } });
}

describe("postillion spf", () => {
  it("prints exactly one JSON document {result, explanation, lookups}", async () => {
    const r = await run(["spf", "--ip", "192.0.2.10", "--domain", "chain.example", "--dns", server.address, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(["result", "explanation", "lookups"]);
    expect(doc).toMatchObject({ result: "pass", lookups: 4 });
    expect(typeof doc.explanation).toBe("string");
  });

  it("reports fail with the domain's explanation; sender and HELO are accepted", async () => {
    const r = await run([
      "spf", "--ip", "203.0.113.9", "--domain", "exp.example", "--sender", "hr@exp.example", "--helo", "mail.example.org",
      "--dns", server.address, "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ result: "fail", explanation: "203.0.113.9 may not send for exp.example", lookups: 1 });
  });

  it("takes DNS_SERVERS when --dns is absent; temperror is a result, not a crash", async () => {
    const r = await run(["spf", "--ip", "192.0.2.10", "--domain", "slowinclude.example", "--json"], { DNS_SERVERS: server.address });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).result).toBe("temperror");
  });

  it("prints a line without --json", async () => {
    const r = await run(["spf", "--ip", "192.0.2.10", "--domain", "two.example", "--dns", server.address]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^permerror: .*multiple SPF records/);
  });

  it("usage errors go to stderr with a non-zero exit and nothing on stdout", async () => {
    const cases = [
      ["spf", "--domain", "good.example", "--json"],
      ["spf", "--ip", "not-an-ip", "--domain", "good.example", "--json"],
      ["spf", "--ip", "192.0.2.10", "--domain", "good.example", "--sender", "a@other.example", "--json"],
      ["spf", "--ip", "192.0.2.10", "--domain", "good.example", "--dns", "dns.example:53", "--json"],
    ];
    // In parallel: four process starts one after another take minutes on a loaded machine.
    const results = await Promise.all(cases.map((args) => run(args)));
    for (const [i, r] of results.entries()) {
      const args = cases[i]!;
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^postillion spf: /);
    }
  });
});

describe("postillion dns-check", () => {
  it("prints the full findings as one JSON document", async () => {
    const r = await run(["dns-check", "--domain", "good.example", "--dns", server.address, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe("green");
    expect(report.steps.map((s: { step: string }) => s.step)).toEqual(["txt", "spf-records", "spf-evaluation", "mx", "dmarc", "dkim"]);
    expect(report.findings.length).toBeGreaterThan(5);
    expect(report.findings[0]).toHaveProperty("title.de");
  });

  it("uses the platform profile from the environment", async () => {
    const r = await run(["dns-check", "--domain", "good.example", "--dns", server.address, "--json"], {
      PLATFORM_SPF_INCLUDES: "ilearn24.net",
      PLATFORM_GATEWAY_IPS: "198.51.100.99",
    });
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe("not_ready");
    expect(report.spf.suggestion.record).toBe("v=spf1 include:secure-mailgate.com include:ilearn24.net -all");
    expect(report.spf.evaluations[0]).toMatchObject({ ip: "198.51.100.99", result: "fail" });
  });

  it("streams the steps as text without --json, in German on request", async () => {
    const r = await run(["dns-check", "--domain", "nomx.example", "--dns", server.address, "--locale", "de"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("[ERR ] Kann die Domain E-Mails empfangen? (MX)");
    expect(r.stdout).toMatch(/Rot: /);
  });

  it("rejects an invalid domain or profile with a message on stderr", async () => {
    const bad = await run(["dns-check", "--domain", "hr@firma.de", "--json"]);
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("the part after the @");
    const profile = await run(["dns-check", "--domain", "good.example", "--dns", server.address, "--json"], { PLATFORM_GATEWAY_IPS: "nope" });
    expect(profile.code, profile.stderr).toBe(1);
    expect(profile.stderr).toContain("PLATFORM_GATEWAY_IPS");
  });
});
