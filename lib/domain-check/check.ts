/**
 * The live domain check (DESIGN.md "The domain check"): TXT → SPF records →
 * SPF evaluation for the gateway IPs → MX → DMARC → DKIM. Framework-free: it
 * takes a resolver and the platform profile, calls `onStep` as each step
 * completes (for streamed progress) and returns the whole report.
 *
 * Every finding says, in German and English for people who are not mail
 * experts, what is wrong and what to do; the technical detail goes into
 * `detail` and `raw`. DNS timeouts and SERVFAIL are "could not check
 * (temporary)", never a failure of the customer's setup.
 */
import { domainToASCII } from "node:url";
import type { Localized } from "../i18n/locale";
import { withDeadline, DEFAULT_CHECK_DEADLINE_MS, type DnsResolver, type MxRecord } from "./resolver";
import { normalizeDomain, type CheckHostOutput, type SpfTreeNode } from "./spf";
import { isSpfRecord } from "./spf-record";
import { suggestSpf, type SpfSuggestion } from "./suggest";
import { CHECK_STEPS, worstStatus, type CheckStep, type Finding, type StepReport } from "./types";
import { checkVerdict, type Verdict } from "./verdict";
import { dkimFindings } from "./steps/dkim";
import { dmarcFindings } from "./steps/dmarc";
import { mxFindings } from "./steps/mx";
import { spfEvaluationFindings, spfRecordFindings, spfSkippedFinding } from "./steps/spf";
import { txtStep } from "./steps/txt";

export { CHECK_STEPS, type CheckStep, type Finding, type FindingStatus, type StepReport } from "./types";

export interface DomainCheckOptions {
  resolver: DnsResolver;
  profile: { spfIncludes: string[]; gatewayIps: string[] };
  /** The tenant's DKIM selector, when a key was generated. */
  dkimSelector?: string;
  /** Our public key for that selector (PEM or base64 SPKI), to compare with the published one. */
  dkimPublicKey?: string;
  /** Called as each step completes, in order. */
  onStep?: (step: StepReport) => void | Promise<void>;
  /** Overall deadline of the check (default 20 s); look-ups after it are "temporary". */
  deadlineMs?: number;
  now?: () => Date;
}

export { checkVerdict, type Verdict } from "./verdict";

export interface DmarcInfo {
  /** The domain whose _dmarc record applies (the checked one or its organizational domain). */
  domain: string;
  record: string;
  inherited: boolean;
  /** The policy that applies to the checked domain (sp= for an inherited record, else p=). */
  policy: string | null;
  pct: number;
  rua: string[];
  adkim: "r" | "s";
  aspf: "r" | "s";
}

export interface DomainCheckReport {
  domain: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /**
   * green: the domain may be used as sender (customer_domain mode): exactly one
   * SPF record, it passes for every gateway IP and reaches a platform include,
   * MX present and not null, and no error in those steps. temporary: that
   * could not be decided because of DNS trouble. not_ready: otherwise.
   */
  verdict: Verdict;
  steps: StepReport[];
  findings: Finding[];
  spf: {
    /** All v=spf1 records at the domain. */
    records: string[];
    /** Lookups of the published record and everything it includes (worst case), or null without exactly one record. */
    lookups: number | null;
    voidLookups: number | null;
    tree: SpfTreeNode | null;
    platformIncludesReached: string[];
    evaluations: Array<{ ip: string } & CheckHostOutput>;
    suggestion: SpfSuggestion | null;
  };
  mx: { records: MxRecord[]; nullMx: boolean } | null;
  dmarc: DmarcInfo | null;
  dkim: { selector: string; name: string; record: string | null; keyMatches: boolean | null } | null;
  /** All TXT records at the domain, strings joined. */
  txt: string[];
  dnsQueries: number;
}

const STEP_TITLES: Record<CheckStep, Localized> = {
  txt: { de: "DNS-Einträge der Domain (TXT)", en: "The domain's DNS entries (TXT)" },
  "spf-records": { de: "SPF-Eintrag", en: "SPF record" },
  "spf-evaluation": { de: "Darf die Plattform für Sie senden?", en: "May the platform send for you?" },
  mx: { de: "Kann die Domain E-Mails empfangen? (MX)", en: "Can the domain receive mail? (MX)" },
  dmarc: { de: "DMARC-Richtlinie", en: "DMARC policy" },
  dkim: { de: "DKIM-Signaturschlüssel", en: "DKIM signing key" },
};

