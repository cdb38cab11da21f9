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
import { getDomain } from "tldts";
import { localized, type Localized } from "../i18n/locale";
import { compareDkimRecord, dkimRecordName, dkimTxtRecord } from "./dkim";
import { withDeadline, DEFAULT_CHECK_DEADLINE_MS, type DnsResolver, type LookupOutcome, type MxRecord } from "./resolver";
import {
  checkHost,
  normalizeDomain,
  SPF_LOOKUP_LIMIT,
  SPF_VOID_LOOKUP_LIMIT,
  walkSpf,
  type CheckHostOutput,
  type SpfProblem,
  type SpfTreeNode,
  type SpfTreeSummary,
} from "./spf";
import { isSpfRecord, joinTxt } from "./spf-record";
import { suggestSpf, type SpfSuggestion } from "./suggest";
import { CHECK_STEPS, worstStatus, type CheckStep, type Finding, type StepReport } from "./types";

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

export type Verdict = "green" | "not_ready" | "temporary";

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

const L = localized;

function temporaryFinding(step: CheckStep, code: string, what: Localized, outcome: LookupOutcome<unknown>, name: string): Finding {
  const reason = outcome.status === "temporary" || outcome.status === "invalid" ? outcome.reason : "";
  return {
    step,
    code,
    status: "temporary",
    title: { de: `Konnte nicht geprüft werden (vorübergehend): ${what.de}`, en: `Could not check (temporary): ${what.en}` },
    detail: L(
      "Der DNS-Server hat für {name} nicht rechtzeitig oder nur mit einem Fehler geantwortet ({reason}). Das sagt nichts über Ihre Einstellungen aus.",
      "The DNS server did not answer for {name} in time, or answered with an error ({reason}). This says nothing about your settings.",
      { name, reason },
    ),
    action: L("Bitte prüfen Sie in einigen Minuten erneut.", "Please check again in a few minutes."),
    raw: [`${name}: ${reason}${outcome.status === "temporary" ? ` (${outcome.message})` : ""}`],
  };
}

// ── SPF texts ─────────────────────────────────────────────────────────────────

function treeLines(node: SpfTreeNode, depth = 0): string[] {
  const indent = "  ".repeat(depth);
  const head =
    depth === 0
      ? `${node.domain}`
      : `${indent}${node.term ?? node.via} → ${node.domain}${node.platform ? " [platform]" : ""}`;
  const state =
    node.outcome === "ok"
      ? `: ${node.record ?? ""}  (${node.lookups} lookup${node.lookups === 1 ? "" : "s"} here, ${node.totalLookups} with includes)`
      : `: ${node.outcome}`;
  return [head + state, ...node.children.flatMap((c) => treeLines(c, depth + 1))];
}

