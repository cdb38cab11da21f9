/** The whole domain check, against the loopback DNS server serving fixtures/check-zone.json. */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadZoneFile, startDnsServer, type TestDnsServer, type Zone } from "../testing/dns-server";
import { CHECK_STEPS, pendingSteps, runDomainCheck, type DomainCheckReport, type StepReport } from "./check";
import { dkimTxtRecord, generateDkimKeyPair, type DkimKeyPair } from "./dkim";
import { createResolver } from "./resolver";
import { checkHost } from "./spf";

const profile = { spfIncludes: ["secure-mailgate.com", "reflact-train.com", "ilearn24.net"], gatewayIps: ["192.0.2.10"] };
let server: TestDnsServer;
let zone: Zone;
let key: DkimKeyPair;
let otherKey: DkimKeyPair;

beforeAll(async () => {
  zone = await loadZoneFile(path.join(import.meta.dirname, "fixtures/check-zone.json"));
  [key, otherKey] = await Promise.all([generateDkimKeyPair(), generateDkimKeyPair()]);
  zone["pst1._domainkey.good.example"] = { TXT: [dkimTxtRecord(key.publicKeyPem, "pst1", "good.example").strings] };
  zone["old._domainkey.good.example"] = { TXT: [dkimTxtRecord(otherKey.publicKeyPem, "old", "good.example").value] };
  zone["gone._domainkey.good.example"] = { TXT: ["v=DKIM1; k=rsa; p="] };
  server = await startDnsServer(zone);
});
afterAll(async () => {
  await server?.close();
});

const resolver = () => createResolver({ servers: [server.address], timeoutMs: 150, tries: 1 });

async function check(domain: string, extra: Partial<Parameters<typeof runDomainCheck>[1]> = {}): Promise<DomainCheckReport> {
  return runDomainCheck(domain, { resolver: resolver(), profile, ...extra });
}

const codes = (r: DomainCheckReport) => r.findings.map((f) => f.code);
const finding = (r: DomainCheckReport, code: string) => r.findings.find((f) => f.code === code);

