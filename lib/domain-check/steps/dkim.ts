import type { DomainCheckOptions, DomainCheckReport } from "../check";
import { joinTxt } from "../spf-record";
import { compareDkimRecord, dkimRecordName, dkimTxtRecord } from "../dkim";
import type { DnsResolver } from "../resolver";
import type { Finding } from "../types";
import { appendText, L, temporaryFinding } from "./shared";

/** Step 6 (optional): our DKIM key published under the tenant's selector. Fills report.dkim. */
export async function dkimFindings(
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