function problemFinding(problem: SpfProblem, domain: string): Finding {
  const step: CheckStep = "spf-records";
  const raw = [`${problem.domain}: ${problem.term ? `${problem.term}: ` : ""}${problem.detail}`];
  const base = { step, code: `spf.${problem.code}`, raw };
  switch (problem.code) {
    case "syntax":
      return {
        ...base,
        status: "error",
        title: L("Der SPF-Eintrag enthält einen Fehler", "The SPF record contains an error"),
        detail: L(
          "„{term}“ ({where}) ist kein gültiger SPF-Bestandteil. Empfänger werten den ganzen Eintrag deshalb als fehlerhaft (permerror) – für alle E-Mails Ihrer Domain.",
          "“{term}” ({where}) is not a valid SPF term. Receivers therefore treat the whole record as broken (permerror) – for all mail from your domain.",
          { term: problem.term ?? "", where: problem.domain },
        ),
        action: L(
          "Korrigieren oder entfernen Sie „{term}“ im SPF-Eintrag von {where}.",
          "Correct or remove “{term}” in the SPF record of {where}.",
          { term: problem.term ?? "", where: problem.domain },
        ),
      };
    case "plus-all":
      return {
        ...base,
        status: "error",
        title: L("Jeder darf E-Mails in Ihrem Namen senden", "Anyone may send mail as you"),
        detail:
          problem.domain === domain
            ? L(
                "„+all“ am Ende des SPF-Eintrags erlaubt jedem Server im Internet, E-Mails als @{domain} zu senden. Betrüger können so täuschend echte Mails in Ihrem Namen verschicken.",
                "“+all” at the end of the SPF record allows every server on the internet to send mail as @{domain}. Fraudsters can send convincing mail in your name.",
                { domain },
              )
            : L(
                "Der eingebundene Eintrag von {where} endet auf „+all“. Dadurch gilt jeder Server als berechtigt, für {domain} zu senden.",
                "The included record of {where} ends in “+all”. This makes every server count as allowed to send for {domain}.",
                { where: problem.domain, domain },
              ),
        action: L(
          "Ersetzen Sie „+all“ durch „~all“ (oder „-all“, wenn alle Ihre Absender im Eintrag stehen).",
          "Replace “+all” with “~all” (or “-all” once all your senders are in the record).",
        ),
      };
    case "neutral-all":
      return {
        ...base,
        status: "warning",
        title: L("Ihr SPF-Eintrag schützt nicht vor Fälschungen", "Your SPF record does not protect against forgery"),
        detail: L(
          "„?all“ bedeutet: Über nicht aufgeführte Server wird keine Aussage gemacht. Praktisch darf damit jeder E-Mails als @{domain} senden.",
          "“?all” means: no statement about servers that are not listed. In practice anyone may send mail as @{domain}.",
          { domain },
        ),
        action: L(
          "Ersetzen Sie „?all“ durch „~all“ oder – wenn alle Ihre Absender aufgeführt sind – durch „-all“.",
          "Replace “?all” with “~all” or – once all your senders are listed – with “-all”.",
        ),
      };
    case "softfail-all":
      return {
        ...base,
        status: "ok",
        title: L("Nicht aufgeführte Absender werden als verdächtig markiert (~all)", "Unlisted senders are marked as suspicious (~all)"),
        detail: L(
          "„~all“ ist für den Anfang richtig: E-Mails von nicht aufgeführten Servern werden nicht abgewiesen, sondern eher als Spam einsortiert.",
          "“~all” is right to start with: mail from servers that are not listed is not rejected, but more likely filed as spam.",
        ),
        action: L(
          "Wenn alle Systeme, die für {domain} E-Mails senden, im Eintrag stehen, können Sie „~all“ durch „-all“ ersetzen – dann werden Fälschungen abgewiesen.",
          "Once every system that sends mail for {domain} is in the record, you can replace “~all” with “-all” – then forgeries are rejected.",
          { domain },
        ),
      };
    case "no-all":
      return {
        ...base,
        status: "warning",
        title: L("Dem SPF-Eintrag fehlt der Abschluss („all“)", "The SPF record lacks its ending (“all”)"),
        detail: L(
          "Ohne „~all“ oder „-all“ am Ende macht der Eintrag keine Aussage über andere Server (Ergebnis „neutral“) und schützt nicht vor Fälschungen.",
          "Without “~all” or “-all” at the end the record says nothing about other servers (result “neutral”) and does not protect against forgery.",
        ),
        action: L("Fügen Sie „~all“ als letzten Teil des Eintrags hinzu.", "Add “~all” as the last part of the record."),
      };
    case "ptr":
      return {
        ...base,
        status: "warning",
        title: L("Der SPF-Eintrag nutzt das veraltete „ptr“", "The SPF record uses the deprecated “ptr”"),
        detail: L(
          "„{term}“ ist langsam und unzuverlässig; manche Empfänger ignorieren es (RFC 7208 §5.5).",
          "“{term}” is slow and unreliable; some receivers ignore it (RFC 7208 §5.5).",
          { term: problem.term ?? "ptr" },
        ),
        action: L(
          "Ersetzen Sie „{term}“ durch die IP-Adressen (ip4:/ip6:) oder das include: Ihres Anbieters.",
          "Replace “{term}” with the IP addresses (ip4:/ip6:) or your provider's include:.",
          { term: problem.term ?? "ptr" },
        ),
      };
    case "too-many-lookups":
      return {
        ...base,
        status: "error",
        title: L("Der SPF-Eintrag braucht zu viele DNS-Abfragen", "The SPF record needs too many DNS lookups"),
        detail: L(
          "Empfänger dürfen für SPF höchstens {limit} DNS-Abfragen machen (include, a, mx, ptr, exists, redirect – auch in eingebundenen Einträgen). Darüber gilt der Eintrag als fehlerhaft (permerror). {detail}",
          "Receivers may make at most {limit} DNS lookups for SPF (include, a, mx, ptr, exists, redirect – also inside included records). Beyond that the record counts as broken (permerror). {detail}",
          { limit: SPF_LOOKUP_LIMIT, detail: problem.detail },
        ),
        action: L(
          "Entfernen Sie Einträge für Dienste, die Sie nicht mehr nutzen, und „a“/„mx“, wenn von diesen Servern keine E-Mails ausgehen. Reicht das nicht, fragen Sie Ihren DNS-Anbieter nach „SPF-Flattening“.",
          "Remove entries for services you no longer use, and “a”/“mx” if no mail is sent from those servers. If that is not enough, ask your DNS provider about “SPF flattening”.",
        ),
      };
    case "too-many-void-lookups":
      return {
        ...base,
        status: "error",
        title: L("Der SPF-Eintrag verweist auf Namen, die es nicht gibt", "The SPF record points to names that do not exist"),
        detail: L(
          "Mehr als {limit} Verweise im Eintrag führen ins Leere. Empfänger werten ihn dann als fehlerhaft (permerror). {detail}",
          "More than {limit} references in the record lead nowhere. Receivers then treat it as broken (permerror). {detail}",
          { limit: SPF_VOID_LOOKUP_LIMIT, detail: problem.detail },
        ),
        action: L("Entfernen Sie die Verweise auf nicht existierende Namen.", "Remove the references to names that do not exist."),
      };
    case "include-no-record":
    case "include-multiple-records":
      return {
        ...base,
        status: "error",
        title: L("Ein eingebundener SPF-Eintrag fehlt oder ist doppelt", "An included SPF record is missing or duplicated"),
        detail: L(
          "„{term}“ verweist auf {where}, dort gibt es aber {what}. Empfänger werten Ihren Eintrag deshalb als fehlerhaft (permerror).",
          "“{term}” points to {where}, but there is {what}. Receivers therefore treat your record as broken (permerror).",
          {
            term: problem.term ?? "",
            where: problem.domain,
            what: problem.code === "include-no-record" ? "keinen SPF-Eintrag" : "mehr als einen SPF-Eintrag",
          },
        ),
        action: L(
          "Prüfen Sie die Schreibweise von „{term}“ oder entfernen Sie den Verweis.",
          "Check the spelling of “{term}” or remove the reference.",
          { term: problem.term ?? "" },
        ),
      };
    case "include-temporary":
      return {
        ...base,
        status: "temporary",
        title: L("Ein eingebundener Eintrag konnte nicht geladen werden (vorübergehend)", "An included record could not be loaded (temporary)"),
        detail: L(
          "Der DNS-Server antwortete für {where} nicht rechtzeitig oder mit einem Fehler. Das sagt nichts über Ihre Einstellungen aus.",
          "The DNS server did not answer for {where} in time, or answered with an error. This says nothing about your settings.",
          { where: problem.domain },
        ),
        action: L("Bitte prüfen Sie in einigen Minuten erneut.", "Please check again in a few minutes."),
      };
    case "loop":
      return {
        ...base,
        status: "error",
        title: L("SPF-Einträge binden sich gegenseitig ein", "SPF records include each other"),
        detail: L("Die Einträge verweisen im Kreis: {detail}.", "The records refer to each other in a circle: {detail}.", {
          detail: problem.detail,
        }),
        action: L("Entfernen Sie einen der Verweise.", "Remove one of the references."),
      };
    case "terms-after-all":
      return {
        ...base,
        status: "warning",
        title: L("Teile des SPF-Eintrags werden nie ausgewertet", "Parts of the SPF record are never evaluated"),
        detail: L(
          "„{term}“ steht hinter „all“. Alles nach „all“ wird ignoriert.",
          "“{term}” comes after “all”. Everything after “all” is ignored.",
          { term: problem.term ?? "" },
        ),
        action: L("Setzen Sie „all“ an das Ende des Eintrags.", "Move “all” to the end of the record."),
      };
    case "redirect-ignored":
      return {
        ...base,
        status: "warning",
        title: L("Die Weiterleitung im SPF-Eintrag wird ignoriert", "The redirect in the SPF record is ignored"),
        detail: L(
          "„{term}“ wirkt nicht, weil der Eintrag auch „all“ enthält (RFC 7208 §6.1).",
          "“{term}” has no effect because the record also contains “all” (RFC 7208 §6.1).",
          { term: problem.term ?? "" },
        ),
        action: L(
          "Entfernen Sie entweder „all“ oder die Weiterleitung (oder ersetzen Sie sie durch ein include:).",
          "Remove either “all” or the redirect (or replace it with an include:).",
        ),
      };
    case "mx-too-many-hosts":
      return {
        ...base,
        status: "error",
        title: L("„mx“ im SPF-Eintrag verweist auf zu viele Mailserver", "“mx” in the SPF record points to too many mail servers"),
        detail: L("{detail}", "{detail}", { detail: problem.detail }),
        action: L(
          "Ersetzen Sie „{term}“ durch die IP-Adressen oder das include: Ihres Anbieters.",
          "Replace “{term}” with the IP addresses or your provider's include:.",
          { term: problem.term ?? "mx" },
        ),
      };
    case "record-too-long":
      return {
        ...base,
        status: "warning",
        title: L("Der SPF-Eintrag ist sehr lang", "The SPF record is very long"),
        detail: L(
          "Lange Einträge passen nicht mehr in ein einzelnes DNS-Antwortpaket; manche Empfänger können sie dann nicht lesen. {detail}",
          "Long records no longer fit into a single DNS answer packet; some receivers then cannot read them. {detail}",
          { detail: problem.detail },
        ),
        action: L("Kürzen Sie den Eintrag, z. B. durch Zusammenfassen von IP-Bereichen.", "Shorten the record, e.g. by combining IP ranges."),
      };
  }
}

