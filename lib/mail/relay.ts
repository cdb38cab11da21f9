import { sendMessage, type ProbeOptions, type ProbeResult, type SmtpSettings } from "./transport";

/** smtp://user:pass@host:port or smtps://… (SMTP_RELAY_URL) → the settings sendMessage takes. */
export function relaySettings(
  url: string,
  from: { address: string; name: string },
  replyTo: string | null = null,
): SmtpSettings {
  const u = new URL(url);
  const tls = u.protocol === "smtps:";
  return {
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: u.port ? Number(u.port) : tls ? 465 : 587,
    // smtp:// upgrades when the relay offers STARTTLS (the operator chose the URL).
    security: tls ? "tls" : "none",
    user: u.username ? decodeURIComponent(u.username) : null,
    password: u.password ? decodeURIComponent(u.password) : null,
    fromAddress: from.address,
    fromName: from.name,
    replyTo,
  };
}

/**
 * Sends one platform mail (codes, instructions) through the relay. The relay is
 * operator configuration, not tenant input, so private hosts and its port are allowed.
 */
export function sendThroughRelay(
  url: string,
  from: { address: string; name: string; replyTo?: string | null },
  message: Parameters<typeof sendMessage>[1],
  probe: ProbeOptions = {},
): Promise<ProbeResult> {
  const settings = relaySettings(url, from, from.replyTo ?? null);
  return sendMessage(settings, message, { allowPrivate: true, allowedPorts: [settings.port], ...probe });
}
