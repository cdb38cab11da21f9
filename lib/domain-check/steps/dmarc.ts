import { getDomain } from "tldts";
import type { Localized } from "../../i18n/locale";
import type { DomainCheckReport } from "../check";
import type { DnsResolver } from "../resolver";
import { joinTxt } from "../spf-record";
import type { Finding } from "../types";
import { L, temporaryFinding } from "./shared";

/** Step 5: the DMARC record that applies (the domain's or its organizational domain's). Fills report.dmarc. */
export async function dmarcFindings(domain: string, resolver: DnsResolver, report: DomainCheckReport): Promise<Finding[]> {
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