function suggestionLines(s: SpfSuggestion): string[] {
  return [
    s.record,
    ...(s.strings.length > 1 ? [`zone file: ${s.zoneFile}`] : []),
    `lookups after the change: ${s.lookups}/${SPF_LOOKUP_LIMIT}`,
    ...s.notes.map((n) => `note: ${n.code}: ${n.term}`),
  ];
}

function suggestionNotesText(s: SpfSuggestion): Localized {
  const de: string[] = [];
  const en: string[] = [];
  for (const note of s.notes) {
    switch (note.code) {
      case "plus-all-replaced":
        de.push(`„${note.term}“ wurde durch „~all“ ersetzt, weil „+all“ jedem erlaubt, in Ihrem Namen zu senden.`);
        en.push(`“${note.term}” became “~all”, because “+all” lets anyone send in your name.`);
        break;
      case "redirect-converted":
        de.push(`„${note.term}“ wurde zu einem include:, weil ein Eintrag mit „all“ Weiterleitungen ignoriert.`);
        en.push(`“${note.term}” became an include:, because a record with “all” ignores redirects.`);
        break;
      case "invalid-term-dropped":
        de.push(`Der fehlerhafte Teil „${note.term}“ wurde weggelassen.`);
        en.push(`The invalid part “${note.term}” was left out.`);
        break;
      case "all-added":
        de.push("„~all“ wurde als Abschluss ergänzt.");
        en.push("“~all” was added as the ending.");
        break;
    }
  }
  return { de: de.join(" "), en: en.join(" ") };
}

function withNotes(text: Localized, notes: Localized): Localized {
  return { de: [text.de, notes.de].filter(Boolean).join(" "), en: [text.en, notes.en].filter(Boolean).join(" ") };
}

function lookupWarning(s: SpfSuggestion): Localized {
  return s.overLookupLimit
    ? L(
        " Achtung: Der geänderte Eintrag bräuchte {n} DNS-Abfragen, erlaubt sind {limit}. Entfernen Sie zuerst nicht mehr genutzte Einträge, sonst werten Empfänger ihn als fehlerhaft.",
        " Caution: the changed record would need {n} DNS lookups; {limit} are allowed. Remove entries you no longer use first, or receivers will treat it as broken.",
        { n: s.lookups, limit: SPF_LOOKUP_LIMIT },
      )
    : L(" Danach: {n} von {limit} erlaubten DNS-Abfragen.", " Afterwards: {n} of {limit} allowed DNS lookups.", {
        n: s.lookups,
        limit: SPF_LOOKUP_LIMIT,
      });
}

function appendText(a: Localized, b: Localized): Localized {
  return { de: a.de + b.de, en: a.en + b.en };
}

// ── DMARC ─────────────────────────────────────────────────────────────────────

function parseTagList(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const part of text.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    if (key && !(key in tags)) tags[key] = part.slice(eq + 1).trim();
  }
  return tags;
}

function starterDmarc(domain: string): string {
  return `v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}`;
}

