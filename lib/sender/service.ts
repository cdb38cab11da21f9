import type { PlatformConfig } from "../config/platform-profile";
import type { Db } from "../db";
import { writeAudit } from "../audit/log";
import { localized, type Locale, type Localized } from "../i18n/locale";
import { addressDomain } from "../mail/address";
import {
  codeMatches,
  issueCode,
  normalizeCode,
  PROOF_MAX_ATTEMPTS,
  PROOF_RESEND_MIN_INTERVAL_MS,
  proofMail,
  proofOutcomeMessage,
  resendDecision,
  type ProofBinding,
  type VerifyOutcome,
} from "./address-proof";
import { freeMailWarning } from "./free-mail";
import {
  clearAddressProofs,
  getAddressProof,
  getSenderSettings,
  latestDomainCheckAttempt,
  markAddressVerified,
  putSenderSettings,
  releaseProofSend,
  reserveProofSend,
  setLastTest,
  storeIssuedCode,
  takeProofAttempt,
  addressProofsOf,
  senderSettingsOf,
  type AddressProofRow,
  type SenderSettingsRow,
  type SenderSettingsValues,
} from "./queries";
import { decryptSecret, encryptWithKeys, secretAad, type EncryptionKeys } from "../crypto/secret-box";
import type { z } from "zod";
import { senderSettingsSchema, type SenderMode, type SenderProfile, type SenderSchemaContext, type SenderSettings } from "./sender-schema";
import { CHECK_STALE_AFTER_MS, newestChecksPerDomain } from "../domain-check/queries";
import { limitReachedMessage, takeSlot, type LimitRule } from "../limits/fixed-window";
import { sendThroughRelay } from "../mail/relay";
import { sendTestMail, testConnection, type ProbeOptions, type ProbeResult, type SmtpSettings } from "../mail/transport";
import { resolveRecheckAlerts } from "../monitoring/recheck-alerts";

/**
 * The sender settings as a service: saving (with encryption, acknowledgements, proof
 * reset and audit), the state a user sees, the address proof and the SMTP checks.
 * Framework-free: the server actions pass in the clock, the keys and the operator's
 * configuration, so tests can run every step against a loopback SMTP server.
 */

// ── Operator configuration ───────────────────────────────────────────────────────

export interface SenderEnvironment {
  profile: Required<SenderProfile>;
  /** SSRF policy for tenants' own SMTP servers. */
  policy: { allowPrivate: boolean; allowedPorts: number[] };
  /** The platform relay (SMTP_RELAY_URL); undefined when the operator has none. */
  relayUrl: string | undefined;
  defaults: { ratePerMinute: number; dailyQuota: number };
}

export function senderEnvironment(cfg: PlatformConfig): SenderEnvironment {
  const allowedPorts = cfg.SMTP_ALLOWED_PORTS.map(Number);
  return {
    profile: { noreplyAddresses: cfg.PLATFORM_NOREPLY_ADDRESSES, allowedPorts },
    policy: { allowPrivate: cfg.SMTP_ALLOW_PRIVATE_HOSTS, allowedPorts },
    relayUrl: cfg.SMTP_RELAY_URL || undefined,
    defaults: { ratePerMinute: cfg.DEFAULT_RATE_PER_MINUTE, dailyQuota: cfg.DEFAULT_DAILY_QUOTA },
  };
}

/** What the schema needs to know about the stored SMTP access (never the password). */
export function storedSmtpContext(row: SenderSettingsRow | undefined): SenderSchemaContext {
  if (!row || row.mode !== "custom_smtp" || !row.smtpHost) return { storedSmtp: null };
  return { storedSmtp: { host: row.smtpHost, user: row.smtpUser, hasPassword: !!row.smtpPasswordBox } };
}

// ── What the browser may see ─────────────────────────────────────────────────────

export interface LastTest {
  kind: "connection" | "mail";
  ok: boolean;
  failure?: string;
  at: string;
  ms: number;
  /** "worker": the automatic daily re-check, not a person's test. */
  via?: "worker";
}

/** The stored settings without the password box: safe to hand to a client component. */
export interface SenderSettingsView {
  mode: SenderMode;
  displayName: string | null;
  replyTo: string | null;
  noreplyAddress: string | null;
  fromAddress: string | null;
  smtpHost: string | null;
  smtpPort: number | null;
  smtpSecurity: "tls" | "starttls" | "none" | null;
  smtpUser: string | null;
  hasPassword: boolean;
  ratePerMinute: number;
  dailyQuota: number;
  freeMailAcknowledged: boolean;
  noTlsAcknowledged: boolean;
  noReplyToConfirmed: boolean;
  lastTest: LastTest | null;
  updatedAt: string;
}

