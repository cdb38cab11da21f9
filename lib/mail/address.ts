import { domainToASCII } from "node:url";
import addressparser from "nodemailer/lib/addressparser";

/**
 * Header safety for sender addresses and display names.
 *
 * Everything a tenant types here ends up in From / Reply-To headers of mails to many
 * people. Nodemailer encodes names safely, but it also *accepts* address lists,
 * groups and oddities, and a stored value with CR/LF is a header-injection waiting for
 * the one code path that writes it raw. So the rule is strict: one plain address per
 * field, parsed with nodemailer's own address parser (so what we accept is exactly what
 * nodemailer will send), then checked against a conservative syntax; no control
 * characters anywhere.
 */

export type AddressProblem = "empty" | "crlf" | "multiple" | "group" | "name_not_allowed" | "malformed" | "too_long";
export type DisplayNameProblem = "empty" | "crlf" | "address_like" | "too_long";

export const MAX_ADDRESS_LENGTH = 254;
export const MAX_DISPLAY_NAME_LENGTH = 100;

/** CR, LF, NUL and every other C0/C1 control, plus Unicode line/paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Line breaks in any form — reported as "crlf" since that is what the user must remove. */
const LINEBREAK = /[\r\n\u0085\u2028\u2029]/;

/** RFC 5322 dot-atom local part (no quoted strings: legal, but never needed for a sender and a trap for every parser). */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** LDH labels, at least two, alphabetic (or punycode) TLD. */
const ASCII_DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export type AddressParseResult = { ok: true; address: string; domain: string } | { ok: false; problem: AddressProblem };

/** Checks the bare address syntax; returns it with the domain lower-cased. */
export function checkAddressSyntax(address: string): AddressParseResult {
  if (address.length > MAX_ADDRESS_LENGTH) return { ok: false, problem: "too_long" };
  const at = address.lastIndexOf("@");
  if (at <= 0 || at === address.length - 1) return { ok: false, problem: "malformed" };
  const local = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase();
  if (local.length > 64 || !LOCAL_PART.test(local)) return { ok: false, problem: "malformed" };
  // Internationalised domains are fine (nodemailer punycodes them); check the ASCII form.
  const ascii = /^[\x00-\x7f]*$/.test(domain) ? domain : domainToASCII(domain);
  if (!ascii || !ASCII_DOMAIN.test(ascii)) return { ok: false, problem: "malformed" };
  return { ok: true, address: `${local}@${domain}`, domain };
}

/**
 * Parses a field that must hold exactly one address and nothing else
 * ("info@example.com" or "<info@example.com>"). A display name has its own field, so
 * "Name <a@b>" is refused with a precise reason instead of silently dropping the name.
 */
export function parseSingleAddress(input: string | null | undefined): AddressParseResult {
  if (input == null || input.trim() === "") return { ok: false, problem: "empty" };
  if (LINEBREAK.test(input)) return { ok: false, problem: "crlf" };
  if (CONTROL.test(input)) return { ok: false, problem: "malformed" };
  const text = input.trim();
  if (text.length > MAX_ADDRESS_LENGTH + 2) return { ok: false, problem: "too_long" };

  const parsed = addressparser(text);
  if (parsed.length === 0) return { ok: false, problem: "malformed" };
  if (parsed.length > 1) return { ok: false, problem: "multiple" };
  const entry = parsed[0]!;
  if (entry.group !== undefined) {
    // "a@b.de Bcc: c@d.de" and "list: a@b, c@d;" both come back as groups.
    return { ok: false, problem: entry.group.length > 1 || /[,;:]/.test(text) ? "multiple" : "group" };
  }
  if (!entry.address) return { ok: false, problem: "malformed" }; // "plainword" parses as a bare name
  if (entry.name) {
    // "a@b.de c@d.de" parses as name "c@d.de": that is two addresses, not a name.
    return { ok: false, problem: entry.name.includes("@") ? "multiple" : "name_not_allowed" };
  }
  // The parser forgives a lot ("a@b.de>" → "a@b.de>"); insist that it saw exactly the input.
  if (text !== entry.address && text !== `<${entry.address}>`) return { ok: false, problem: "malformed" };
  return checkAddressSyntax(entry.address);
}

export type DisplayNameResult = { ok: true; name: string } | { ok: false; problem: DisplayNameProblem };

/**
 * A display name: any printable text up to 100 characters, no line breaks or control
 * characters, and nothing that looks like an address ("@", "<", ">"). The last rule is
 * about honesty rather than syntax: a name such as "support@bank.example" shown by the
 * mail client in place of the real sender is a classic phishing trick. Internal runs of
 * whitespace are collapsed.
 */
export function parseDisplayName(input: string | null | undefined, opts: { required?: boolean } = {}): DisplayNameResult {
  if (input != null && LINEBREAK.test(input)) return { ok: false, problem: "crlf" };
  if (input != null && CONTROL.test(input)) return { ok: false, problem: "crlf" };
  const name = (input ?? "").trim().replace(/\s+/g, " ");
  if (name === "") return opts.required === false ? { ok: true, name: "" } : { ok: false, problem: "empty" };
  if (name.length > MAX_DISPLAY_NAME_LENGTH) return { ok: false, problem: "too_long" };
  if (/[@<>]/.test(name)) return { ok: false, problem: "address_like" };
  // Round trip through the address parser: the name must come back unchanged as the
  // name of a single mailbox. Nodemailer quotes it when sending, so this is a second
  // line of defence, not the first.
  const quoted = `"${name.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}" <probe@example.com>`;
  const parsed = addressparser(quoted);
  const only = parsed.length === 1 ? parsed[0] : undefined;
  if (!only || only.group !== undefined || only.address !== "probe@example.com") return { ok: false, problem: "address_like" };
  return { ok: true, name };
}

/**
 * A display name as the transport puts it in a header (the tenant name as the relay's
 * display name, a tenant's sender name): a line break is refused (it can only be an
 * injection attempt or a bug upstream), other control characters become spaces,
 * whitespace collapses, and the name is cut to MAX_DISPLAY_NAME_LENGTH characters.
 * `@`, `<`, `>`, quotes and commas are fine — nodemailer quotes or MIME-encodes the
 * name of a `{ name, address }` object; the strict parseDisplayName decides which names
 * a tenant may choose as its sender identity.
 */
export function headerDisplayName(input: string | null | undefined): string | null {
  if (input != null && LINEBREAK.test(input)) return null;
  const name = (input ?? "").replace(new RegExp(CONTROL.source, "g"), " ").replace(/\s+/g, " ").trim();
  const chars = [...name];
  return chars.length <= MAX_DISPLAY_NAME_LENGTH ? name : `${chars.slice(0, MAX_DISPLAY_NAME_LENGTH - 1).join("").trimEnd()}…`;
}

/** The domain of an address (lower-cased), or null. */
export function addressDomain(address: string): string | null {
  const at = address.lastIndexOf("@");
  return at > 0 ? address.slice(at + 1).trim().toLowerCase() : null;
}

/** Nodemailer's structured form of a mailbox: it does the quoting and encoding itself. */
export function mailbox(address: string, name?: string | null): { address: string; name: string } {
  return { address, name: name ?? "" };
}