/** The DMARC record at _dmarc.<name>: RFC 7489 §6.6.3 — exactly one record starting with v=DMARC1, else none. */
async function dmarcAt(resolver: DnsResolver, name: string) {
  const outcome = await resolver.lookup(`_dmarc.${name}`, "TXT");
  const records = outcome.records.map(joinTxt).filter((r) => /^v\s*=\s*DMARC1\s*(;|$)/i.test(r));
  return { outcome, records };
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

  // 1. TXT ───────────────────────────────────────────────────────────────────
  const txtOutcome = await resolver.lookup(domain, "TXT");
  const txt = txtOutcome.status === "ok" ? txtOutcome.records : [];
  report.txt = txt.map(joinTxt);
  const domainMissing = txtOutcome.status === "empty" && txtOutcome.reason === "NXDOMAIN";
  const txtTemporary = txtOutcome.status === "temporary" || txtOutcome.status === "invalid";
  if (txtTemporary) {
    await finishStep("txt", [
      temporaryFinding("txt", "txt.temporary", L("TXT-Einträge", "TXT records"), txtOutcome, domain),
    ]);
  } else if (domainMissing) {
    await finishStep("txt", [
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
    ]);
  } else {
    await finishStep("txt", [
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
        raw: report.txt,
      },
    ]);
  }

  // 2. SPF records ───────────────────────────────────────────────────────────
  const spfRecords = report.txt.filter(isSpfRecord);
  report.spf.records = spfRecords;
  let summary: SpfTreeSummary | null = null;
  if (txtTemporary || domainMissing) {
    const skipped = (step: CheckStep): Finding =>
      txtTemporary
        ? temporaryFinding(step, `${step}.temporary`, L("SPF-Eintrag", "SPF record"), txtOutcome, domain)
        : {
            step,
            code: `${step}.skipped`,
            status: "error",
            title: L("Nicht geprüft: die Domain gibt es nicht", "Not checked: the domain does not exist"),
            detail: L("Ohne Domain gibt es keinen SPF-Eintrag.", "Without a domain there is no SPF record."),
          };
    await finishStep("spf-records", [skipped("spf-records")]);
    await finishStep("spf-evaluation", [skipped("spf-evaluation")]);
  } else {
    const findings: Finding[] = [];
    const suggestion = await suggestSpf(domain, { resolver, platformIncludes: spfIncludes, gatewayIps, txt });
    report.spf.suggestion = suggestion;
    if (spfRecords.length === 0) {
      const s = suggestion!;
      findings.push({
        step: "spf-records",
        code: "spf.none",
        status: "error",
        title: L("Es gibt noch keinen SPF-Eintrag", "There is no SPF record yet"),
        detail: L(
          "Empfangende Mailserver können nicht prüfen, welche Server für {domain} senden dürfen. E-Mails über die Plattform würden abgewiesen oder als Spam einsortiert.",
          "Receiving mail servers cannot check which servers may send for {domain}. Mail sent through the platform would be rejected or filed as spam.",
          { domain },
        ),
        action: appendText(
          L(
            "Legen Sie bei Ihrem DNS-Anbieter für {domain} einen TXT-Eintrag an. Senden auch andere Systeme (z. B. Ihr Büro-Mailsystem) als @{domain}, nehmen Sie deren include: mit auf. Der Eintrag: {record}",
            "At your DNS provider, create a TXT record for {domain}. If other systems (e.g. your office mail) also send as @{domain}, add their include: as well. The record: {record}",
            { domain, record: s.record },
          ),
          lookupWarning(s),
        ),
        raw: suggestionLines(s),
      });
    } else if (spfRecords.length > 1) {
      const s = suggestion!;
      findings.push({
        step: "spf-records",
        code: "spf.multiple",
        status: "error",
        title: L("{n} SPF-Einträge – erlaubt ist nur einer", "{n} SPF records – only one is allowed", { n: spfRecords.length }),
        detail: L(
          "Gibt es mehr als einen SPF-Eintrag, werten Empfänger SPF als fehlerhaft (permerror, RFC 7208 §4.5) – für alle E-Mails Ihrer Domain, nicht nur für unsere.",
          "With more than one SPF record, receivers treat SPF as broken (permerror, RFC 7208 §4.5) – for all mail from your domain, not just ours.",
        ),
        action: appendText(
          withNotes(
            L(
              "Löschen Sie die {n} SPF-Einträge und legen Sie stattdessen diesen einen an: {record}",
              "Delete the {n} SPF records and create this single one instead: {record}",
              { n: spfRecords.length, record: s.record },
            ),
            suggestionNotesText(s),
          ),
          lookupWarning(s),
        ),
        raw: [...spfRecords.map((r) => `published: ${r}`), ...suggestionLines(s)],
      });
    } else {
      const record = spfRecords[0]!;
      summary = await walkSpf(domain, { resolver, platformIncludes: spfIncludes, record });
      report.spf.tree = summary.tree;
      report.spf.lookups = summary.lookups;
      report.spf.voidLookups = summary.voidLookups;
      report.spf.platformIncludesReached = summary.platformIncludesReached;
      findings.push({
        step: "spf-records",
        code: "spf.found",
        status: "ok",
        title: L("Ein SPF-Eintrag ist vorhanden", "An SPF record exists"),
        detail: L(
          "Der Eintrag legt fest, welche Server E-Mails als @{domain} senden dürfen.",
          "The record states which servers may send mail as @{domain}.",
          { domain },
        ),
        raw: [record],
      });
      if (summary.platformIncludesReached.length > 0) {
        findings.push({
          step: "spf-records",
          code: "spf.platform-included",
          status: "ok",
          title: L("Die Plattform ist im SPF-Eintrag enthalten", "The platform is included in the SPF record"),
          detail: L("Gefunden: include:{include}.", "Found: include:{include}.", {
            include: summary.platformIncludesReached.join(", include:"),
          }),
        });
      } else if (suggestion) {
        findings.push({
          step: "spf-records",
          code: "spf.platform-missing",
          status: "error",
          title: L("Die Plattform fehlt noch im SPF-Eintrag", "The platform is not in the SPF record yet"),
          detail: L(
            "Ihr Eintrag erlaubt unseren Versandservern nicht, für {domain} zu senden. Wichtig: Ändern Sie den vorhandenen Eintrag – ein zweiter SPF-Eintrag würde SPF für alle Ihre E-Mails unwirksam machen.",
            "Your record does not allow our sending servers to send for {domain}. Important: change the existing record – a second SPF record would break SPF for all your mail.",
            { domain },
          ),
          action: appendText(
            L(
              "Ersetzen Sie den vorhandenen SPF-Eintrag durch: {record}",
              "Replace the existing SPF record with: {record}",
              { record: suggestion.record },
            ),
            lookupWarning(suggestion),
          ),
          raw: [`published: ${record}`, ...suggestionLines(suggestion)],
        });
      }
      const over = summary.lookups > SPF_LOOKUP_LIMIT;
      if (!over) {
        findings.push({
          step: "spf-records",
          code: "spf.lookups",
          status: "ok",
          title: L("{n} von {limit} erlaubten DNS-Abfragen", "{n} of {limit} allowed DNS lookups", {
            n: summary.lookups,
            limit: SPF_LOOKUP_LIMIT,
          }),
          detail: L(
            "Empfänger dürfen für SPF höchstens {limit} DNS-Abfragen machen; jedes include, a, mx, exists, ptr und redirect zählt – auch in eingebundenen Einträgen. Leere Abfragen: {void} von {voidLimit}.",
            "Receivers may make at most {limit} DNS lookups for SPF; every include, a, mx, exists, ptr and redirect counts – also inside included records. Lookups finding nothing: {void} of {voidLimit}.",
            { limit: SPF_LOOKUP_LIMIT, void: summary.voidLookups, voidLimit: SPF_VOID_LOOKUP_LIMIT },
          ),
          raw: treeLines(summary.tree),
        });
      }
      for (const problem of summary.problems) {
        const f = problemFinding(problem, domain);
        if (problem.code === "too-many-lookups") f.raw = [...(f.raw ?? []), ...treeLines(summary.tree)];
        findings.push(f);
      }
    }
    await finishStep("spf-records", findings);

    // 3. SPF evaluation per gateway IP ─────────────────────────────────────────
    const evaluations = await Promise.all(
      gatewayIps.map(async (ip) => ({ ip, ...(await checkHost({ ip, domain, resolver })) })),
    );
    report.spf.evaluations = evaluations;
    const evalFindings: Finding[] = evaluations.map((e) => evaluationFinding(e, domain, suggestion !== null, spfIncludes[0] ?? ""));
    if (gatewayIps.length === 0) {
      // Without the gateway's addresses the record can only be checked for the include.
      evalFindings.push({
        step: "spf-evaluation",
        code: "spf.no-gateway-ips",
        status: "warning",
        title: L("Nur der Verweis auf die Plattform wurde geprüft", "Only the reference to the platform was checked"),
        detail: L(
          "Die Adressen der Versandserver der Plattform sind nicht hinterlegt. Postillion hat geprüft, ob Ihr Eintrag auf die Plattform verweist, konnte ihn aber nicht für die echten Server auswerten.",
          "The platform's sending server addresses are not configured. Postillion checked that your record refers to the platform, but could not evaluate it for the real servers.",
        ),
        action: L(
          "Nichts zu tun für Sie. Betrieb: PLATFORM_GATEWAY_IPS setzen.",
          "Nothing to do for you. Operator: set PLATFORM_GATEWAY_IPS.",
        ),
      });
    }
    if (suggestion) {
      const failing = suggestion.evaluations.filter((e) => e.result !== "pass");
      evalFindings.push(
        failing.length === 0
          ? {
              step: "spf-evaluation",
              code: "spf.suggestion-passes",
              status: "ok",
              title: L("Mit dem vorgeschlagenen Eintrag wäre alles in Ordnung", "With the suggested record everything would be fine"),
              detail: L(
                "Wir haben den vorgeschlagenen Eintrag so geprüft, als wäre er schon veröffentlicht: Unsere Versandserver ({ips}) wären berechtigt (pass).",
                "We checked the suggested record as if it were already published: our sending servers ({ips}) would be allowed (pass).",
                { ips: suggestion.evaluations.map((e) => e.ip).join(", ") },
              ),
              raw: suggestion.evaluations.map((e) => `${e.ip}: ${e.result} (${e.lookups} lookups) with ${suggestion.record}`),
            }
          : {
              step: "spf-evaluation",
              code: "spf.suggestion-fails",
              status: failing.every((e) => e.result === "temperror") ? "temporary" : "error",
              title: L("Auch der vorgeschlagene Eintrag würde nicht genügen", "The suggested record would not be enough either"),
              detail: L(
                "Geprüft wie veröffentlicht, ergäbe er für {ips}: {results}. Meist liegt das an einem anderen Fehler im Eintrag (siehe oben).",
                "Checked as if published, it would give for {ips}: {results}. Usually another error in the record causes this (see above).",
                { ips: failing.map((e) => e.ip).join(", "), results: failing.map((e) => e.result).join(", ") },
              ),
              action: L(
                "Beheben Sie zuerst die anderen Fehler; wenden Sie sich sonst an den Plattform-Support.",
                "Fix the other errors first; otherwise contact platform support.",
              ),
              raw: failing.map((e) => `${e.ip}: ${e.result}: ${e.explanation}`),
            },
      );
    }
    await finishStep("spf-evaluation", evalFindings);
  }

  // 4. MX ────────────────────────────────────────────────────────────────────
  const mxFindings: Finding[] = [];
  const mxOutcome = await resolver.lookup(domain, "MX");
  if (mxOutcome.status === "temporary" || mxOutcome.status === "invalid") {
    mxFindings.push(temporaryFinding("mx", "mx.temporary", L("Mailserver (MX)", "Mail servers (MX)"), mxOutcome, domain));
  } else if (mxOutcome.status === "empty") {
    report.mx = { records: [], nullMx: false };
    mxFindings.push({
      step: "mx",
      code: "mx.none",
      status: "error",
      title: L("An diese Adresse kann niemand antworten", "This address cannot receive mail"),
      detail: L(
        "Für {domain} ist kein Mailserver (MX-Eintrag) eingetragen. Antworten und Rückmeldungen an Ihre Absenderadresse gehen verloren, und viele Empfänger weisen E-Mails von Domains, die selbst keine E-Mails empfangen können, mit dem Fehler 550 ab.",
        "No mail server (MX record) is set for {domain}. Replies and bounces to your sender address get lost, and many receivers reject mail from domains that cannot receive mail themselves, with error 550.",
        { domain },
      ),
      action: L(
        "Tragen Sie bei Ihrem DNS-Anbieter den Mailserver Ihres E-Mail-Anbieters als MX-Eintrag für {domain} ein, oder nutzen Sie eine Absenderadresse einer Domain, die E-Mails empfängt.",
        "At your DNS provider, add your e-mail provider's mail server as the MX record of {domain}, or use a sender address in a domain that receives mail.",
        { domain },
      ),
      raw: [`${domain} MX: ${mxOutcome.reason}`],
    });
  } else {
    const sorted = [...mxOutcome.records].sort((a, b) => a.priority - b.priority || a.exchange.localeCompare(b.exchange));
    // RFC 7505 §3: a null MX is a single MX record with preference 0 and exchange ".".
    const nullMx = sorted.some((r) => r.exchange === "" || r.exchange === ".");
    report.mx = { records: sorted, nullMx };
    const raw = sorted.map((r) => `${r.priority} ${r.exchange || "."}`);
    if (nullMx) {
      mxFindings.push({
        step: "mx",
        code: "mx.null",
        status: "error",
        title: L("Die Domain erklärt, dass sie keine E-Mails annimmt", "The domain declares that it accepts no mail"),
        detail: L(
          "Für {domain} ist ein „Null-MX“ eingetragen (0 ., RFC 7505): Die Domain empfängt ausdrücklich keine E-Mails. Empfänger weisen E-Mails mit einem solchen Absender meist mit dem Fehler 550 ab.",
          "{domain} publishes a “null MX” (0 ., RFC 7505): the domain explicitly receives no mail. Receivers usually reject mail from such a sender with error 550.",
          { domain },
        ),
        action: L(
          "Nutzen Sie eine Absenderadresse einer Domain, die E-Mails empfängt, oder ersetzen Sie den Null-MX durch den Mailserver Ihres E-Mail-Anbieters.",
          "Use a sender address in a domain that receives mail, or replace the null MX with your e-mail provider's mail server.",
        ),
        raw,
      });
    } else {
      mxFindings.push({
        step: "mx",
        code: "mx.found",
        status: "ok",
        title: L("Die Domain kann E-Mails empfangen", "The domain can receive mail"),
        detail: L(
          "{n} Mailserver eingetragen, der bevorzugte zuerst.",
          "{n} mail server(s) listed, the preferred one first.",
          { n: sorted.length },
        ),
        raw,
      });
      const hosts = [...new Set(sorted.map((r) => normalizeDomain(r.exchange)))];
      const resolved = await Promise.all(
        hosts.map(async (host) => {
          const [a, aaaa] = await Promise.all([resolver.lookup(host, "A"), resolver.lookup(host, "AAAA")]);
          return { host, a, aaaa };
        }),
      );
      for (const { host, a, aaaa } of resolved) {
        if (a.status === "ok" || aaaa.status === "ok") continue;
        const temporary = [a, aaaa].find((o) => o.status === "temporary");
        if (temporary) {
          mxFindings.push(
            temporaryFinding("mx", "mx.host-temporary", L(`Mailserver ${host}`, `mail server ${host}`), temporary, host),
          );
          continue;
        }
        mxFindings.push({
          step: "mx",
          code: "mx.host-unresolved",
          status: "warning",
          title: L("Ein Mailserver ist nicht erreichbar: {host}", "A mail server cannot be reached: {host}", { host }),
          detail: L(
            "Der MX-Eintrag nennt {host}, aber für diesen Namen gibt es keine IP-Adresse (kein A-/AAAA-Eintrag). E-Mails an diesen Server können nicht zugestellt werden.",
            "The MX record names {host}, but that name has no IP address (no A/AAAA record). Mail to this server cannot be delivered.",
            { host },
          ),
          action: L(
            "Korrigieren Sie den MX-Eintrag oder legen Sie für {host} die IP-Adresse an.",
            "Correct the MX record or add the IP address for {host}.",
            { host },
          ),
          raw: [`${host} A: ${a.status === "empty" ? a.reason : a.status}, AAAA: ${aaaa.status === "empty" ? aaaa.reason : aaaa.status}`],
        });
      }
    }
  }
  await finishStep("mx", mxFindings);

  // 5. DMARC ─────────────────────────────────────────────────────────────────
  await finishStep("dmarc", await dmarcFindings(domain, resolver, report));

  // 6. DKIM ──────────────────────────────────────────────────────────────────
  await finishStep("dkim", await dkimFindings(domain, resolver, options, report));

  // Verdict ──────────────────────────────────────────────────────────────────
  const blockingSteps = new Set<CheckStep>(["txt", "spf-records", "spf-evaluation", "mx"]);
  const blocking = report.findings.filter((f) => blockingSteps.has(f.step));
  const green =
    spfRecords.length === 1 &&
    report.spf.evaluations.length === gatewayIps.length &&
    report.spf.evaluations.every((e) => e.result === "pass") &&
    report.spf.platformIncludesReached.length > 0 &&
    report.mx !== null &&
    report.mx.records.length > 0 &&
    !report.mx.nullMx &&
    !blocking.some((f) => f.status === "error" || f.status === "temporary");
  const hasError = blocking.some((f) => f.status === "error");
  const hasTemporary = blocking.some((f) => f.status === "temporary");
  report.verdict = green ? "green" : hasTemporary && !hasError ? "temporary" : "not_ready";

  const finished = now();
  report.finishedAt = finished.toISOString();
  report.durationMs = Math.round((performance.now() - t0) * 10) / 10;
  report.dnsQueries = options.resolver.queryCount - queriesBefore;
  return report;
}

