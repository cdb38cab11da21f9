import { config, type PlatformConfig } from "../config/platform-profile";

/**
 * The platform profile the domain check needs: the SPF include domains a customer may
 * use (the first is the one we suggest) and the gateway's sending IPs (each customer
 * record is evaluated for them). Operator configuration, validated once in
 * lib/config/platform-profile.ts. Without gateway IPs only the include is checked.
 */
export interface PlatformProfile {
  spfIncludes: string[];
  gatewayIps: string[];
}

export function spfProfile(cfg: Pick<PlatformConfig, "PLATFORM_SPF_INCLUDES" | "PLATFORM_GATEWAY_IPS"> = config()): PlatformProfile {
  return {
    spfIncludes: cfg.PLATFORM_SPF_INCLUDES.map((d) => d.toLowerCase().replace(/\.$/, "")),
    gatewayIps: cfg.PLATFORM_GATEWAY_IPS,
  };
}
