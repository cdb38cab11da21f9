import { readFile } from "node:fs/promises";
import { isLocale, type Locale } from "../../i18n/locale";
import { runDomainCheck, type StepReport } from "../../domain-check/check";
import { validateDomain } from "../../domain-check/domain";
import { spfProfile } from "../../domain-check/profile";
import { domainValidationMessages } from "../../validation/catalog/domain";
import { interpolate } from "../../i18n/locale";
import { CliUsageError, optionalFlag, printResult, requireFlag, type CliCommand } from "../types";
import { cliResolver } from "./spf";

const MARK: Record<string, string> = { ok: "ok  ", warning: "WARN", error: "ERR ", pending: "…   ", temporary: "TEMP" };

function stepText(step: StepReport, locale: Locale): string {
  const lines = [`[${MARK[step.status]}] ${step.title[locale]}`];
  for (const f of step.findings) {
    lines.push(`    ${MARK[f.status]} ${f.title[locale]}`);
    if (f.status !== "ok") lines.push(`         ${f.detail[locale]}`);
    if (f.action) lines.push(`         → ${f.action[locale]}`);
  }
  return lines.join("\n") + "\n";
}

export const command: CliCommand = {
  words: ["dns-check"],
  summary:
    "Live domain check (SPF, MX, DMARC, DKIM) for the platform profile (PLATFORM_SPF_INCLUDES, PLATFORM_GATEWAY_IPS); --json prints the findings the UI shows.",
  usage:
    "postillion dns-check --domain D [--dns HOST:PORT] [--dkim-selector S] [--dkim-public-key PEM_FILE] [--locale de|en] [--json]",
  run: async (ctx) => {
    const input = requireFlag(ctx, "domain");
    const validation = validateDomain(input);
    if (!validation.ok) {
      const message = domainValidationMessages[validation.key]?.en ?? "invalid domain";
      throw new CliUsageError(`--domain "${input}": ${interpolate(message, validation.params ?? {})}`);
    }
    const localeFlag = optionalFlag(ctx, "locale") ?? "en";
    if (!isLocale(localeFlag)) throw new CliUsageError(`--locale must be de or en, got "${localeFlag}"`);
    const selector = optionalFlag(ctx, "dkim-selector");
    const keyFile = optionalFlag(ctx, "dkim-public-key");
    if (keyFile !== undefined && selector === undefined) throw new CliUsageError("--dkim-public-key needs --dkim-selector");
    const dkimPublicKey = keyFile !== undefined ? await readFile(keyFile, "utf8") : undefined;
    const profile = spfProfile();
    const report = await runDomainCheck(validation.domain, {
      resolver: cliResolver(ctx, 60_000),
      profile,
      ...(selector !== undefined ? { dkimSelector: selector } : {}),
      ...(dkimPublicKey !== undefined ? { dkimPublicKey } : {}),
      // Without --json, show each step as it completes; with --json stdout holds only the one document.
      onStep: (step) => {
        if (!ctx.json) ctx.stdout(stepText(step, localeFlag));
      },
    });
    const verdict = {
      green: { de: "Grün: die Domain kann als Absender genutzt werden.", en: "Green: the domain can be used as sender." },
      not_ready: { de: "Rot: die Domain kann so nicht als Absender genutzt werden.", en: "Red: the domain cannot be used as sender like this." },
      temporary: { de: "Konnte nicht vollständig geprüft werden (vorübergehend).", en: "Could not be checked completely (temporary)." },
    }[report.verdict][localeFlag];
    printResult(ctx, report, `\n${verdict} (${report.durationMs} ms, ${report.dnsQueries} DNS queries)`);
    return 0;
  },
};
