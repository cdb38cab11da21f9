/**
 * The sender form as a browser posts it for an own SMTP server without TLS (loopback
 * test servers): tests parse it with senderSettingsSchema and save it like the page does.
 */
export function plainSmtpForm(p: { host: string; port: number }): Record<string, string> {
  return {
    mode: "custom_smtp",
    host: p.host,
    port: String(p.port),
    security: "none",
    acknowledgeNoTls: "on",
    fromAddress: "training@acme.example",
    displayName: "ACME",
    replyTo: "",
    ratePerMinute: "60",
    dailyQuota: "1000",
  };
}