function evaluationFinding(e: { ip: string } & CheckHostOutput, domain: string, hasSuggestion: boolean, include: string): Finding {
  const raw = [`check_host(${e.ip}, ${domain}): ${e.result} — ${e.explanation} (${e.lookups} lookups, ${e.voidLookups} void)`];
  const base = { step: "spf-evaluation" as const, raw };
  switch (e.result) {
    case "pass":
      return {
        ...base,
        code: "spf.eval.pass",
        status: "ok",
        title: L("Unser Versandserver {ip} darf für {domain} senden", "Our sending server {ip} may send for {domain}", { ip: e.ip, domain }),
        detail: L("SPF-Prüfung nach RFC 7208: pass.", "SPF check per RFC 7208: pass."),
      };
    case "temperror":
      return {
        ...base,
        code: "spf.eval.temperror",
        status: "temporary",
        title: L("Konnte nicht geprüft werden (vorübergehend): Versandserver {ip}", "Could not check (temporary): sending server {ip}", { ip: e.ip }),
        detail: L(
          "Bei der SPF-Prüfung hat ein DNS-Server nicht rechtzeitig oder mit einem Fehler geantwortet. Das sagt nichts über Ihre Einstellungen aus.",
          "During the SPF check a DNS server did not answer in time, or answered with an error. This says nothing about your settings.",
        ),
        action: L("Bitte prüfen Sie in einigen Minuten erneut.", "Please check again in a few minutes."),
      };
    case "permerror":
      return {
        ...base,
        code: "spf.eval.permerror",
        status: "error",
        title: L("Ihr SPF-Eintrag ist fehlerhaft – Empfänger ignorieren ihn", "Your SPF record is broken – receivers ignore it"),
        detail: L(
          "Die Prüfung für unseren Versandserver {ip} ergibt „permerror“: {why}",
          "The check for our sending server {ip} gives “permerror”: {why}",
          { ip: e.ip, why: e.explanation },
        ),
        action: L("Beheben Sie die oben genannten Fehler im SPF-Eintrag.", "Fix the errors in the SPF record listed above."),
      };
    case "none":
      return {
        ...base,
        code: "spf.eval.none",
        status: "error",
        title: L("Unser Versandserver {ip} ist nicht berechtigt", "Our sending server {ip} is not authorized", { ip: e.ip }),
        detail: L(
          "Ohne SPF-Eintrag gibt es nichts zu prüfen (Ergebnis „none“).",
          "Without an SPF record there is nothing to check (result “none”).",
        ),
        action: L("Legen Sie den oben vorgeschlagenen SPF-Eintrag an.", "Create the SPF record suggested above."),
      };
    default:
      return {
        ...base,
        code: `spf.eval.${e.result}`,
        status: "error",
        title: L("Unser Versandserver {ip} ist nicht berechtigt", "Our sending server {ip} is not authorized", { ip: e.ip }),
        detail: L(
          "Die SPF-Prüfung ergibt „{result}“: Empfänger behandeln E-Mails über die Plattform als nicht von Ihnen autorisiert und weisen sie ab oder sortieren sie als Spam ein.",
          "The SPF check gives “{result}”: receivers treat mail sent through the platform as not authorized by you and reject it or file it as spam.",
          { result: e.result },
        ),
        action: hasSuggestion
          ? L("Übernehmen Sie den oben vorgeschlagenen SPF-Eintrag.", "Use the SPF record suggested above.")
          : // The platform include is there but does not take effect: after "all", or with a "-"/"~"/"?" in front.
            L(
              "Das include:{include} muss vor „all“ stehen und ohne Zeichen davor (nicht „-include:“ oder „~include:“). Beachten Sie die Hinweise oben.",
              "The include:{include} must come before “all” and without a sign in front (not “-include:” or “~include:”). See the notes above.",
              { include },
            ),
      };
  }
}

