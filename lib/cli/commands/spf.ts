import net from "node:net";
import { domainToASCII } from "node:url";
import { createResolver } from "../../domain-check/resolver";
import { checkHost } from "../../domain-check/spf";
import { CliUsageError, optionalFlag, printResult, requireFlag, type CliCommand, type CliContext } from "../types";

/** The resolver of a CLI command: --dns / DNS_SERVERS, or the system's resolvers. */
export function cliResolver(ctx: CliContext, deadlineMs: number) {
  try {
    return createResolver({ ...(ctx.dnsServers ? { servers: ctx.dnsServers } : {}), deadlineMs });
  } catch (error) {
    throw new CliUsageError(`--dns: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export const command: CliCommand = {
  words: ["spf"],
  summary: "RFC 7208 check_host(): may IP send mail for DOMAIN? Prints result, explanation and DNS lookups.",
  usage: "postillion spf --ip IP --domain D [--sender ADDR] [--helo NAME] [--dns HOST:PORT] [--json]",
  run: async (ctx) => {
    const ip = requireFlag(ctx, "ip").trim();
    if (!net.isIP(ip)) throw new CliUsageError(`--ip must be an IPv4 or IPv6 address, got "${ip}"`);
    let domain = requireFlag(ctx, "domain").trim();
    // check_host() defines the result for malformed names itself ("none",
    // RFC 7208 §4.3), so the domain is not validated here — only an
    // internationalized name is converted to the ASCII form DNS holds.
    if (/[^\x00-\x7f]/.test(domain)) domain = domainToASCII(domain) || domain;
    const sender = optionalFlag(ctx, "sender");
    const helo = optionalFlag(ctx, "helo");
    if (sender !== undefined) {
      const at = sender.lastIndexOf("@");
      const senderDomain = (at >= 0 ? sender.slice(at + 1) : sender).replace(/\.$/, "").toLowerCase();
      if (senderDomain !== domain.replace(/\.$/, "").toLowerCase()) {
        throw new CliUsageError(
          `--sender "${sender}" is not in --domain "${domain}": check_host() evaluates the domain of the sender (RFC 7208 §4.1)`,
        );
      }
    }
    const resolver = cliResolver(ctx, 20_000);
    const out = await checkHost({
      ip,
      domain,
      ...(sender !== undefined ? { sender } : {}),
      ...(helo !== undefined ? { helo } : {}),
      resolver,
    });
    printResult(
      ctx,
      { result: out.result, explanation: out.explanation, lookups: out.lookups },
      `${out.result}: ${out.explanation} (${out.lookups} DNS lookup${out.lookups === 1 ? "" : "s"})`,
    );
    return 0;
  },
};
