/**
 * The suggested record: merge rules, and proof that what we suggest works —
 * each suggestion is published in the loopback zone and evaluated there.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type TestDnsServer, type Zone } from "../testing/dns-server";
import { createResolver } from "./resolver";
import { checkHost } from "./spf";
import { addInclude, mergeRecords, newRecord, suggestRecordText, suggestSpf } from "./suggest";

const PLATFORM = ["secure-mailgate.com", "reflact-train.com", "ilearn24.net"];
const GATEWAY = "192.0.2.10";

const baseZone: Zone = {
  "secure-mailgate.com": { TXT: ["v=spf1 ip4:192.0.2.0/24 -all"] },
  "reflact-train.com": { TXT: ["v=spf1 ip4:192.0.2.0/24 -all"] },
  "_spf.mailer.example": { TXT: ["v=spf1 ip4:203.0.113.0/28 ~all"] },
  "_spf.viaplatform.example": { TXT: ["v=spf1 include:reflact-train.com ~all"] },
  "none.example": { TXT: ["other=1"] },
  "one.example": { TXT: ["v=spf1 ip4:198.51.100.0/24 mx ~all", "other=1"], MX: [{ priority: 10, exchange: "mx.one.example" }] },
  "mx.one.example": { A: ["198.51.100.25"] },
  "redirect.example": { TXT: ["v=spf1 mx redirect=_spf.mailer.example"] },
  "two.example": { TXT: ["v=spf1 include:_spf.mailer.example -all", "v=spf1 ip4:203.0.113.5 ~all"] },
  "indirect.example": { TXT: ["v=spf1 include:_spf.viaplatform.example -all"] },
  "heavy.example": {
    TXT: ["v=spf1 a mx include:h1.heavy.example include:h2.heavy.example include:h3.heavy.example ~all"],
    A: ["198.51.100.1"],
    MX: [{ priority: 10, exchange: "mx.one.example" }],
  },
  "h1.heavy.example": { TXT: ["v=spf1 a:mx.one.example mx:one.example exists:e.heavy.example ~all"] },
  "h2.heavy.example": { TXT: ["v=spf1 a:mx.one.example ~all"] },
  "h3.heavy.example": { TXT: ["v=spf1 a:mx.one.example ~all"] },
  "e.heavy.example": { A: ["127.0.0.2"] },
};

let server: TestDnsServer;
beforeAll(async () => {
  server = await startDnsServer(baseZone);
});
afterAll(async () => {
  await server?.close();
});
const resolver = () => createResolver({ servers: [server.address], timeoutMs: 200, tries: 1 });

describe("record text", () => {
  it("creates a minimal record", () => {
    expect(newRecord("secure-mailgate.com")).toBe("v=spf1 include:secure-mailgate.com ~all");
  });

  it("adds the include before all, keeping every other term as written", () => {
    expect(addInclude("v=spf1 ip4:198.51.100.0/24 MX ~all", "secure-mailgate.com")).toBe(
      "v=spf1 ip4:198.51.100.0/24 MX include:secure-mailgate.com ~all",
    );
    expect(addInclude("v=spf1 a -all exp=x.example", "s.example")).toBe("v=spf1 a include:s.example -all exp=x.example");
    expect(addInclude("v=spf1 +all", "s.example")).toBe("v=spf1 include:s.example +all");
  });

  it("adds the include before redirect when there is no all", () => {
    expect(addInclude("v=spf1 mx redirect=_spf.example.com", "s.example")).toBe("v=spf1 mx include:s.example redirect=_spf.example.com");
  });

  it("appends the include when there is neither", () => {
    expect(addInclude("v=spf1 ip4:192.0.2.1 ", "s.example")).toBe("v=spf1 ip4:192.0.2.1 include:s.example");
  });

  it("merges several records into one", () => {
    const merged = mergeRecords([
      "v=spf1 include:_spf.google.com ip4:192.0.2.1 -all",
      "v=spf1 ip4:192.0.2.1 +a ~all",
      "v=spf1 a redirect=_spf.other.example",
    ]);
    expect(merged.record).toBe("v=spf1 include:_spf.google.com ip4:192.0.2.1 +a include:_spf.other.example ~all");
    expect(merged.notes.map((n) => n.code)).toEqual(["redirect-converted"]);
  });

  it("never merges into +all, and drops invalid terms with a note", () => {
    const merged = mergeRecords(["v=spf1 ip4:192.0.2.1 +all", "v=spf1 ip4:10.0.0.300 -all"]);
    expect(merged.record).toBe("v=spf1 ip4:192.0.2.1 ~all");
    expect(merged.notes.map((n) => n.code).sort()).toEqual(["invalid-term-dropped", "plus-all-replaced"]);
  });

  it("suggests nothing when the record already reaches the platform", async () => {
    expect(await suggestRecordText(["v=spf1 include:reflact-train.com -all"], PLATFORM, async () => false)).toBeNull();
    expect(await suggestRecordText(["v=spf1 include:_spf.x.example -all"], PLATFORM, async () => true)).toBeNull();
  });
});

/** Publishes `record` as the domain's only SPF record in the zone and evaluates it over DNS. */
async function publishAndCheck(domain: string, record: string) {
  const entry = baseZone[domain] ?? {};
  const otherTxt = (entry.TXT ?? []).filter((t) => !(typeof t === "string" ? t : t.join("")).startsWith("v=spf1"));
  server.setZone({ ...baseZone, [domain]: { ...entry, TXT: [...otherTxt, record] } });
  try {
    return await checkHost({ ip: GATEWAY, domain, resolver: resolver() });
  } finally {
    server.setZone(baseZone);
  }
}

