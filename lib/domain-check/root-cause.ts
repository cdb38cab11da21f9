import { localized, type Localized } from "../i18n/locale";
import type { CheckStep, FindingStatus } from "./types";

/**
 * One root cause instead of a list of follow-on problems. When the domain itself does
 * not resolve (NXDOMAIN on its TXT lookup), every later step fails for that one reason:
 * asking IT for MX and DMARC records of a name that may be a typo helps no one. The UI
 * shows this finding and collapses the other steps under it. The check's stored
 * findings stay as they are; this only reads them.
 */

export interface RootCause {
  code: "domain.not-found";
  title: Localized;
  action: Localized;
  /** The steps whose findings follow from the root cause (shown collapsed). */
  followOn: CheckStep[];
}

interface CheckLike {
  domain: string;
  steps: { step: CheckStep; done: boolean; findings: { code: string; status: FindingStatus }[] }[];
}

const NXDOMAIN_CODE = "txt.nxdomain";

export function rootCause(check: CheckLike): RootCause | null {
  const missing = check.steps.some((s) => s.done && s.findings.some((f) => f.code === NXDOMAIN_CODE));
  if (!missing) return null;
  const d = check.domain;
  return {
    code: "domain.not-found",
    title: localized(`Unser DNS-Server findet ${d} nicht`, `Our DNS server cannot find ${d}`),
    action: localized(
      `Prüfen Sie die Schreibweise oder fragen Sie Ihre IT, ob die Domain ${d} öffentlich ist.`,
      `Check the spelling, or ask your IT whether the domain ${d} is public.`,
    ),
    followOn: check.steps.filter((s) => !s.findings.some((f) => f.code === NXDOMAIN_CODE)).map((s) => s.step),
  };
}
