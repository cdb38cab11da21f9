import type { DomainCheckReport } from "../check";
import type { DnsResolver } from "../resolver";
import { normalizeDomain } from "../spf";
import type { Finding } from "../types";
import { L, temporaryFinding } from "./shared";

/** Step 4: can the domain receive mail — MX sorted, null MX (RFC 7505), hosts that resolve. Fills report.mx. */
export async function mxFindings(domain: string, resolver: DnsResolver, report: DomainCheckReport): Promise<Finding[]> {
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
  return mxFindings;
}
