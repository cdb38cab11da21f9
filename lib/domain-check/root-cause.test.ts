/** The root cause against the real check on the loopback DNS server: unknown names answer NXDOMAIN. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type TestDnsServer } from "../testing/dns-server";
import { runDomainCheck } from "./check";
import { createResolver } from "./resolver";
import { rootCause } from "./root-cause";

const profile = { spfIncludes: ["secure-mailgate.com"], gatewayIps: ["192.0.2.10"] };
let server: TestDnsServer;

beforeAll(async () => {
  server = await startDnsServer({
    "firma.example": { TXT: ["v=spf1 include:secure-mailgate.com -all"], MX: [{ priority: 10, exchange: "mx.firma.example" }] },
    "mx.firma.example": { A: ["198.51.100.1"] },
    "secure-mailgate.com": { TXT: ["v=spf1 ip4:192.0.2.0/24 -all"] },
  });
});
afterAll(async () => {
  await server?.close();
});

const check = (domain: string) =>
  runDomainCheck(domain, { resolver: createResolver({ servers: [server.address], timeoutMs: 150, tries: 1 }), profile });
const asView = (r: Awaited<ReturnType<typeof check>>) => ({ domain: r.domain, steps: r.steps.map((s) => ({ ...s, done: true })) });

describe("rootCause", () => {
  it("a domain that does not resolve gets one finding; every other step is a follow-on", async () => {
    const report = await check("firma-tippfehler.example");
    // Without the root cause the check lists several problems for what is one typo.
    expect(report.findings.filter((f) => f.status === "error").length).toBeGreaterThan(1);
    const cause = rootCause(asView(report));
    expect(cause?.title.de).toBe("Unser DNS-Server findet firma-tippfehler.example nicht");
    expect(cause?.action.de).toBe("Prüfen Sie die Schreibweise oder fragen Sie Ihre IT, ob die Domain firma-tippfehler.example öffentlich ist.");
    expect(cause?.title.en).toBe("Our DNS server cannot find firma-tippfehler.example");
    expect(cause?.followOn).toEqual(["spf-records", "spf-evaluation", "mx", "dmarc", "dkim"]);
  });

  it("a domain that exists has no root cause, however many problems it has", async () => {
    expect(rootCause(asView(await check("firma.example")))).toBeNull();
  });

  it("a running check shows no root cause before the TXT step is done", () => {
    expect(rootCause({ domain: "x.example", steps: [{ step: "txt", done: false, findings: [{ code: "txt.nxdomain", status: "error" }] }] })).toBeNull();
  });
});