/** The steps as they look before the check ran (for the UI's initial state). */
export function pendingSteps(): StepReport[] {
  return CHECK_STEPS.map((step) => ({ step, title: STEP_TITLES[step], status: "pending" as const, findings: [], durationMs: 0 }));
}

// ── The check ─────────────────────────────────────────────────────────────────

export async function runDomainCheck(domainInput: string, options: DomainCheckOptions): Promise<DomainCheckReport> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const t0 = performance.now();
  // Callers pass the ASCII form (domainSchema); an internationalized name is converted here too.
  const domain = normalizeDomain(/[^\x00-\x7f]/.test(domainInput) ? domainToASCII(domainInput) || domainInput : domainInput);
  const resolver = withDeadline(options.resolver, options.deadlineMs ?? DEFAULT_CHECK_DEADLINE_MS);
  const queriesBefore = options.resolver.queryCount;
  const { spfIncludes, gatewayIps } = options.profile;
  const steps: StepReport[] = [];

  const report: DomainCheckReport = {
    domain,
    startedAt: started.toISOString(),
    finishedAt: started.toISOString(),
    durationMs: 0,
    verdict: "not_ready",
    steps,
    findings: [],
    spf: {
      records: [],
      lookups: null,
      voidLookups: null,
      tree: null,
      platformIncludesReached: [],
      evaluations: [],
      suggestion: null,
    },
    mx: null,
    dmarc: null,
    dkim: null,
    txt: [],
    dnsQueries: 0,
  };

  let stepStart = performance.now();
  const finishStep = async (step: CheckStep, findings: Finding[]) => {
    const done: StepReport = {
      step,
      title: STEP_TITLES[step],
      status: worstStatus(findings.map((f) => f.status)),
      findings,
      durationMs: Math.round((performance.now() - stepStart) * 10) / 10,
    };
    steps.push(done);
    report.findings.push(...findings);
    stepStart = performance.now();
    await options.onStep?.(done);
  };

  // 1. TXT
  const txt = await txtStep(domain, resolver);
  report.txt = txt.joined;
  await finishStep("txt", txt.findings);

  // 2. SPF records, 3. SPF evaluation per gateway IP
  const spfRecords = report.txt.filter(isSpfRecord);
  report.spf.records = spfRecords;
  if (txt.temporary || txt.missing) {
    await finishStep("spf-records", [spfSkippedFinding("spf-records", txt, domain)]);
    await finishStep("spf-evaluation", [spfSkippedFinding("spf-evaluation", txt, domain)]);
  } else {
    const suggestion = await suggestSpf(domain, { resolver, platformIncludes: spfIncludes, gatewayIps, txt: txt.records });
    report.spf.suggestion = suggestion;
    const spf = { domain, resolver, spfIncludes, gatewayIps, spfRecords, suggestion, report };
    await finishStep("spf-records", await spfRecordFindings(spf));
    await finishStep("spf-evaluation", await spfEvaluationFindings(spf));
  }

  // 4. MX, 5. DMARC, 6. DKIM
  await finishStep("mx", await mxFindings(domain, resolver, report));
  await finishStep("dmarc", await dmarcFindings(domain, resolver, report));
  await finishStep("dkim", await dkimFindings(domain, resolver, options, report));

  report.verdict = checkVerdict({
    spfRecordCount: spfRecords.length,
    gatewayIpCount: gatewayIps.length,
    evaluations: report.spf.evaluations,
    platformIncludesReached: report.spf.platformIncludesReached,
    mx: report.mx,
    findings: report.findings,
  });


  const finished = now();
  report.finishedAt = finished.toISOString();
  report.durationMs = Math.round((performance.now() - t0) * 10) / 10;
  report.dnsQueries = options.resolver.queryCount - queriesBefore;
  return report;
}
