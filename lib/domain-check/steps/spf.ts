import type { Localized } from "../../i18n/locale";
import type { DomainCheckReport } from "../check";
import type { DnsResolver, LookupOutcome } from "../resolver";
import {
  checkHost,
  SPF_LOOKUP_LIMIT,
  SPF_VOID_LOOKUP_LIMIT,
  walkSpf,
  type CheckHostOutput,
  type SpfProblem,
  type SpfTreeNode,
} from "../spf";
import type { SpfSuggestion } from "../suggest";
import type { CheckStep, Finding } from "../types";
import { appendText, L, temporaryFinding } from "./shared";

// Steps 2 (the SPF records) and 3 (their evaluation for the gateway IPs).

interface SpfContext {
  domain: string;
  resolver: DnsResolver;
  spfIncludes: string[];
  gatewayIps: string[];
  /** The v=spf1 records at the domain. */
  spfRecords: string[];
  /** The record to publish (merged with the existing one), when one is needed. */
  suggestion: SpfSuggestion | null;
  /** Filled in: report.spf's tree, lookups and evaluations. */
  report: DomainCheckReport;
}

/** Both SPF steps when the TXT step failed: temporary, or moot for a domain that does not exist. */
export function spfSkippedFinding(step: CheckStep, txt: { temporary: boolean; outcome: LookupOutcome<unknown> }, domain: string): Finding {
  return txt.temporary
    ? temporaryFinding(step, `${step}.temporary`, L("SPF-Eintrag", "SPF record"), txt.outcome, domain)
    : {
        step,
        code: `${step}.skipped`,
        status: "error",
        title: L("Nicht geprüft: die Domain gibt es nicht", "Not checked: the domain does not exist"),
        detail: L("Ohne Domain gibt es keinen SPF-Eintrag.", "Without a domain there is no SPF record."),
      };
}

/** Step 2: none, one or several records; for one, its tree, lookups and problems. */
export async function spfRecordFindings({ domain, resolver, spfIncludes, spfRecords, suggestion, report }: SpfContext): Promise<Finding[]> {
  const findings: Finding[] = [];
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
    const summary = await walkSpf(domain, { resolver, platformIncludes: spfIncludes, record });
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
  return findings;
}

/** Step 3: check_host() for each gateway IP, and whether the suggestion would pass. */
export async function spfEvaluationFindings({ domain, resolver, spfIncludes, gatewayIps, suggestion, report }: SpfContext): Promise<Finding[]> {
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
  return evalFindings;
}

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
