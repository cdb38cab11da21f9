import { localized, type Localized } from "../../i18n/locale";
import type { LookupOutcome } from "../resolver";
import type { CheckStep, Finding } from "../types";

export const L = localized;

/** DNS trouble is "could not check (temporary)", never a failure of the customer's setup. */
export function temporaryFinding(step: CheckStep, code: string, what: Localized, outcome: LookupOutcome<unknown>, name: string): Finding {
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

export function appendText(a: Localized, b: Localized): Localized {
  return { de: a.de + b.de, en: a.en + b.en };
}
