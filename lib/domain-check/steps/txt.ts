import type { DnsResolver, LookupOutcome } from "../resolver";
import { joinTxt } from "../spf-record";
import type { Finding } from "../types";
import { L, temporaryFinding } from "./shared";

export interface TxtStep {
  outcome: LookupOutcome<string[]>;
  /** The TXT records as published (strings per record). */
  records: string[][];
  /** Each record's strings joined. */
  joined: string[];
  /** NXDOMAIN: every later step is moot. */
  missing: boolean;
  /** DNS trouble: the SPF steps cannot be decided. */
  temporary: boolean;
  findings: Finding[];
}

/** Step 1: the domain's TXT records. */
export async function txtStep(domain: string, resolver: DnsResolver): Promise<TxtStep> {
  let findings: Finding[];
  const txtOutcome = await resolver.lookup(domain, "TXT");
  const txt = txtOutcome.status === "ok" ? txtOutcome.records : [];
  const joined = txt.map(joinTxt);
  const domainMissing = txtOutcome.status === "empty" && txtOutcome.reason === "NXDOMAIN";
  const txtTemporary = txtOutcome.status === "temporary" || txtOutcome.status === "invalid";
  if (txtTemporary) {
    findings = [
      temporaryFinding("txt", "txt.temporary", L("TXT-Einträge", "TXT records"), txtOutcome, domain),
    ];
  } else if (domainMissing) {
    findings = [
      {
        step: "txt",
        code: "txt.nxdomain",
        status: "error",
        title: L("Die Domain {domain} gibt es im DNS nicht", "The domain {domain} does not exist in DNS", { domain }),
        detail: L(
          "Der DNS-Server meldet, dass es {domain} nicht gibt (NXDOMAIN). Von einer solchen Domain kann nicht gesendet werden.",
          "The DNS server reports that {domain} does not exist (NXDOMAIN). Mail cannot be sent from such a domain.",
          { domain },
        ),
        action: L(
          "Prüfen Sie die Schreibweise. Ist die Domain neu, warten Sie, bis die Registrierung abgeschlossen ist, und prüfen Sie dann erneut.",
          "Check the spelling. If the domain is new, wait until its registration is complete, then check again.",
        ),
        raw: [`${domain}: NXDOMAIN`],
      },
    ];
  } else {
    findings = [
      {
        step: "txt",
        code: txt.length ? "txt.found" : "txt.none",
        status: "ok",
        title: txt.length
          ? L("TXT-Einträge gefunden: {n}", "TXT records found: {n}", { n: txt.length })
          : L("Die Domain hat noch keine TXT-Einträge", "The domain has no TXT records yet"),
        detail: L(
          "TXT-Einträge sind Textangaben im DNS Ihrer Domain; dort stehen unter anderem die SPF-Regeln.",
          "TXT records are text entries in your domain's DNS; among other things, they hold the SPF rules.",
        ),
        raw: joined,
      },
    ];
  }
  return { outcome: txtOutcome, records: txt, joined, missing: domainMissing, temporary: txtTemporary, findings };
}
