import { describe, expect, it } from "vitest";
import type { CheckStep, FindingStatus } from "./types";
import { checkVerdict, type VerdictInput } from "./verdict";

const ok = (step: CheckStep) => ({ step, status: "ok" as FindingStatus });

/** A domain that may send: one record, passes for both gateway IPs, platform included, MX. */
const GREEN: VerdictInput = {
  spfRecordCount: 1,
  gatewayIpCount: 2,
  evaluations: [{ result: "pass" }, { result: "pass" }],
  platformIncludesReached: ["secure-mailgate.com"],
  mx: { records: [{ exchange: "mx.example", priority: 10 }], nullMx: false },
  findings: [ok("txt"), ok("spf-records"), ok("spf-evaluation"), ok("mx"), ok("dmarc")],
};

const change = (patch: Partial<VerdictInput>): VerdictInput => ({ ...GREEN, ...patch });
const withFinding = (step: CheckStep, status: FindingStatus) => change({ findings: [...GREEN.findings, { step, status }] });

describe("checkVerdict", () => {
  it("is green when every sending condition holds", () => {
    expect(checkVerdict(GREEN)).toBe("green");
  });

  it.each([
    ["no SPF record", change({ spfRecordCount: 0 })],
    ["two SPF records (permerror)", change({ spfRecordCount: 2 })],
    ["one gateway IP not evaluated", change({ evaluations: [{ result: "pass" }] })],
    ["softfail for one gateway IP", change({ evaluations: [{ result: "pass" }, { result: "softfail" }] })],
    ["the platform include not reached", change({ platformIncludesReached: [] })],
    ["no MX looked up", change({ mx: null })],
    ["no MX record", change({ mx: { records: [], nullMx: false } })],
    ["a null MX", change({ mx: { records: [{ exchange: ".", priority: 0 }], nullMx: true } })],
    ["an error in the MX step", withFinding("mx", "error")],
    ["an error in the SPF step", withFinding("spf-records", "error")],
  ])("is not ready with %s", (_why, input) => {
    expect(checkVerdict(input)).toBe("not_ready");
  });

  it("is temporary when only DNS trouble stands in the way", () => {
    expect(checkVerdict(withFinding("mx", "temporary"))).toBe("temporary");
    expect(checkVerdict(change({ mx: null, findings: [ok("txt"), { step: "mx", status: "temporary" }] }))).toBe("temporary");
  });

  it("is not ready, not temporary, when an error and DNS trouble come together", () => {
    expect(checkVerdict(change({ findings: [{ step: "spf-records", status: "error" }, { step: "mx", status: "temporary" }] }))).toBe(
      "not_ready",
    );
  });

  it("ignores DMARC and DKIM: they advise, they do not block", () => {
    const advisory = change({ findings: [...GREEN.findings, { step: "dmarc", status: "error" }, { step: "dkim", status: "temporary" }] });
    expect(checkVerdict(advisory)).toBe("green");
  });

  it("warnings in blocking steps do not block", () => {
    expect(checkVerdict(withFinding("mx", "warning"))).toBe("green");
  });
});
