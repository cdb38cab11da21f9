import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { localized, type Localized } from "../i18n/locale";

/**
 * Proof that a tenant controls the From address of mode customer_domain: a 6-digit code
 * is mailed to the address and typed back. Storage-agnostic: the functions take and
 * return plain state; the caller keeps it in the database (never in process memory —
 * several app instances share the work) and updates it atomically, e.g.
 * `UPDATE … SET failed_attempts = failed_attempts + 1 WHERE id = ? AND failed_attempts < 5`,
 * so parallel guesses cannot exceed the limit.
 *
 * Why HMAC-SHA256 with a server secret and not scrypt: a 6-digit code has only 10^6
 * values, so a slow hash without a secret does not protect a leaked row — 10^6 scrypt
 * runs are hours, not years. The protection has to come from a secret that is not in
 * the database; with it, HMAC is already one-way, and it is cheap, so the verify
 * endpoint cannot be used to burn CPU. The MAC also binds the tenant and the address:
 * a code issued for one address never verifies another (changing the address clears
 * the proof by construction), and a row copied to another tenant fails.
 */

export const PROOF_CODE_TTL_MS = 30 * 60 * 1000;
export const PROOF_MAX_ATTEMPTS = 5;
export const PROOF_RESEND_MIN_INTERVAL_MS = 60 * 1000;
export const PROOF_MAX_SENDS_PER_HOUR = 5;
const HOUR_MS = 60 * 60 * 1000;

export interface ProofBinding {
  /** Server secret (e.g. derived from NEXTAUTH_SECRET or its own env key); at least 16 bytes. */
  secret: string | Buffer;
  tenantId: string;
  /** The address being proven; compared case-insensitively. */
  address: string;
}

export interface IssuedCode {
  /** Mail it, never store it. */
  code: string;
  /** Store this. */
  codeHash: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** What the caller stores per pending proof. */
export interface ProofState {
  codeHash: string;
  expiresAt: Date | string | number;
  failedAttempts: number;
}

export type VerifyOutcome =
  | { result: "ok"; state: ProofState }
  | { result: "wrong"; triesLeft: number; state: ProofState }
  | { result: "expired"; state: ProofState }
  | { result: "locked"; state: ProofState }
  | { result: "invalid_input"; state: ProofState };

function toMs(t: Date | string | number): number {
  return t instanceof Date ? t.getTime() : typeof t === "number" ? t : Date.parse(t);
}

function hashCode(code: string, binding: ProofBinding): string {
  const secret = typeof binding.secret === "string" ? Buffer.from(binding.secret, "utf8") : binding.secret;
  if (secret.length < 16) throw new Error("The address-proof secret must be at least 16 bytes.");
  const mac = createHmac("sha256", secret)
    .update(`address-proof|v1|${binding.tenantId}|${binding.address.trim().toLowerCase()}|${code}`)
    .digest("base64url");
  return `v1:${mac}`;
}

/** A new code: crypto-random, 6 digits (leading zeros kept), valid for 30 minutes. */
export function issueCode(now: Date, binding: ProofBinding): IssuedCode {
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  return {
    code,
    codeHash: hashCode(code, binding),
    issuedAt: new Date(now.getTime()),
    expiresAt: new Date(now.getTime() + PROOF_CODE_TTL_MS),
  };
}

/**
 * Checks a typed code. Order matters: a locked or expired proof is reported as such
 * without looking at the code (a right code after the fifth wrong one must not pass).
 * The fifth wrong code answers "locked" right away. Input that is not 6 digits (after
 * removing spaces/dashes) does not cost a try — it cannot be a guess.
 */
export function verifyCode(state: ProofState, input: string, now: Date, binding: ProofBinding): VerifyOutcome {
  if (state.failedAttempts >= PROOF_MAX_ATTEMPTS) return { result: "locked", state };
  if (now.getTime() >= toMs(state.expiresAt)) return { result: "expired", state };
  const code = normalizeCode(input);
  if (code === null) return { result: "invalid_input", state };
  if (codeMatches(state.codeHash, code, binding)) return { result: "ok", state };

  const next: ProofState = { ...state, failedAttempts: state.failedAttempts + 1 };
  const triesLeft = Math.max(PROOF_MAX_ATTEMPTS - next.failedAttempts, 0);
  return triesLeft === 0 ? { result: "locked", state: next } : { result: "wrong", triesLeft, state: next };
}

/** The 6 digits of a typed code (spaces and dashes removed), or null when it cannot be one. */
export function normalizeCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}

