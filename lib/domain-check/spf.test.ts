/** check_host() and the record explained (tree, counts, problems), through the loopback DNS server. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type TestDnsServer } from "../testing/dns-server";
import { createResolver } from "./resolver";
import { checkHost, walkSpf, type SpfTreeNode } from "./spf";

let server: TestDnsServer;
const PLATFORM = ["secure-mailgate.com", "reflact-train.com", "ilearn24.net"];

beforeAll(async () => {
  server = await startDnsServer({
    "secure-mailgate.com": { TXT: ["v=spf1 ip4:192.0.2.0/24 ip6:2001:db8:10::/48 -all"] },
    "pass.example": { TXT: ["v=spf1 include:secure-mailgate.com -all exp=why.pass.example"] },
    "why.pass.example": { TXT: ["%{i} is not one of %{d}'s mail servers (asked by %{r})"] },
    "redir.example": { TXT: ["v=spf1 redirect=target.example exp=ignored.example"] },
    "target.example": { TXT: ["v=spf1 ip4:198.51.100.1 -all exp=why.target.example"] },
    "why.target.example": { TXT: ["Mail from %{c} refused by target"] },
    "ignored.example": { TXT: ["must not be used"] },
    "syntax.example": { TXT: ["v=spf1 include:secure-mailgate.com ip6 -all"] },
    "slow.example": { timeout: true },
    "slowinc.example": { TXT: ["v=spf1 include:slow.example -all"] },
    "void.example": { TXT: ["v=spf1 a:n1.void.example a:n2.void.example a:n3.void.example include:secure-mailgate.com -all"] },
    "chain.example": { TXT: ["v=spf1 include:c1.chain.example -all"] },
    "c1.chain.example": { TXT: ["v=spf1 include:c2.chain.example ~all"] },
    "c2.chain.example": { TXT: ["v=spf1 include:c3.chain.example ~all"] },
    "c3.chain.example": { TXT: ["v=spf1 include:secure-mailgate.com ~all"] },
    "loop.example": { TXT: ["v=spf1 include:loop2.example -all"] },
    "loop2.example": { TXT: ["v=spf1 include:loop.example ~all"] },
    "dangling.example": { TXT: ["v=spf1 include:nowhere.example include:secure-mailgate.com -all"] },
    "macro.example": { TXT: ["v=spf1 exists:%{i}.rbl.example include:%{d2}._spf.example -all"] },
    "eleven.example": {
      TXT: ["v=spf1 include:secure-mailgate.com include:x1.eleven.example include:x2.eleven.example a mx -all"],
      A: ["198.51.100.9"],
      MX: [{ priority: 10, exchange: "mx.eleven.example" }],
    },
    "x1.eleven.example": { TXT: ["v=spf1 a mx exists:e.eleven.example ~all"], A: ["198.51.100.10"], MX: [{ priority: 10, exchange: "mx.eleven.example" }] },
    "e.eleven.example": { A: ["127.0.0.2"] },
    "x2.eleven.example": { TXT: ["v=spf1 a:h1.eleven.example a:h2.eleven.example a:h3.eleven.example ~all"] },
    "h1.eleven.example": { A: ["198.51.100.11"] },
    "h2.eleven.example": { A: ["198.51.100.12"] },
    "h3.eleven.example": { A: ["198.51.100.13"] },
    "mx.eleven.example": { A: ["198.51.100.14"] },
  });
});
afterAll(async () => {
  await server?.close();
});

const resolver = () => createResolver({ servers: [server.address], timeoutMs: 100, tries: 1 });

describe("checkHost", () => {
  it("passes the gateway and counts lookups", async () => {
    const out = await checkHost({ ip: "192.0.2.10", domain: "pass.example", resolver: resolver() });
    expect(out).toMatchObject({ result: "pass", lookups: 1, voidLookups: 0, explanationFromRecord: false });
    expect(out.record).toBe("v=spf1 include:secure-mailgate.com -all exp=why.pass.example");
  });

  it("explains a fail with the domain's exp= text, macros expanded (RFC 7208 §6.2)", async () => {
    const out = await checkHost({ ip: "203.0.113.7", domain: "pass.example", resolver: resolver() });
    expect(out.result).toBe("fail");
    expect(out.explanationFromRecord).toBe(true);
    expect(out.explanation).toBe("203.0.113.7 is not one of pass.example's mail servers (asked by postillion)");
  });

  it("uses the redirect target's exp=, never the original's", async () => {
    const out = await checkHost({ ip: "2001:db8:ff::1", domain: "redir.example", resolver: resolver() });
    expect(out.result).toBe("fail");
    expect(out.explanation).toBe("Mail from 2001:db8:ff::1 refused by target");
    expect(out.lookups).toBe(1);
  });

  it("returns permerror for a syntax error mailauth tolerates (RFC 7208 §4.6)", async () => {
    const out = await checkHost({ ip: "192.0.2.10", domain: "syntax.example", resolver: resolver() });
    expect(out.result).toBe("permerror");
    expect(out.explanation).toContain('"ip6"');
  });

  it("returns temperror, not fail, when an include times out", async () => {
    const out = await checkHost({ ip: "192.0.2.10", domain: "slowinc.example", resolver: resolver() });
    expect(out.result).toBe("temperror");
  });

  it("returns none without a record, and permerror over the void-lookup limit", async () => {
    expect((await checkHost({ ip: "192.0.2.10", domain: "nothing.example", resolver: resolver() })).result).toBe("none");
    const out = await checkHost({ ip: "192.0.2.10", domain: "void.example", resolver: resolver() });
    expect(out.result).toBe("permerror");
    expect(out.explanation).toContain("void");
  });

  it("uses the given sender for macros and the HELO name", async () => {
    const out = await checkHost({ ip: "192.0.2.10", domain: "pass.example", sender: "hr@pass.example", helo: "gw.example", resolver: resolver() });
    expect(out.result).toBe("pass");
  });
});

function find(node: SpfTreeNode, domain: string): SpfTreeNode | undefined {
  if (node.domain === domain) return node;
  for (const c of node.children) {
    const hit = find(c, domain);
    if (hit) return hit;
  }
  return undefined;
}

describe("walkSpf", () => {
  it("follows an include chain 3 deep to the platform include", async () => {
    const s = await walkSpf("chain.example", { resolver: resolver(), platformIncludes: PLATFORM });
    expect(s.platformIncludesReached).toEqual(["secure-mailgate.com"]);
    expect(s.lookups).toBe(4);
    const c3 = find(s.tree, "c3.chain.example")!;
    expect(c3.record).toBe("v=spf1 include:secure-mailgate.com ~all");
    expect(c3.via).toBe("include");
    expect(find(s.tree, "secure-mailgate.com")?.platform).toBe(true);
  });

  it("follows redirect and counts it", async () => {
    const s = await walkSpf("redir.example", { resolver: resolver(), platformIncludes: PLATFORM });
    expect(s.tree.children.map((c) => [c.via, c.domain])).toEqual([["redirect", "target.example"]]);
    expect(s.lookups).toBe(1);
    expect(s.platformIncludesReached).toEqual([]);
  });

  it("counts 11 lookups through includes and reports the limit", async () => {
    const s = await walkSpf("eleven.example", { resolver: resolver(), platformIncludes: PLATFORM });
    expect(s.lookups).toBe(11);
    expect(s.problems.map((p) => p.code)).toContain("too-many-lookups");
    expect(s.voidLookups).toBe(0);
  });

  it("counts void lookups", async () => {
    const s = await walkSpf("void.example", { resolver: resolver(), platformIncludes: PLATFORM });
    expect(s.voidLookups).toBe(3);
    expect(s.problems.map((p) => p.code)).toContain("too-many-void-lookups");
  });

  it("detects loops, dangling includes, timeouts and leaves macro targets alone", async () => {
    const loop = await walkSpf("loop.example", { resolver: resolver(), platformIncludes: PLATFORM });
    expect(loop.problems.map((p) => p.code)).toContain("loop");
    const dangling = await walkSpf("dangling.example", { resolver: resolver(), platformIncludes: PLATFORM });
    expect(dangling.problems).toContainEqual(expect.objectContaining({ code: "include-no-record", domain: "nowhere.example" }));
    expect(dangling.voidLookups).toBe(1);
    const slow = await walkSpf("slowinc.example", { resolver: resolver(), platformIncludes: PLATFORM });
    expect(slow.problems).toContainEqual(expect.objectContaining({ code: "include-temporary", severity: "temporary" }));
    const macro = await walkSpf("macro.example", { resolver: resolver(), platformIncludes: PLATFORM });
    expect(macro.tree.children[0]?.outcome).toBe("not-followed");
    expect(macro.lookups).toBe(2);
  });

  it("reports +all, ?all, ptr and the missing all", async () => {
    const codes = async (record: string) =>
      (await walkSpf("x.example", { resolver: resolver(), platformIncludes: PLATFORM, record })).problems.map((p) => p.code);
    expect(await codes("v=spf1 include:secure-mailgate.com +all")).toContain("plus-all");
    expect(await codes("v=spf1 ip4:192.0.2.1 ?all")).toContain("neutral-all");
    expect(await codes("v=spf1 ptr -all")).toContain("ptr");
    expect(await codes("v=spf1 ip4:192.0.2.1")).toContain("no-all");
    expect(await codes("v=spf1 -all ip4:192.0.2.1")).toContain("terms-after-all");
    expect(await codes("v=spf1 ip4:192.0.2.1 -all redirect=pass.example")).toContain("redirect-ignored");
    expect(await codes("v=spf1 ip4:192.0.2.1 ~all")).toContain("softfail-all");
  });
});