async function suggestionFor(domain: string) {
  const r = resolver();
  const txt = await r.resolve(domain, "TXT");
  return suggestSpf(domain, { resolver: r, platformIncludes: PLATFORM, gatewayIps: [GATEWAY], txt });
}

describe("suggestSpf, evaluated over DNS", () => {
  it("no record: the new record passes once published", async () => {
    expect((await checkHost({ ip: GATEWAY, domain: "none.example", resolver: resolver() })).result).toBe("none");
    const s = (await suggestionFor("none.example"))!;
    expect(s).toMatchObject({ kind: "create", record: "v=spf1 include:secure-mailgate.com ~all", lookups: 1, overLookupLimit: false });
    expect(s.evaluations.map((e) => e.result)).toEqual(["pass"]);
    expect((await publishAndCheck("none.example", s.record)).result).toBe("pass");
  });

  it("one record without the include: merged, never a second record, and the merged record passes", async () => {
    expect((await checkHost({ ip: GATEWAY, domain: "one.example", resolver: resolver() })).result).toBe("softfail");
    const s = (await suggestionFor("one.example"))!;
    expect(s.kind).toBe("add-include");
    expect(s.record).toBe("v=spf1 ip4:198.51.100.0/24 mx include:secure-mailgate.com ~all");
    expect(s.replaces).toEqual(["v=spf1 ip4:198.51.100.0/24 mx ~all"]);
    expect(s.lookups).toBe(2);
    expect(s.evaluations).toEqual([expect.objectContaining({ ip: GATEWAY, result: "pass" })]);
    const published = await publishAndCheck("one.example", s.record);
    expect(published.result).toBe("pass");
    // Other senders in the record keep working.
    server.setZone({ ...baseZone, "one.example": { ...baseZone["one.example"], TXT: [s.record] } });
    try {
      expect((await checkHost({ ip: "198.51.100.25", domain: "one.example", resolver: resolver() })).result).toBe("pass");
    } finally {
      server.setZone(baseZone);
    }
  });

  it("record with redirect: the include goes before redirect= and passes", async () => {
    const s = (await suggestionFor("redirect.example"))!;
    expect(s.record).toBe("v=spf1 mx include:secure-mailgate.com redirect=_spf.mailer.example");
    expect((await publishAndCheck("redirect.example", s.record)).result).toBe("pass");
  });

  it("two records: ONE merged record with the include, which passes", async () => {
    expect((await checkHost({ ip: GATEWAY, domain: "two.example", resolver: resolver() })).result).toBe("permerror");
    const s = (await suggestionFor("two.example"))!;
    expect(s.kind).toBe("merge");
    expect(s.record).toBe("v=spf1 include:_spf.mailer.example ip4:203.0.113.5 include:secure-mailgate.com ~all");
    expect(s.replaces).toHaveLength(2);
    expect((await publishAndCheck("two.example", s.record)).result).toBe("pass");
    server.setZone({ ...baseZone, "two.example": { TXT: [s.record] } });
    try {
      expect((await checkHost({ ip: "203.0.113.5", domain: "two.example", resolver: resolver() })).result).toBe("pass");
      expect((await checkHost({ ip: "203.0.113.3", domain: "two.example", resolver: resolver() })).result).toBe("pass");
    } finally {
      server.setZone(baseZone);
    }
  });

  it("nothing to suggest when an include reaches the platform indirectly", async () => {
    expect(await suggestionFor("indirect.example")).toBeNull();
  });

  it("warns when the merged record would exceed 10 lookups", async () => {
    const s = (await suggestionFor("heavy.example"))!;
    expect(s.lookups).toBe(11);
    expect(s.overLookupLimit).toBe(true);
  });
});
