import { describe, expect, it } from "vitest";
import { checkView, domainCheckInputSchema, instructionsMail } from "./service";
import type { DomainCheckRow } from "./queries";

const row = (over: Partial<DomainCheckRow>): DomainCheckRow => ({
  id: "00000000-0000-4000-8000-000000000001",
  tenantId: "t1",
  domain: "firma.example",
  status: "running",
  verdict: null,
  findings: [],
  raw: null,
  startedAt: new Date("2026-05-04T08:00:00Z"),
  finishedAt: null,
  startedBy: null,
  ...over,
});

describe("checkView", () => {
  it("shows the six steps from the first moment, not yet done", () => {
    const view = checkView(row({}), new Date("2026-05-04T08:00:01Z"));
    expect(view.status).toBe("running");
    expect(view.steps.map((s) => [s.step, s.done])).toEqual([
      ["txt", false],
      ["spf-records", false],
      ["spf-evaluation", false],
      ["mx", false],
      ["dmarc", false],
      ["dkim", false],
    ]);
    expect(view.verdict).toBeNull();
  });

  it("a running row whose process went away is shown as interrupted, never as a verdict", () => {
    const view = checkView(row({}), new Date("2026-05-04T08:05:00Z"));
    expect(view.status).toBe("failed");
    expect(view.verdict).toBeNull();
  });
});

describe("domainCheckInputSchema", () => {
  it("normalizes the domain and an optional selector", () => {
    expect(domainCheckInputSchema.parse({ domain: " Bücher.Example. ", selector: "" })).toEqual({ domain: "xn--bcher-kva.example", selector: undefined });
    expect(domainCheckInputSchema.parse({ domain: "a.example", selector: " PST1 " })).toEqual({ domain: "a.example", selector: "pst1" });
    expect(domainCheckInputSchema.safeParse({ domain: "a.example", selector: "-bad" }).error?.issues[0]?.message).toBe("v.dkim.selector");
  });
});

describe("instructionsMail", () => {
  const suggestion = {
    kind: "create" as const,
    record: "v=spf1 include:secure-mailgate.com ~all",
    replaces: [],
    addedInclude: "secure-mailgate.com",
    lookups: 1,
    voidLookups: 0,
    overLookupLimit: false,
    zoneFile: '"v=spf1 include:secure-mailgate.com ~all"',
  };

  it("says to create the record when there is none, in English", () => {
    const mail = instructionsMail({ domain: "firma.example", suggestion, dkim: null, requestedBy: "Anna (anna@firma.example)", locale: "en" });
    expect(mail.subject).toBe("Please change a DNS record for firma.example");
    expect(mail.text).toContain("create a TXT record for the name firma.example");
    expect(mail.text).toContain("   v=spf1 include:secure-mailgate.com ~all");
    expect(mail.text).toContain("1 of the 10 DNS lookups");
    expect(mail.text).toContain("Let Anna (anna@firma.example) know");
  });

  it("says to replace (never add) when records exist, in German", () => {
    const mail = instructionsMail({
      domain: "firma.example",
      suggestion: { ...suggestion, kind: "merge", replaces: ["v=spf1 mx ~all", "v=spf1 a ~all"], record: "v=spf1 mx a include:secure-mailgate.com ~all" },
      dkim: null,
      requestedBy: "anna@firma.example",
      locale: "de",
    });
    expect(mail.text).toContain("Es gibt 2 solche Einträge; erlaubt ist nur einer.");
    expect(mail.text).toContain("Ersetzen Sie den Inhalt des Eintrags durch genau diesen Wert:");
    expect(mail.text).not.toMatch(/create|Legen Sie bei Ihrem DNS-Anbieter in der Zone/);
  });
});
