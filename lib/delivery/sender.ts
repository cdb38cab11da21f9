import { and, desc, eq, isNotNull } from "drizzle-orm";
import { config as platformConfig, type PlatformConfig } from "../config/platform-profile";
import { encryptionKeys } from "../config/encryption";
import { decryptSecret, secretAad, type EncryptionKeys } from "../crypto/secret-box";
import type { Db } from "../db";
import { addressDomain } from "../mail/address";
import { relaySettings } from "../mail/relay";
import type { ProbeOptions, SmtpSettings } from "../mail/transport";
import { getSenderSettings } from "../sender/queries";
import { loadSenderOverview, senderEnvironment, storedSmtpSettings, type SenderEnvironment } from "../sender/service";
import type { SenderMode } from "../sender/sender-schema";
import { getOpenPause } from "./pause";

/**
 * Which server a tenant's mail goes through, with which From, and whether it may go at
 * all: the sender page's readiness (lib/sender/service loadSenderOverview) decides, a
 * sending pause (a sender-wide failure) stops it until resumed. Resolved once per tenant
 * and worker tick, secrets decrypted here, outside any transaction.
 */

export interface DeliveryEnvironment {
  sender: SenderEnvironment;
  keys: EncryptionKeys;
  /** The app's public address (PUBLIC_URL), for links in mails. */
  publicUrl: string;
  /** Tests: TLS options, timeouts. */
  probe?: ProbeOptions;
}

export function deliveryEnvironment(cfg: PlatformConfig = platformConfig()): DeliveryEnvironment {
  return { sender: senderEnvironment(cfg), keys: encryptionKeys(), publicUrl: cfg.PUBLIC_URL };
}

export interface DkimSigning {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

export type TenantSender =
  | {
      ok: true;
      tenantId: string;
      mode: SenderMode;
      smtp: SmtpSettings;
      /** The SSRF policy and probe options for connecting to `smtp`. */
      policy: ProbeOptions;
      fromAddress: string;
      fromName: string;
      replyTo: string | null;
      /** The tenant's VERIFIED key for the From domain. */
      dkim: DkimSigning | null;
      ratePerMinute: number;
      dailyQuota: number;
      timezone: string;
      locale: "de" | "en";
      tenantName: string;
    }
  | { ok: false; tenantId: string; reason: "not_configured" | "not_ready" | "paused" };

export async function resolveTenantSender(
  db: Db,
  p: { tenantId: string; env: DeliveryEnvironment; now: Date },
): Promise<TenantSender> {
  const { tenantId, env } = p;
  const relayUrl = env.sender.relayUrl;
  const overview = await loadSenderOverview(db, { tenantId, relayConfigured: !!relayUrl, now: p.now });
  if (overview.state.status === "not_configured") return { ok: false, tenantId, reason: "not_configured" };
  if (overview.state.status === "not_ready") return { ok: false, tenantId, reason: "not_ready" };
  if (await getOpenPause(db, { tenantId })) return { ok: false, tenantId, reason: "paused" };
  const row = await getSenderSettings(db, { tenantId });
  const t = db.t.tenants;
  const [tenant] = await db.orm.select({ name: t.name, timezone: t.timezone, locale: t.locale }).from(t).where(eq(t.id, tenantId));
  if (!row || !tenant) return { ok: false, tenantId, reason: "not_configured" };

  const fromName = row.displayName?.trim() || tenant.name;
  const replyTo = row.replyTo ?? null;
  const common = {
    ok: true as const,
    tenantId,
    mode: row.mode,
    fromName,
    replyTo,
    ratePerMinute: row.ratePerMinute,
    dailyQuota: row.dailyQuota,
    timezone: tenant.timezone,
    locale: tenant.locale,
    tenantName: tenant.name,
  };
  if (row.mode === "custom_smtp") {
    const smtp = storedSmtpSettings(row, env.keys);
    return {
      ...common,
      smtp: { ...smtp, fromName },
      policy: { ...env.sender.policy, ...env.probe },
      fromAddress: smtp.fromAddress,
      dkim: null,
    };
  }
  // platform and customer_domain go through the operator's relay (readiness checked it is set).
  const fromAddress = (row.mode === "platform" ? row.noreplyAddress : row.fromAddress) ?? "";
  const smtp = relaySettings(relayUrl!, { address: fromAddress, name: fromName }, replyTo);
  const dkim = row.mode === "customer_domain" ? await verifiedDkimKey(db, { tenantId, fromAddress, keys: env.keys }) : null;
  return {
    ...common,
    smtp,
    // The relay is operator configuration, not tenant input: private hosts and its port are allowed.
    policy: { allowPrivate: true, allowedPorts: [smtp.port], ...env.probe },
    fromAddress,
    dkim,
  };
}

/** The newest verified DKIM key of the From domain, decrypted. */
async function verifiedDkimKey(db: Db, p: { tenantId: string; fromAddress: string; keys: EncryptionKeys }): Promise<DkimSigning | null> {
  const domain = addressDomain(p.fromAddress);
  if (!domain) return null;
  const k = db.t.dkimKeys;
  const [key] = await db.orm
    .select({ selector: k.selector, domain: k.domain, box: k.privateKeyBox })
    .from(k)
    .where(and(eq(k.tenantId, p.tenantId), eq(k.domain, domain.toLowerCase()), isNotNull(k.verifiedAt)))
    .orderBy(desc(k.verifiedAt))
    .limit(1);
  if (!key) return null;
  const privateKey = decryptSecret(key.box, { keys: p.keys.keys, aad: secretAad(p.tenantId, "dkim_private_key") });
  return { domainName: key.domain, keySelector: key.selector, privateKey };
}