export function settingsView(row: SenderSettingsRow): SenderSettingsView {
  return {
    mode: row.mode,
    displayName: row.displayName,
    replyTo: row.replyTo,
    noreplyAddress: row.noreplyAddress,
    fromAddress: row.fromAddress,
    smtpHost: row.smtpHost,
    smtpPort: row.smtpPort,
    smtpSecurity: row.smtpSecurity,
    smtpUser: row.smtpUser,
    hasPassword: !!row.smtpPasswordBox,
    ratePerMinute: row.ratePerMinute,
    dailyQuota: row.dailyQuota,
    freeMailAcknowledged: !!row.freeMailAcknowledgedAt,
    noTlsAcknowledged: !!row.noTlsAcknowledgedAt,
    noReplyToConfirmed: !!row.noReplyToConfirmedAt,
    lastTest: (row.lastTest as LastTest | null) ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

// ── Saving ───────────────────────────────────────────────────────────────────────

/** The settings fields whose changes the audit log records (the password only as "changed"). */
export const AUDITED_FIELDS = [
  "mode",
  "displayName",
  "replyTo",
  "noreplyAddress",
  "fromAddress",
  "smtpHost",
  "smtpPort",
  "smtpSecurity",
  "smtpUser",
  "ratePerMinute",
  "dailyQuota",
] as const;

/** Fields whose change makes an earlier connection test meaningless. */
const CONNECTION_FIELDS = ["mode", "smtpHost", "smtpPort", "smtpSecurity", "smtpUser", "fromAddress"] as const;

/**
 * The save use case of the sender page and `postillion sender set`: parses the raw form
 * values with the page's schema (which depends on what is stored: an empty password
 * keeps the stored one only for the same host and user), then saves. Throughput fields
 * left out keep the stored values (or the operator's defaults).
 */
export async function applySenderSettings(
  db: Db,
  params: {
    tenantId: string;
    /** null: not a signed-in user (the CLI); `via` then says who. */
    actorUserId: string | null;
    via?: "cli";
    raw: Record<string, unknown>;
    env: SenderEnvironment;
    keys: EncryptionKeys;
    now: Date;
  },
): Promise<
  | { ok: false; error: z.ZodError }
  | { ok: true; settings: SenderSettingsView; proofCleared: boolean; previousMode: SenderMode | null }
> {
  const stored = await getSenderSettings(db, { tenantId: params.tenantId });
  const raw = {
    ...params.raw,
    ratePerMinute: params.raw.ratePerMinute ?? stored?.ratePerMinute ?? params.env.defaults.ratePerMinute,
    dailyQuota: params.raw.dailyQuota ?? stored?.dailyQuota ?? params.env.defaults.dailyQuota,
  };
  const parsed = senderSettingsSchema(params.env.profile, storedSmtpContext(stored)).safeParse(raw);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const saved = await saveSenderSettings(db, {
    tenantId: params.tenantId,
    actorUserId: params.actorUserId,
    ...(params.via ? { via: params.via } : {}),
    input: parsed.data,
    keys: params.keys,
    now: params.now,
  });
  return { ok: true, ...saved, previousMode: stored?.mode ?? null };
}

export async function saveSenderSettings(
  db: Db,
  params: { tenantId: string; actorUserId: string | null; via?: "cli"; input: SenderSettings; keys: EncryptionKeys; now: Date },
): Promise<{ settings: SenderSettingsView; proofCleared: boolean }> {
  const { tenantId, input, now } = params;
  return db.transaction(async (tx) => {
    const existing = await getSenderSettings(tx, { tenantId });
    const replyTo = input.replyTo ?? null;
    const values: SenderSettingsValues = {
      mode: input.mode,
      displayName: input.displayName,
      replyTo,
      noreplyAddress: input.mode === "platform" ? input.noreplyAddress : null,
      fromAddress: input.mode === "platform" ? null : input.fromAddress,
      smtpHost: null,
      smtpPort: null,
      smtpSecurity: null,
      smtpUser: null,
      // A tenant that leaves custom_smtp keeps no password for a server it no longer uses.
      smtpPasswordBox: null,
      ratePerMinute: input.ratePerMinute,
      dailyQuota: input.dailyQuota,
      noReplyToConfirmedAt: input.mode === "platform" && !replyTo && input.confirmNoReplyTo ? now : null,
      freeMailAcknowledgedAt: null,
      noTlsAcknowledgedAt: null,
      lastTest: existing?.lastTest ?? null,
      updatedAt: now,
      updatedBy: params.actorUserId,
    };
    if (input.mode === "custom_smtp") {
      values.smtpHost = input.host;
      values.smtpPort = input.port;
      values.smtpSecurity = input.security;
      values.smtpUser = input.user ?? null;
      if (input.user && input.password !== undefined) {
        values.smtpPasswordBox = encryptWithKeys(input.password, params.keys, secretAad(tenantId, "smtp_password"));
      } else if (input.user) {
        // The schema allowed an empty field only for the same host and user.
        values.smtpPasswordBox = existing?.smtpPasswordBox ?? null;
      }
      values.noTlsAcknowledgedAt = input.security === "none" && input.acknowledgeNoTls ? now : null;
    }
    const freeMail = [
      input.mode === "custom_smtp" ? freeMailWarning(input.host) : null,
      input.mode === "platform" ? null : freeMailWarning(input.fromAddress),
      freeMailWarning(replyTo),
    ].filter((w) => w !== null);
    if (freeMail.length > 0 && input.acknowledgeFreeMail) values.freeMailAcknowledgedAt = now;

    const passwordChanged = values.smtpPasswordBox !== (existing?.smtpPasswordBox ?? null);
    const changes: Record<string, unknown> = {};
    for (const field of AUDITED_FIELDS) {
      const before = existing ? existing[field] : null;
      if (before !== values[field]) changes[field] = { from: before, to: values[field] };
    }
    // Only the fact; redact() turns the value into "[redacted]" in any case.
    if (passwordChanged) changes.password = "changed";
    if (passwordChanged || CONNECTION_FIELDS.some((f) => f in changes)) values.lastTest = null;

    const previousProofAddress = existing?.mode === "customer_domain" ? existing.fromAddress : null;
    const nextProofAddress = values.mode === "customer_domain" ? values.fromAddress : null;
    const proofCleared = previousProofAddress?.toLowerCase() !== nextProofAddress?.toLowerCase();
    if (proofCleared) await clearAddressProofs(tx, { tenantId });
    // Leaving a mode (or changing what was re-checked) ends its re-check alert: the
    // next check of the new settings decides afresh.
    const domainOf = (v: { mode: SenderMode; fromAddress: string | null } | undefined) =>
      v?.mode === "customer_domain" && v.fromAddress ? addressDomain(v.fromAddress) : null;
    if (domainOf(existing) && domainOf(existing) !== domainOf(values)) await resolveRecheckAlerts(tx, { kind: "domain", tenantId, now });
    if (existing?.mode === "custom_smtp" && values.lastTest === null) await resolveRecheckAlerts(tx, { kind: "smtp", tenantId, now });

    await putSenderSettings(tx, { tenantId, values });
    await writeAudit(
      tx,
      {
        tenantId,
        actorUserId: params.actorUserId,
        action: "sender.save",
        targetType: "sender_settings",
        targetId: tenantId,
        details: {
          mode: values.mode,
          ...(params.via ? { via: params.via } : {}),
          changes,
          ...(values.freeMailAcknowledgedAt ? { freeMailAcknowledged: freeMail.map((w) => w.matched) } : {}),
          ...(values.noTlsAcknowledgedAt ? { noTlsAcknowledged: true } : {}),
          ...(values.noReplyToConfirmedAt ? { noReplyToConfirmed: true } : {}),
          ...(proofCleared && previousProofAddress ? { proofCleared: previousProofAddress } : {}),
        },
      },
      now,
    );
    return { settings: settingsView({ tenantId, ...values }), proofCleared };
  });
}

// ── State as the user sees it ─────────────────────────────────────────────────────

export type NotReadyReason =
  | "relay_missing"
  | "domain_not_checked"
  | "domain_check_running"
  | "domain_not_green"
  | "address_not_proven"
  | "proof_pending"
  | "not_tested"
  | "test_failed";

export type SenderState =
  | { status: "not_configured" }
  | { status: "not_ready"; mode: SenderMode; reasons: NotReadyReason[] }
  | { status: "ready"; mode: SenderMode; notes: "no_reply_to"[] };

export interface ProofView {
  address: string;
  verified: boolean;
  verifiedAt: string | null;
  /** A code was sent and can still be entered. */
  pending: boolean;
  expiresAt: string | null;
  triesLeft: number;
  lastSentAt: string | null;
}

export interface DomainCheckView {
  domain: string;
  verdict: "green" | "not_ready" | "temporary" | null;
  status: "running" | "done" | "failed";
  at: string;
}

export interface SenderOverview {
  settings: SenderSettingsView | null;
  state: SenderState;
  proof: ProofView | null;
  domainCheck: DomainCheckView | null;
  /** The From domain of customer_domain, for the link to the domain check. */
  domain: string | null;
}

/** What readiness is decided from: the settings row, the newest check of its From domain, the proof of its From address. */
export interface SenderFacts {
  row: SenderSettingsRow | undefined;
  /** The newest check (any status) of the From domain of customer_domain; undefined when none. */
  check: { status: "running" | "done" | "failed"; verdict: "green" | "not_ready" | "temporary" | null; startedAt: Date; finishedAt: Date | null } | undefined;
  /** The proof row of the From address of customer_domain; undefined when none. */
  proof: AddressProofRow | undefined;
}

/**
 * Readiness from the facts, without the database: the ONE definition of "ready" that
 * the sender page (loadSenderOverview), the worker, and the review board (loadSenderStates)
 * share.
 */
export function senderStateOf(facts: SenderFacts, params: { relayConfigured: boolean; now: Date }): SenderOverview {
  const { row, check, proof: p } = facts;
  if (!row) return { settings: null, state: { status: "not_configured" }, proof: null, domainCheck: null, domain: null };
  const settings = settingsView(row);
  const reasons: NotReadyReason[] = [];
  let proof: ProofView | null = null;
  let domainCheck: DomainCheckView | null = null;
  let domain: string | null = null;

  if (row.mode !== "custom_smtp" && !params.relayConfigured) reasons.push("relay_missing");
  if (row.mode === "customer_domain" && row.fromAddress) {
    domain = addressDomain(row.fromAddress);
    // A running row that outlived its process is an interrupted check, not one still running.
    const status = check?.status === "running" && params.now.getTime() - check.startedAt.getTime() > CHECK_STALE_AFTER_MS ? "failed" : check?.status;
    if (check && domain && status) {
      domainCheck = { domain, verdict: check.verdict, status, at: (check.finishedAt ?? check.startedAt).toISOString() };
    }
    if (!check) reasons.push("domain_not_checked");
    else if (status === "running") reasons.push("domain_check_running");
    else if (check.verdict !== "green") reasons.push("domain_not_green");

    const pending = !!p && !p.verifiedAt && !!p.codeHash && !!p.expiresAt && p.expiresAt.getTime() > params.now.getTime() && p.failedAttempts < PROOF_MAX_ATTEMPTS;
    const lastSent = p && p.sentAt.length > 0 ? Math.max(...p.sentAt) : null;
    proof = {
      address: row.fromAddress,
      verified: !!p?.verifiedAt,
      verifiedAt: p?.verifiedAt?.toISOString() ?? null,
      pending,
      expiresAt: p?.expiresAt?.toISOString() ?? null,
      triesLeft: Math.max(0, PROOF_MAX_ATTEMPTS - (p?.failedAttempts ?? 0)),
      lastSentAt: lastSent ? new Date(lastSent).toISOString() : null,
    };
    if (!proof.verified) reasons.push(pending ? "proof_pending" : "address_not_proven");
  }
  if (row.mode === "custom_smtp") {
    const last = settings.lastTest;
    if (!last) reasons.push("not_tested");
    else if (!last.ok) reasons.push("test_failed");
  }
  const state: SenderState =
    reasons.length > 0
      ? { status: "not_ready", mode: row.mode, reasons }
      : { status: "ready", mode: row.mode, notes: row.replyTo ? [] : ["no_reply_to"] };
  return { settings, state, proof, domainCheck, domain };
}

/** The From domain whose check and proof readiness needs (customer_domain only). */
function proofTarget(row: SenderSettingsRow | undefined): { address: string; domain: string | null } | null {
  return row?.mode === "customer_domain" && row.fromAddress ? { address: row.fromAddress, domain: addressDomain(row.fromAddress) } : null;
}

export async function loadSenderOverview(
  db: Db,
  params: { tenantId: string; relayConfigured: boolean; now: Date },
): Promise<SenderOverview> {
  const row = await getSenderSettings(db, { tenantId: params.tenantId });
  const target = proofTarget(row);
  const check = target?.domain ? await latestDomainCheckAttempt(db, { tenantId: params.tenantId, domain: target.domain }) : undefined;
  const proof = target ? await getAddressProof(db, { tenantId: params.tenantId, address: target.address }) : undefined;
  return senderStateOf({ row, check, proof }, params);
}

/**
 * loadSenderOverview for many tenants at once (all when `tenantIds` is left out), in
 * three statements whatever their number: the settings, the newest check per tenant
 * and domain, the address proofs. Tenants without settings are in the map too when
 * asked for by id.
 */
export async function loadSenderStates(
  db: Db,
  params: { tenantIds?: string[]; relayConfigured: boolean; now: Date },
): Promise<Map<string, SenderOverview>> {
  const out = new Map<string, SenderOverview>();
  if (params.tenantIds?.length === 0) return out;
  const [rows, checks, proofs] = await Promise.all([
    senderSettingsOf(db, { tenantIds: params.tenantIds }),
    newestChecksPerDomain(db, { tenantIds: params.tenantIds }),
    addressProofsOf(db, { tenantIds: params.tenantIds }),
  ]);
  const byTenant = new Map(rows.map((r) => [r.tenantId, r]));
  const checkOf = new Map(checks.map((c) => [`${c.tenantId} ${c.domain}`, c]));
  const proofOf = new Map(proofs.map((p) => [`${p.tenantId} ${p.address}`, p]));
  for (const tenantId of params.tenantIds ?? byTenant.keys()) {
    const row = byTenant.get(tenantId);
    const target = proofTarget(row);
    out.set(
      tenantId,
      senderStateOf(
        {
          row,
          check: target?.domain ? checkOf.get(`${tenantId} ${target.domain.toLowerCase()}`) : undefined,
          proof: target ? proofOf.get(`${tenantId} ${target.address.toLowerCase()}`) : undefined,
        },
        params,
      ),
    );
  }
  return out;
}

// ── Address proof ───────────────────────────────────────────────────────────────

export type ServiceOutcome = { ok: boolean; message: Localized; detail?: string };

const NEEDS_CUSTOMER_DOMAIN = localized(
  "Bitte zuerst den Modus „Eigene Domain“ mit der Absenderadresse speichern.",
  "Please save the “own domain” mode with the From address first.",
);

export async function requestAddressProof(
  db: Db,
  params: {
    tenant: { id: string; name: string; locale: Locale };
    actorUserId: string;
    env: SenderEnvironment;
    secret: Buffer | string;
    now: Date;
    probe?: ProbeOptions;
  },
): Promise<ServiceOutcome> {
  const { tenant, now, env } = params;
  const row = await getSenderSettings(db, { tenantId: tenant.id });
  if (row?.mode !== "customer_domain" || !row.fromAddress) return { ok: false, message: NEEDS_CUSTOMER_DOMAIN };
  if (!env.relayUrl) {
    return {
      ok: false,
      message: localized(
        "Der Versand über die Plattform ist vom Betreiber noch nicht eingerichtet; es kann kein Code verschickt werden. Bitte wenden Sie sich an Ihre Plattform-Betreuung.",
        "The platform operator has not set up sending yet, so no code can be sent. Please contact your platform support.",
      ),
    };
  }
  const address = row.fromAddress;
  const existing = await getAddressProof(db, { tenantId: tenant.id, address });
  if (existing?.verifiedAt) return { ok: true, message: proofOutcomeMessage({ result: "ok", state: { codeHash: "", expiresAt: 0, failedAttempts: 0 } }) };
  const decision = resendDecision(existing?.sentAt ?? [], now);
  if (!decision.allowed) return { ok: false, message: proofOutcomeMessage(decision) };

  // Reserve the send before sending: of parallel requests exactly one mails a code.
  const hourAgo = now.getTime() - 60 * 60 * 1000;
  const seenSentAt = existing?.sentAt ?? [];
  const seenLastSentAt = existing?.lastSentAt ?? null;
  const sentAt = [...seenSentAt.filter((t) => t > hourAgo), now.getTime()];
  const reserved = await reserveProofSend(db, { tenantId: tenant.id, address, seenLastSentAt, sentAt, now });
  if (!reserved) {
    return { ok: false, message: proofOutcomeMessage({ allowed: false, reason: "too_soon", retryAfterMs: PROOF_RESEND_MIN_INTERVAL_MS, retryAt: now }) };
  }

  const binding: ProofBinding = { secret: params.secret, tenantId: tenant.id, address };
  const issued = issueCode(now, binding);
  const mail = proofMail({ code: issued.code, address, tenantName: tenant.name });
  const sent = await sendThroughRelay(
    env.relayUrl,
    { address: env.profile.noreplyAddresses[0]!, name: tenant.name },
    { to: address, subject: mail.subject[tenant.locale], text: mail.text[tenant.locale] },
    params.probe,
  );
  if (!sent.ok) {
    // Nothing went out: the reservation is given back, so the user may try again at once.
    await releaseProofSend(db, { tenantId: tenant.id, address, reservedAt: now, lastSentAt: seenLastSentAt, sentAt: seenSentAt });
    return {
      ok: false,
      message: localized(
        "Der Code konnte nicht verschickt werden: Der Versand der Plattform hat nicht geantwortet wie erwartet. Bitte später erneut versuchen; bleibt es so, die Plattform-Betreuung informieren.",
        "The code could not be sent: the platform's mail service did not answer as expected. Please try again later; if it persists, tell your platform support.",
      ),
      detail: sent.detail,
    };
  }
  await db.transaction(async (tx) => {
    await storeIssuedCode(tx, { tenantId: tenant.id, address, codeHash: issued.codeHash, expiresAt: issued.expiresAt });
    await writeAudit(tx, { tenantId: tenant.id, actorUserId: params.actorUserId, action: "sender.proof.send", targetType: "address", targetId: address, details: { address } }, now);
  });
  return {
    ok: true,
    message: localized(
      "Ein 6-stelliger Code ist an {address} unterwegs. Er gilt 30 Minuten.",
      "A 6-digit code is on its way to {address}. It is valid for 30 minutes.",
      { address },
    ),
  };
}

/**
 * Checks a typed code. A try is used up atomically BEFORE the code is compared, so of
 * parallel guesses only the first five are compared at all; the verification itself is
 * conditional on the compared hash, the tries and the expiry.
 */
export async function verifyAddressProof(
  db: Db,
  params: { tenantId: string; actorUserId: string; code: string; secret: Buffer | string; now: Date },
): Promise<ServiceOutcome> {
  const { tenantId, now } = params;
  const row = await getSenderSettings(db, { tenantId });
  if (row?.mode !== "customer_domain" || !row.fromAddress) return { ok: false, message: NEEDS_CUSTOMER_DOMAIN };
  const address = row.fromAddress;
  const proof = await getAddressProof(db, { tenantId, address });
  if (proof?.verifiedAt) return { ok: true, message: localized("Die Adresse ist bereits bestätigt.", "The address is already confirmed.") };
  if (!proof?.codeHash || !proof.expiresAt) {
    return { ok: false, message: localized("Bitte zuerst einen Code anfordern.", "Please ask for a code first.") };
  }
  const seen = { codeHash: proof.codeHash, expiresAt: proof.expiresAt, failedAttempts: proof.failedAttempts };
  const code = normalizeCode(params.code);
  // Input that cannot be a code costs no try.
  if (code === null) return { ok: false, message: proofOutcomeMessage({ result: "invalid_input", state: seen }) };

  const attempt = await takeProofAttempt(db, { tenantId, id: proof.id, max: PROOF_MAX_ATTEMPTS, now });
  if (!attempt) {
    const expired = now.getTime() >= proof.expiresAt.getTime() && proof.failedAttempts < PROOF_MAX_ATTEMPTS;
    return { ok: false, message: proofOutcomeMessage({ result: expired ? "expired" : "locked", state: seen }) };
  }
  const binding: ProofBinding = { secret: params.secret, tenantId, address };
  const state = { ...seen, codeHash: attempt.codeHash, failedAttempts: attempt.attempt };
  let outcome: VerifyOutcome;
  if (codeMatches(attempt.codeHash, code, binding)) {
    const verified = await db.transaction(async (tx) => {
      const marked = await markAddressVerified(tx, { tenantId, id: proof.id, codeHash: attempt.codeHash, max: PROOF_MAX_ATTEMPTS, now });
      if (marked) await writeAudit(tx, { tenantId, actorUserId: params.actorUserId, action: "sender.proof.verify", targetType: "address", targetId: address, details: { address, result: "ok" } }, now);
      return marked;
    });
    // Not marked: a new code was issued (or it expired) between the try and now.
    outcome = verified ? { result: "ok", state } : { result: "expired", state };
    return { ok: verified, message: proofOutcomeMessage(outcome) };
  }
  const triesLeft = PROOF_MAX_ATTEMPTS - attempt.attempt;
  outcome = triesLeft > 0 ? { result: "wrong", triesLeft, state } : { result: "locked", state };
  await writeAudit(db, { tenantId, actorUserId: params.actorUserId, action: "sender.proof.verify", targetType: "address", targetId: address, details: { address, result: outcome.result } }, now);
  return { ok: false, message: proofOutcomeMessage(outcome) };
}

// ── Connection test and test mail (custom_smtp) ────────────────────────────────

const NEEDS_CUSTOM_SMTP = localized(
  "Bitte zuerst den Modus „Eigener SMTP-Server“ speichern; getestet werden die gespeicherten Einstellungen.",
  "Please save the “own SMTP server” mode first; the test uses the saved settings.",
);

export interface SmtpCheckOutcome {
  ok: boolean;
  message: Localized;
  /** The server's raw reply or error (password removed), for the "details" disclosure. */
  detail: string;
  ms: number;
}

/** The stored custom SMTP settings with the password decrypted (outside any transaction: the caller holds none). */
export function storedSmtpSettings(row: SenderSettingsRow, keys: EncryptionKeys): SmtpSettings {
  const password = row.smtpPasswordBox
    ? decryptSecret(row.smtpPasswordBox, { keys: keys.keys, aad: secretAad(row.tenantId, "smtp_password") })
    : null;
  return {
    host: row.smtpHost!,
    port: row.smtpPort!,
    security: row.smtpSecurity!,
    user: row.smtpUser,
    password,
    fromAddress: row.fromAddress!,
    fromName: row.displayName,
    replyTo: row.replyTo,
  };
}

function successText(kind: "connection" | "mail", result: Extract<ProbeResult, { ok: true }>, to?: string): Localized {
  return kind === "connection"
    ? localized(
        "Die Verbindung klappt: Der Server hat geantwortet und die Anmeldung angenommen ({ms} ms).",
        "The connection works: the server answered and accepted the login ({ms} ms).",
        { ms: result.ms },
      )
    : localized(
        "Die Testmail wurde vom Server angenommen und ist unterwegs an {to}. Bitte prüfen Sie dort Absender und Antwortadresse.",
        "The server accepted the test mail; it is on its way to {to}. Please check the sender and the Reply-To there.",
        { to: to ?? "" },
      );
}

/** Per-tenant budget of connection tests and test mails (one budget for both). */
export const SMTP_TEST_BUDGET: LimitRule = { scope: "sender.smtp-test", limit: 20, windowMs: 60 * 60 * 1000 };

export async function runSmtpCheck(
  db: Db,
  params: {
    tenantId: string;
    actorUserId: string;
    kind: "connection" | "mail";
    to?: string;
    env: SenderEnvironment;
    keys: EncryptionKeys;
    locale: Locale;
    now: Date;
    /** Extra probe options (tests: short timeouts, the test server's certificate). */
    probe?: ProbeOptions;
  },
): Promise<SmtpCheckOutcome> {
  const row = await getSenderSettings(db, { tenantId: params.tenantId });
  if (!hasCompleteSmtp(row)) return { ok: false, message: NEEDS_CUSTOM_SMTP, detail: "", ms: 0 };
  // The budget is taken before the probe: tests cannot be looped into an SMTP AUTH
  // brute-force source against someone else's server.
  const slot = await takeSlot(db, SMTP_TEST_BUDGET, params.tenantId, params.now);
  if (!slot.allowed) {
    return {
      ok: false,
      message: limitReachedMessage({ de: "Zu viele Verbindungstests", en: "Too many connection tests" }, slot.retryAfterMs),
      detail: "",
      ms: 0,
    };
  }
  const { result, recorded } = await probeAndRecord(db, {
    row,
    ...params,
    record: async (tx, { stored, result }) => {
      await writeAudit(
        tx,
        {
          tenantId: params.tenantId,
          actorUserId: params.actorUserId,
          action: params.kind === "connection" ? "sender.test.connection" : "sender.test.mail",
          targetType: "sender_settings",
          targetId: params.tenantId,
          details: {
            ok: result.ok,
            ...(result.ok ? {} : { failure: result.kind }),
            ms: result.ms,
            ...(params.to ? { to: params.to } : {}),
            ...(stored ? {} : { settingsChanged: true }),
          },
        },
        params.now,
      );
    },
  });
  if (!recorded) {
    return {
      ok: false,
      message: localized(
        "Die Einstellungen wurden während des Tests geändert. Bitte die gespeicherten Einstellungen erneut testen.",
        "The settings were changed during the test. Please test the saved settings again.",
      ),
      detail: result.ok ? result.reply : result.detail,
      ms: result.ms,
    };
  }
  return result.ok
    ? { ok: true, message: successText(params.kind, result, params.to), detail: result.reply, ms: result.ms }
    : { ok: false, message: result.message, detail: result.detail, ms: result.ms };
}

/**
 * The worker's scheduled connection re-check of custom_smtp (lib/monitoring/rechecks.ts):
 * the same probe and record as the connection test (lastTest, guarded by the tested
 * version), connection only (no mail), no budget (the worker decides how often), marked
 * `via: "worker"`. `onRecorded` runs in the transaction that recorded it, with the
 * lastTest before (database work only: the re-check's alert and audit). Null when the
 * tenant has no complete custom SMTP settings.
 */
export async function runScheduledSmtpCheck(
  db: Db,
  params: {
    tenantId: string;
    env: SenderEnvironment;
    keys: EncryptionKeys;
    now: Date;
    probe?: ProbeOptions;
    onRecorded?: (tx: Db, p: RecordedTest) => Promise<void>;
  },
): Promise<{ lastTest: LastTest; recorded: boolean; result: ProbeResult } | null> {
  const row = await getSenderSettings(db, { tenantId: params.tenantId });
  if (!hasCompleteSmtp(row)) return null;
  return probeAndRecord(db, {
    row,
    ...params,
    kind: "connection",
    via: "worker",
    locale: "en",
    record: async (tx, p) => {
      if (p.stored) await params.onRecorded?.(tx, p);
    },
  });
}

/** A recorded connection test as the scheduled re-check's caller sees it (never the password). */
export interface RecordedTest {
  lastTest: LastTest;
  /** The lastTest before this one. */
  previous: LastTest | null;
  result: ProbeResult;
  /** How many open SMTP re-check alerts this (ok) test resolved. */
  resolved: number;
  target: { host: string; port: number };
}

type CompleteSmtpRow = SenderSettingsRow & { mode: "custom_smtp"; smtpHost: string; smtpPort: number; smtpSecurity: "tls" | "starttls" | "none"; fromAddress: string };

function hasCompleteSmtp(row: SenderSettingsRow | undefined): row is CompleteSmtpRow {
  return row?.mode === "custom_smtp" && !!row.smtpHost && !!row.smtpPort && !!row.smtpSecurity && !!row.fromAddress;
}

/**
 * Probes the stored settings (outside any transaction), then records the outcome as
 * lastTest — only if the settings are still the tested version — and lets the caller
 * write its consequences in the same transaction. A test that came out ok ends the
 * tenant's open SMTP re-check alert.
 */
async function probeAndRecord(
  db: Db,
  params: {
    row: CompleteSmtpRow;
    tenantId: string;
    kind: "connection" | "mail";
    to?: string;
    via?: "worker";
    env: SenderEnvironment;
    keys: EncryptionKeys;
    locale: Locale;
    now: Date;
    probe?: ProbeOptions;
    record: (tx: Db, p: RecordedTest & { stored: boolean }) => Promise<void>;
  },
): Promise<{ lastTest: LastTest; recorded: boolean; result: ProbeResult }> {
  const settings = storedSmtpSettings(params.row, params.keys);
  const opts: ProbeOptions = { ...params.env.policy, ...params.probe };
  const result =
    params.kind === "connection"
      ? await testConnection(settings, opts)
      : await sendTestMail(settings, params.to ?? "", { ...opts, locale: params.locale });
  const lastTest: LastTest = {
    kind: params.kind,
    ok: result.ok,
    ...(result.ok ? {} : { failure: result.kind }),
    at: params.now.toISOString(),
    ms: result.ms,
    ...(params.via ? { via: params.via } : {}),
  };
  const recorded = await db.transaction(async (tx) => {
    const before = await getSenderSettings(tx, { tenantId: params.tenantId });
    const previous = (before?.lastTest as LastTest | null | undefined) ?? null;
    const stored = await setLastTest(tx, { tenantId: params.tenantId, lastTest: { ...lastTest }, testedVersion: params.row.updatedAt });
    const resolved = stored && result.ok ? await resolveRecheckAlerts(tx, { kind: "smtp", tenantId: params.tenantId, now: params.now }) : 0;
    await params.record(tx, { stored, lastTest, previous, result, resolved, target: { host: settings.host, port: settings.port } });
    return stored;
  });
  return { lastTest, recorded, result };
}