async function dmarcFindings(domain: string, resolver: DnsResolver, report: DomainCheckReport): Promise<Finding[]> {
  const findings: Finding[] = [];
  let found = await dmarcAt(resolver, domain);
  let policyDomain = domain;
  // RFC 7489 §6.6.3: without a record at the domain, the organizational domain's applies.
  const orgDomain = getDomain(domain, { allowPrivateDomains: true }) ?? domain;
  if (found.records.length === 0 && (found.outcome.status === "empty" || found.outcome.status === "ok") && orgDomain !== domain) {
    found = await dmarcAt(resolver, orgDomain);
    policyDomain = orgDomain;
  }
  const { outcome, records } = found;
  if (outcome.status === "temporary" || outcome.status === "invalid") {
    return [temporaryFinding("dmarc", "dmarc.temporary", L("DMARC", "DMARC"), outcome, `_dmarc.${policyDomain}`)];
  }
  const starter = starterDmarc(orgDomain);
  const whyDmarc = L(
    "Gmail und Yahoo verlangen seit 2024 von Absendern, die viele E-Mails an ihre Nutzer schicken (ab etwa 5.000 am Tag – Schulungserinnerungen an eine ganze Belegschaft erreichen das schnell), einen DMARC-Eintrag; schon „p=none“ genügt. DMARC schützt Ihre Domain außerdem vor Fälschungen und liefert Berichte darüber, wer in Ihrem Namen sendet.",
    "Since 2024, Gmail and Yahoo require a DMARC record from senders who send many messages to their users (from about 5,000 a day – training reminders to a whole workforce reach that quickly); “p=none” is already enough. DMARC also protects your domain against forgery and sends reports about who sends in your name.",
  );
  if (records.length === 0) {
    return [
      {
        step: "dmarc",
        code: "dmarc.none",
        status: "warning",
        title: L("Es gibt keinen DMARC-Eintrag", "There is no DMARC record"),
        detail: whyDmarc,
        action: L(
          "Legen Sie bei Ihrem DNS-Anbieter einen TXT-Eintrag mit dem Namen _dmarc.{org} an und ersetzen Sie die Adresse nach mailto: durch ein Postfach, das Sie lesen (dorthin kommen die Berichte): {record}",
          "At your DNS provider, create a TXT record named _dmarc.{org}, with a mailbox you read after mailto: (the reports go there): {record}",
          { org: orgDomain, record: starter },
        ),
        raw: [`_dmarc.${domain}: ${outcome.status === "empty" ? outcome.reason : "no v=DMARC1 record"}`, `_dmarc.${orgDomain} TXT "${starter}"`],
      },
    ];
  }
  if (records.length > 1) {
    return [
      {
        step: "dmarc",
        code: "dmarc.multiple",
        status: "error",
        title: L("Es gibt mehrere DMARC-Einträge", "There are several DMARC records"),
        detail: L(
          "Bei _dmarc.{where} stehen {n} DMARC-Einträge. Empfänger werten dann keinen davon (RFC 7489 §6.6.3) – als gäbe es keinen.",
          "_dmarc.{where} has {n} DMARC records. Receivers then use none of them (RFC 7489 §6.6.3) – as if there were none.",
          { where: policyDomain, n: records.length },
        ),
        action: L("Löschen Sie alle bis auf einen.", "Delete all but one."),
        raw: records,
      },
    ];
  }
  const record = records[0]!;
  const tags = parseTagList(record);
  const inherited = policyDomain !== domain;
  const rawPolicy = (inherited ? (tags.sp ?? tags.p) : tags.p)?.toLowerCase() ?? null;
  const pctNumber = tags.pct !== undefined && /^\d+$/.test(tags.pct) ? Math.min(100, Number(tags.pct)) : 100;
  const rua = (tags.rua ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const adkim = tags.adkim?.toLowerCase() === "s" ? "s" : "r";
  const aspf = tags.aspf?.toLowerCase() === "s" ? "s" : "r";
  report.dmarc = { domain: policyDomain, record, inherited, policy: rawPolicy, pct: pctNumber, rua, adkim, aspf };
  const raw = [`_dmarc.${policyDomain}: ${record}`];
  const where = inherited
    ? L(" (geerbt von {org})", " (inherited from {org})", { org: policyDomain })
    : { de: "", en: "" };
  if (!rawPolicy || !["none", "quarantine", "reject"].includes(rawPolicy)) {
    findings.push({
      step: "dmarc",
      code: "dmarc.invalid-policy",
      status: "warning",
      title: L("Der DMARC-Eintrag hat keine gültige Richtlinie", "The DMARC record has no valid policy"),
      detail: L(
        "„p=“ fehlt oder ist ungültig ({value}); erlaubt sind none, quarantine und reject.",
        "“p=” is missing or invalid ({value}); allowed are none, quarantine and reject.",
        { value: rawPolicy ?? "—" },
      ),
      action: L("Ergänzen Sie z. B. „p=none;“ direkt nach „v=DMARC1;“.", "Add e.g. “p=none;” right after “v=DMARC1;”."),
      raw,
    });
  } else {
    const policyText: Record<string, Localized> = {
      none: L("nur beobachten (p=none)", "monitor only (p=none)"),
      quarantine: L("verdächtige E-Mails in den Spam (p=quarantine)", "suspicious mail to spam (p=quarantine)"),
      reject: L("verdächtige E-Mails abweisen (p=reject)", "reject suspicious mail (p=reject)"),
    };
    const p = policyText[rawPolicy]!;
    findings.push({
      step: "dmarc",
      code: "dmarc.found",
      status: "ok",
      title: { de: `DMARC ist eingerichtet: ${p.de}${where.de}`, en: `DMARC is set up: ${p.en}${where.en}` },
      detail: {
        de: [
          pctNumber < 100 ? `Die Richtlinie gilt für ${pctNumber} % der E-Mails.` : "",
          rua.length ? `Berichte gehen an ${rua.join(", ")}.` : "Es werden keine Berichte angefordert (rua=).",
        ]
          .filter(Boolean)
          .join(" "),
        en: [
          pctNumber < 100 ? `The policy applies to ${pctNumber}% of messages.` : "",
          rua.length ? `Reports go to ${rua.join(", ")}.` : "No reports are requested (rua=).",
        ]
          .filter(Boolean)
          .join(" "),
      },
      ...(rua.length === 0 || rawPolicy === "none"
        ? {
            action: {
              de: [
                rua.length === 0 ? "Ergänzen Sie „rua=mailto:…“ mit einem Postfach, das Sie lesen, um Berichte zu erhalten." : "",
                rawPolicy === "none"
                  ? "Wenn die Berichte zeigen, dass alle Ihre E-Mails DMARC bestehen, stellen Sie auf „p=quarantine“ um."
                  : "",
              ]
                .filter(Boolean)
                .join(" "),
              en: [
                rua.length === 0 ? "Add “rua=mailto:…” with a mailbox you read to receive reports." : "",
                rawPolicy === "none" ? "Once the reports show that all your mail passes DMARC, switch to “p=quarantine”." : "",
              ]
                .filter(Boolean)
                .join(" "),
            },
          }
        : {}),
      raw,
    });
  }
  // Alignment (RFC 7489 §3.1): DMARC passes only when SPF or DKIM passes for a
  // domain aligned with the From domain. The platform sends with the customer's
  // address as envelope sender, so SPF aligns once the record is right.
  const strict = adkim === "s" || aspf === "s";
  findings.push({
    step: "dmarc",
    code: strict ? "dmarc.alignment-strict" : "dmarc.alignment",
    status: strict ? "warning" : "ok",
    title: strict
      ? L("Strenge Zuordnung: Absenderadresse genau @{domain}", "Strict alignment: sender address exactly @{domain}", { domain })
      : L("Absenderadresse und Domain passen zusammen", "Sender address and domain belong together"),
    detail: strict
      ? L(
          "Ihr DMARC-Eintrag verlangt strenge Zuordnung ({tags}): Die Absenderadresse muss genau auf @{domain} enden, nicht auf eine Subdomain, sonst schlägt DMARC fehl.",
          "Your DMARC record requires strict alignment ({tags}): the sender address must end exactly in @{domain}, not a subdomain, or DMARC fails.",
          { tags: [adkim === "s" ? "adkim=s" : "", aspf === "s" ? "aspf=s" : ""].filter(Boolean).join(", "), domain },
        )
      : L(
          "DMARC ist bestanden, wenn SPF oder DKIM für {domain} gelten. Die Plattform sendet mit Ihrer Adresse als Absender; SPF passt also, sobald der SPF-Eintrag stimmt. DKIM ist ein zweiter Weg, der auch bei weitergeleiteten E-Mails hält.",
          "DMARC passes when SPF or DKIM passes for {domain}. The platform sends with your address as the sender, so SPF aligns once the SPF record is right. DKIM is a second path that also survives forwarding.",
          { domain },
        ),
    action: L(
      "Verwenden Sie als Absender eine Adresse @{domain} und richten Sie zusätzlich DKIM ein.",
      "Use a sender address @{domain} and set up DKIM as well.",
      { domain },
    ),
  });
  return findings;
}

async function dkimFindings(
  domain: string,
  resolver: DnsResolver,
  options: DomainCheckOptions,
  report: DomainCheckReport,
): Promise<Finding[]> {
  const selector = options.dkimSelector?.trim();
  if (!selector) {
    return [
      {
        step: "dkim",
        code: "dkim.not-set-up",
        status: "pending",
        title: L("DKIM ist noch nicht eingerichtet (optional)", "DKIM is not set up yet (optional)"),
        detail: L(
          "Mit DKIM unterschreibt die Plattform jede E-Mail digital für {domain}. Das verbessert die Zustellung und hält DMARC auch bei weitergeleiteten E-Mails aufrecht.",
          "With DKIM the platform signs every message digitally for {domain}. This improves delivery and keeps DMARC passing for forwarded mail too.",
          { domain },
        ),
        action: L(
          "Erzeugen Sie auf dieser Seite einen DKIM-Schlüssel und veröffentlichen Sie den angezeigten TXT-Eintrag.",
          "Generate a DKIM key on this page and publish the TXT record shown.",
        ),
      },
    ];
  }
  const name = dkimRecordName(selector, domain);
  const ours = options.dkimPublicKey ? dkimTxtRecord(options.dkimPublicKey, selector, domain) : null;
  report.dkim = { selector, name, record: null, keyMatches: null };
  const outcome = await resolver.lookup(name, "TXT");
  if (outcome.status === "temporary" || outcome.status === "invalid") {
    return [temporaryFinding("dkim", "dkim.temporary", L("DKIM", "DKIM"), outcome, name)];
  }
  const publish = ours
    ? L(
        "Legen Sie bei Ihrem DNS-Anbieter einen TXT-Eintrag mit dem Namen {name} und diesem Inhalt an: {value}",
        "At your DNS provider, create a TXT record named {name} with this content: {value}",
        { name, value: ours.value },
      )
    : L("Veröffentlichen Sie den DKIM-Eintrag unter {name}.", "Publish the DKIM record at {name}.", { name });
  const oursRaw = ours ? [`${name} TXT ${ours.zoneFile}`] : [];
  const records = outcome.records.map(joinTxt).filter((r) => /(^|;)\s*p\s*=/.test(r) || /^v=DKIM1/i.test(r));
  if (records.length === 0) {
    return [
      {
        step: "dkim",
        code: "dkim.not-published",
        status: "pending",
        title: L("Der DKIM-Schlüssel ist noch nicht veröffentlicht", "The DKIM key is not published yet"),
        detail: L(
          "Unter {name} gibt es noch keinen DKIM-Eintrag. Nach einer Änderung kann es bis zu einigen Stunden dauern, bis sie sichtbar ist.",
          "There is no DKIM record at {name} yet. After a change it can take up to a few hours to become visible.",
          { name },
        ),
        action: publish,
        raw: [`${name}: ${outcome.status === "empty" ? outcome.reason : "no DKIM record"}`, ...oursRaw],
      },
    ];
  }
  const published = records[0]!;
  report.dkim.record = published;
  if (records.length > 1) {
    return [
      {
        step: "dkim",
        code: "dkim.multiple",
        status: "error",
        title: L("Unter dem DKIM-Namen stehen mehrere Einträge", "There are several records at the DKIM name"),
        detail: L("Unter {name} stehen {n} DKIM-Einträge; Empfänger können die Signatur dann nicht sicher prüfen.", "{name} has {n} DKIM records; receivers then cannot verify the signature reliably.", {
          name,
          n: records.length,
        }),
        action: publish,
        raw: [...records, ...oursRaw],
      },
    ];
  }
  if (!options.dkimPublicKey) {
    return [
      {
        step: "dkim",
        code: "dkim.published",
        status: "ok",
        title: L("Ein DKIM-Schlüssel ist veröffentlicht", "A DKIM key is published"),
        detail: L("Unter {name} steht ein DKIM-Eintrag.", "There is a DKIM record at {name}.", { name }),
        raw: [published],
      },
    ];
  }
  const comparison = compareDkimRecord(published, options.dkimPublicKey);
  report.dkim.keyMatches = comparison.status === "match";
  if (comparison.status === "match") {
    return [
      {
        step: "dkim",
        code: "dkim.match",
        status: "ok",
        title: L("DKIM ist eingerichtet", "DKIM is set up"),
        detail: L(
          "Der unter {name} veröffentlichte Schlüssel passt zu Ihrem Schlüssel auf der Plattform.",
          "The key published at {name} matches your key on the platform.",
          { name },
        ),
        raw: [published],
      },
    ];
  }
  return [
    {
      step: "dkim",
      code: `dkim.${comparison.status}`,
      status: "error",
      title:
        comparison.status === "mismatch"
          ? L("Der veröffentlichte DKIM-Schlüssel passt nicht", "The published DKIM key does not match")
          : comparison.status === "revoked"
            ? L("Der veröffentlichte DKIM-Schlüssel ist gesperrt", "The published DKIM key is revoked")
            : L("Der DKIM-Eintrag ist fehlerhaft", "The DKIM record is invalid"),
      detail:
        comparison.status === "mismatch"
          ? L(
              "Unter {name} steht ein anderer Schlüssel als der, mit dem die Plattform unterschreibt. Empfänger würden unsere Signaturen als ungültig ansehen.",
              "{name} holds a different key from the one the platform signs with. Receivers would see our signatures as invalid.",
              { name },
            )
          : comparison.status === "revoked"
            ? L("Der Eintrag unter {name} hat ein leeres „p=“: der Schlüssel ist zurückgezogen.", "The record at {name} has an empty “p=”: the key is revoked.", { name })
            : L("Der Eintrag unter {name} ist ungültig: {reason}.", "The record at {name} is invalid: {reason}.", {
                name,
                reason: comparison.status === "invalid" ? comparison.reason : "",
              }),
      action: appendText(
        L("Ersetzen Sie den Eintrag. ", "Replace the record. "),
        publish,
      ),
      raw: [`published: ${published}`, ...oursRaw],
    },
  ];
}
