import type { PlatformProfile } from "../domain-check/profile";
import type { DomainCheckEnvironment } from "../domain-check/service";

/** The platform profile lib/domain-check/fixtures/check-zone.json is written for. */
export const FIXTURE_PROFILE: PlatformProfile = {
  spfIncludes: ["secure-mailgate.com", "reflact-train.com", "ilearn24.net"],
  gatewayIps: ["192.0.2.10"],
};

/**
 * The domain check's environment for tests: look-ups against a loopback DNS server
 * (lib/testing/dns-server.ts), instruction mails through a loopback relay (or none).
 */
export function testDomainCheckEnvironment(p: {
  dnsAddress: string;
  relayUrl: string | undefined;
  profile?: PlatformProfile;
  queryTimeoutMs?: number;
  deadlineMs?: number;
}): DomainCheckEnvironment {
  return {
    dnsServers: [p.dnsAddress],
    profile: p.profile ?? FIXTURE_PROFILE,
    queryTimeoutMs: p.queryTimeoutMs ?? 2_000,
    deadlineMs: p.deadlineMs ?? 20_000,
    relayUrl: p.relayUrl,
    noreplyAddress: "noreply@platform.example",
  };
}