describe("runDomainCheck", () => {
  it("good domain: green, each step streamed in order, every finding in German and English", async () => {
    const seen: StepReport[] = [];
    const r = await check("Good.Example.", { onStep: (s) => void seen.push(s) });
    expect(r.domain).toBe("good.example");
    expect(r.verdict).toBe("green");
    expect(seen.map((s) => s.step)).toEqual([...CHECK_STEPS]);
    expect(r.steps.map((s) => s.step)).toEqual([...CHECK_STEPS]);
    expect(r.spf.records).toEqual(["v=spf1 include:secure-mailgate.com -all"]);
    expect(r.spf.evaluations).toEqual([expect.objectContaining({ ip: "192.0.2.10", result: "pass" })]);
    expect(r.spf.platformIncludesReached).toEqual(["secure-mailgate.com"]);
    expect(r.spf.lookups).toBe(1);
    expect(r.spf.suggestion).toBeNull();
    expect(r.mx?.records.map((m) => m.exchange)).toEqual(["mx1.good.example", "mx2.good.example"]);
    expect(r.dmarc).toMatchObject({ policy: "reject", pct: 100, rua: ["mailto:dmarc@good.example"], inherited: false });
    for (const f of r.findings) {
      expect(f.title.de && f.title.en && f.detail.de && f.detail.en).toBeTruthy();
      expect(f.title.de).not.toBe(f.title.en);
    }
    expect(r.dnsQueries).toBeGreaterThan(0);
  });

  it("pending steps for the UI's first paint", () => {
    expect(pendingSteps().map((s) => [s.step, s.status])).toEqual(CHECK_STEPS.map((s) => [s, "pending"]));
  });

  it("no SPF record: error with the record to create, which would pass", async () => {
    const r = await check("none.example");
    expect(r.verdict).toBe("not_ready");
    expect(finding(r, "spf.none")?.status).toBe("error");
    expect(finding(r, "spf.none")?.raw?.[0]).toBe("v=spf1 include:secure-mailgate.com ~all");
    expect(r.spf.suggestion?.kind).toBe("create");
    expect(finding(r, "spf.suggestion-passes")?.status).toBe("ok");
    expect(r.spf.evaluations[0]?.result).toBe("none");
  });

  it("one SPF record with the include: ok", async () => {
    const r = await check("chain.example");
    expect(codes(r)).toContain("spf.platform-included");
    expect(r.verdict).toBe("green");
  });

  it("one SPF record without the include: the merge suggestion, and it passes once published", async () => {
    const r = await check("noinclude.example");
    expect(r.verdict).toBe("not_ready");
    const missing = finding(r, "spf.platform-missing")!;
    expect(missing.status).toBe("error");
    const s = r.spf.suggestion!;
    expect(s.record).toBe("v=spf1 ip4:198.51.100.0/24 mx include:secure-mailgate.com ~all");
    expect(s.lookups).toBe(2);
    expect(missing.action?.en).toContain(s.record);
    expect(missing.action?.de).toContain(s.record);
    expect(missing.detail.en).toMatch(/second SPF record/);
    expect(r.spf.evaluations[0]?.result).toBe("softfail");
    expect(s.evaluations[0]?.result).toBe("pass");
    // Serve the merged record and evaluate it for real, then re-run the whole check.
    server.setZone({ ...zone, "noinclude.example": { ...zone["noinclude.example"], TXT: [s.record] } });
    try {
      expect((await checkHost({ ip: "192.0.2.10", domain: "noinclude.example", resolver: resolver() })).result).toBe("pass");
      const after = await check("noinclude.example");
      expect(after.verdict).toBe("green");
      expect(after.spf.suggestion).toBeNull();
    } finally {
      server.setZone(zone);
    }
  });

  it("two SPF records: error with ONE merged record", async () => {
    const r = await check("two.example");
    expect(r.verdict).toBe("not_ready");
    expect(finding(r, "spf.multiple")?.status).toBe("error");
    expect(r.spf.evaluations[0]?.result).toBe("permerror");
    expect(r.spf.suggestion).toMatchObject({
      kind: "merge",
      record: "v=spf1 include:_spf.mailer.example ip4:203.0.113.5 include:secure-mailgate.com ~all",
    });
    expect(r.spf.suggestion?.evaluations[0]?.result).toBe("pass");
  });

  it("11 lookups: error, not green, though the gateway itself passes", async () => {
    const r = await check("many.example");
    expect(r.spf.lookups).toBe(11);
    expect(finding(r, "spf.too-many-lookups")?.status).toBe("error");
    expect(r.spf.evaluations[0]?.result).toBe("pass");
    expect(r.verdict).toBe("not_ready");
  });

  it("+all: error that anyone may send as the domain", async () => {
    const r = await check("plusall.example");
    const f = finding(r, "spf.plus-all")!;
    expect(f.status).toBe("error");
    expect(f.title.en).toMatch(/Anyone may send/);
    expect(r.verdict).toBe("not_ready");
  });

  it("include chain 3 deep reaches the platform", async () => {
    const r = await check("chain.example");
    expect(r.spf.lookups).toBe(4);
    expect(r.spf.tree?.children[0]?.children[0]?.children[0]?.domain).toBe("c3.chain.example");
    expect(finding(r, "spf.lookups")?.raw?.join("\n")).toContain("c3.chain.example");
  });

  it("redirect reaches the platform", async () => {
    const r = await check("redirect.example");
    expect(r.spf.platformIncludesReached).toEqual(["secure-mailgate.com"]);
    expect(r.spf.tree?.children[0]?.via).toBe("redirect");
    expect(r.verdict).toBe("green");
  });

  it("platform include after -all: reached in the tree, but the gateway fails and nothing is suggested", async () => {
    const r = await check("late.example");
    expect(r.spf.platformIncludesReached).toEqual(["secure-mailgate.com"]);
    expect(r.spf.suggestion).toBeNull();
    expect(finding(r, "spf.terms-after-all")?.status).toBe("warning");
    const f = finding(r, "spf.eval.fail")!;
    expect(f.status).toBe("error");
    expect(f.action?.en).toContain("must come before “all”");
    expect(r.verdict).toBe("not_ready");
  });

  it("converts an internationalized domain to its ASCII form", async () => {
    const r = await check("Bücher.example");
    expect(r.domain).toBe("xn--bcher-kva.example");
    expect(r.verdict).toBe("green");
  });

  it("?all and ptr: warnings", async () => {
    const r = await check("ptr.example");
    expect(finding(r, "spf.neutral-all")?.status).toBe("warning");
    expect(finding(r, "spf.ptr")?.status).toBe("warning");
  });

  it("null MX: error", async () => {
    const r = await check("nullmx.example");
    expect(finding(r, "mx.null")?.status).toBe("error");
    expect(r.mx?.nullMx).toBe(true);
    expect(r.verdict).toBe("not_ready");
  });

  it("no MX: error that the address cannot receive mail (550)", async () => {
    const r = await check("nomx.example");
    const f = finding(r, "mx.none")!;
    expect(f.status).toBe("error");
    expect(f.title.en).toBe("This address cannot receive mail");
    expect(f.detail.en).toContain("550");
    expect(r.verdict).toBe("not_ready");
  });

  it("MX host without address: warning, still green", async () => {
    const r = await check("ghostmx.example");
    expect(finding(r, "mx.host-unresolved")?.status).toBe("warning");
    expect(r.verdict).toBe("green");
  });

  it("timeouts are temporary, never failures", async () => {
    const r = await check("slow.example");
    expect(r.verdict).toBe("temporary");
    expect(r.steps.find((s) => s.step === "txt")?.status).toBe("temporary");
    expect(r.steps.find((s) => s.step === "mx")?.status).toBe("temporary");
    expect(r.findings.filter((f) => ["txt", "spf-records", "spf-evaluation", "mx"].includes(f.step)).every((f) => f.status === "temporary")).toBe(true);
    expect(finding(r, "txt.temporary")?.title.en).toMatch(/^Could not check \(temporary\)/);
    expect(finding(r, "txt.temporary")?.title.de).toMatch(/^Konnte nicht geprüft werden \(vorübergehend\)/);

    const inc = await check("slowinclude.example");
    expect(inc.spf.evaluations[0]?.result).toBe("temperror");
    expect(finding(inc, "spf.eval.temperror")?.status).toBe("temporary");
    expect(inc.verdict).toBe("temporary");
  });

  it("SERVFAIL is temporary", async () => {
    const r = await check("broken.example");
    expect(r.verdict).toBe("temporary");
    expect(finding(r, "txt.temporary")?.raw?.[0]).toContain("SERVFAIL");
  });

  it("the overall deadline turns the rest into temporary", async () => {
    const r = await check("good.example", { deadlineMs: 0 });
    expect(r.verdict).toBe("temporary");
    expect(finding(r, "txt.temporary")?.raw?.[0]).toContain("DEADLINE");
  });

  it("nonexistent domain: error, the rest not checked", async () => {
    const r = await check("does-not-exist.example");
    expect(finding(r, "txt.nxdomain")?.status).toBe("error");
    expect(r.verdict).toBe("not_ready");
  });

  it("DMARC present, absent (with a starter record) and organizational", async () => {
    expect(finding(await check("good.example"), "dmarc.found")?.status).toBe("ok");

    const absent = await check("none.example");
    const none = finding(absent, "dmarc.none")!;
    expect(none.status).toBe("warning");
    expect(none.action?.en).toContain("v=DMARC1; p=none; rua=mailto:");
    expect(none.detail.en).toMatch(/Gmail and Yahoo/);
    expect(none.detail.de).toMatch(/Gmail und Yahoo/);

    const org = await check("mail.org.example");
    expect(org.dmarc).toMatchObject({ domain: "org.example", inherited: true, policy: "reject" });
    expect(finding(org, "dmarc.found")?.title.en).toContain("inherited from org.example");
    expect(codes(org)).toContain("dmarc.alignment");
  });

  it("DKIM: not set up, match, mismatch, revoked, not yet published", async () => {
    expect(finding(await check("good.example"), "dkim.not-set-up")?.status).toBe("pending");
    const match = await check("good.example", { dkimSelector: "pst1", dkimPublicKey: key.publicKeyPem });
    expect(finding(match, "dkim.match")?.status).toBe("ok");
    expect(match.dkim).toMatchObject({ selector: "pst1", name: "pst1._domainkey.good.example", keyMatches: true });
    const mismatch = await check("good.example", { dkimSelector: "old", dkimPublicKey: key.publicKeyBase64 });
    expect(finding(mismatch, "dkim.mismatch")?.status).toBe("error");
    expect(mismatch.dkim?.keyMatches).toBe(false);
    expect(mismatch.verdict).toBe("green"); // DKIM is optional: it never blocks sending
    const revoked = await check("good.example", { dkimSelector: "gone", dkimPublicKey: key.publicKeyPem });
    expect(finding(revoked, "dkim.revoked")?.status).toBe("error");
    const unpublished = await check("good.example", { dkimSelector: "new", dkimPublicKey: key.publicKeyPem });
    const f = finding(unpublished, "dkim.not-published")!;
    expect(f.status).toBe("pending");
    expect(f.action?.en).toContain("new._domainkey.good.example");
    expect(f.action?.en).toContain(`p=${key.publicKeyBase64}`);
  });

  it("long and multi-string TXT records (answered over TCP)", async () => {
    const r = await check("long.example");
    expect(r.txt).toContain("first part of a multi-string record, second part");
    expect(r.spf.records[0]?.length).toBeGreaterThan(255);
    expect(r.verdict).toBe("green");
  });

  it("follows a CNAME at the domain", async () => {
    expect((await check("alias.example")).verdict).toBe("green");
  });
});