/** Compares a normalized code with the stored MAC in constant time. */
export function codeMatches(codeHash: string, code: string, binding: ProofBinding): boolean {
  const expected = Buffer.from(codeHash, "utf8");
  const actual = Buffer.from(hashCode(code, binding), "utf8");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export type ResendDecision =
  | { allowed: true }
  | { allowed: false; reason: "too_soon" | "hourly_limit"; retryAfterMs: number; retryAt: Date };

/**
 * Re-send throttle: at least 60 s between two codes for the same address, at most 5 in
 * any hour. `sentAt` are the times codes were sent for this tenant+address (the caller
 * keeps the last hour's). The throttle protects the address owner from being flooded
 * and the platform relay's reputation.
 */
export function resendDecision(sentAt: ReadonlyArray<Date | string | number>, now: Date): ResendDecision {
  const t = now.getTime();
  const recent = sentAt.map(toMs).filter((s) => Number.isFinite(s) && s > t - HOUR_MS && s <= t).sort((a, b) => a - b);
  const last = recent[recent.length - 1];
  if (last !== undefined && t - last < PROOF_RESEND_MIN_INTERVAL_MS) {
    const retryAfterMs = PROOF_RESEND_MIN_INTERVAL_MS - (t - last);
    return { allowed: false, reason: "too_soon", retryAfterMs, retryAt: new Date(t + retryAfterMs) };
  }
  if (recent.length >= PROOF_MAX_SENDS_PER_HOUR) {
    // The oldest of the window leaves it first.
    const oldest = recent[recent.length - PROOF_MAX_SENDS_PER_HOUR]!;
    const retryAfterMs = oldest + HOUR_MS - t;
    return { allowed: false, reason: "hourly_limit", retryAfterMs, retryAt: new Date(t + retryAfterMs) };
  }
  return { allowed: true };
}

/** What the user sees after entering a code or asking for a new one. */
export function proofOutcomeMessage(outcome: VerifyOutcome | ResendDecision): Localized {
  if ("allowed" in outcome) {
    if (outcome.allowed) return localized("Ein neuer Code ist unterwegs.", "A new code is on its way.");
    const minutes = Math.max(1, Math.ceil(outcome.retryAfterMs / 60_000));
    return outcome.reason === "too_soon"
      ? localized(
          "Bitte warten Sie eine Minute, bevor Sie einen neuen Code anfordern.",
          "Please wait a minute before asking for a new code.",
        )
      : localized(
          "Es wurden in der letzten Stunde schon 5 Codes verschickt. Ein neuer ist in etwa {minutes} Min. möglich.",
          "5 codes have already been sent in the last hour. A new one is possible in about {minutes} min.",
          { minutes },
        );
  }
  switch (outcome.result) {
    case "ok":
      return localized("Die Adresse ist bestätigt.", "The address is confirmed.");
    case "wrong":
      return outcome.triesLeft === 1
        ? localized("Der Code stimmt nicht. Sie haben noch 1 Versuch.", "The code is not right. You have 1 try left.")
        : localized(
            "Der Code stimmt nicht. Sie haben noch {n} Versuche.",
            "The code is not right. You have {n} tries left.",
            { n: outcome.triesLeft },
          );
    case "expired":
      return localized(
        "Der Code ist abgelaufen (er gilt 30 Minuten). Bitte fordern Sie einen neuen an.",
        "The code has expired (it is valid for 30 minutes). Please ask for a new one.",
      );
    case "locked":
      return localized(
        "Der Code wurde fünfmal falsch eingegeben und ist jetzt gesperrt. Bitte fordern Sie einen neuen Code an.",
        "The code was entered wrongly five times and is now blocked. Please ask for a new code.",
      );
    case "invalid_input":
      return localized("Bitte den 6-stelligen Code aus der Mail eingeben.", "Please enter the 6-digit code from the mail.");
  }
}

/** The mail carrying the code, in both languages (the caller picks the recipient's). */
export function proofMail(args: { code: string; address: string; tenantName: string }): { subject: Localized; text: Localized } {
  const spaced = `${args.code.slice(0, 3)} ${args.code.slice(3)}`;
  const p = { code: spaced, address: args.address, tenant: args.tenantName, minutes: PROOF_CODE_TTL_MS / 60_000 };
  return {
    subject: localized("Bestätigungscode für Ihre Absenderadresse", "Confirmation code for your sender address", p),
    text: localized(
      "Guten Tag,\n\n" +
        "in den Mail-Einstellungen von „{tenant}“ soll die Adresse {address} als Absender für Schulungs-Erinnerungen eingetragen werden.\n\n" +
        "Ihr Bestätigungscode: {code}\n\n" +
        "Bitte geben Sie ihn dort ein. Er gilt {minutes} Minuten.\n\n" +
        "Wenn Sie das nicht veranlasst haben, ignorieren Sie diese Mail einfach – ohne den Code wird die Adresse nicht verwendet.\n",
      "Hello,\n\n" +
        "in the mail settings of “{tenant}”, someone wants to use the address {address} as the sender of training reminders.\n\n" +
        "Your confirmation code: {code}\n\n" +
        "Please enter it there. It is valid for {minutes} minutes.\n\n" +
        "If you did not ask for this, simply ignore this mail – without the code the address will not be used.\n",
      p,
    ),
  };
}
