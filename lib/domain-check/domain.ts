/**
 * The domain a customer types in: trimmed, lower-cased, without trailing dot,
 * internationalized names converted to their ASCII (punycode) form — which is
 * what DNS holds and what the TXT records must name.
 */
import net from "node:net";
import { domainToASCII } from "node:url";
import { z } from "zod";

/** LDH label (RFC 1035 §2.3.1, RFC 5891 §4.2.3.1): 1–63 octets, no hyphen at either end. */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export type DomainValidation = { ok: true; domain: string } | { ok: false; key: string; params?: Record<string, string> };

export function validateDomain(input: string): DomainValidation {
  let value = input.trim();
  if (!value) return { ok: false, key: "v.domain.required" };
  const at = value.lastIndexOf("@");
  if (at >= 0) {
    // An address pasted instead of a domain: say which part we need.
    const suggestion = value.slice(at + 1);
    return { ok: false, key: "v.domain.email", params: { domain: suggestion || "firma.de" } };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes("/")) {
    const host = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").split(/[/?#:]/)[0] ?? "";
    return { ok: false, key: "v.domain.url", params: { domain: host || "firma.de" } };
  }
  const bare = value.replace(/^\[|\]$/g, "");
  if (net.isIP(bare)) return { ok: false, key: "v.domain.ip" };
  value = value.replace(/\.$/, "");
  // Checked before IDNA: the WHATWG host parser would read "example.123" as a broken IPv4 address.
  const lastLabel = value.split(".").pop() ?? "";
  if (value.includes(".") && /^\d+$/.test(lastLabel)) return { ok: false, key: "v.domain.tld", params: { label: lastLabel } };
  // IDNA (UTS #46) to ASCII: "bücher.de" → "xn--bcher-kva.de"; "" when impossible.
  const ascii = domainToASCII(value).toLowerCase();
  if (!ascii) return { ok: false, key: "v.domain.invalid" };
  if (net.isIP(ascii)) return { ok: false, key: "v.domain.ip" };
  const labels = ascii.split(".");
  if (labels.length < 2) return { ok: false, key: "v.domain.singleLabel" };
  if (ascii.length > 253) return { ok: false, key: "v.domain.tooLong" };
  for (const label of labels) {
    if (!LABEL.test(label)) return { ok: false, key: "v.domain.label", params: { label } };
  }
  const tld = labels[labels.length - 1]!;
  if (/^\d+$/.test(tld)) return { ok: false, key: "v.domain.tld", params: { label: tld } };
  return { ok: true, domain: ascii };
}

/**
 * zod schema of a domain field: its output is the ASCII domain; its issues
 * carry message keys of domainValidationMessages with {params}.
 */
export const domainSchema = z.string({ error: "v.domain.required" }).transform((value, ctx) => {
  const result = validateDomain(value);
  if (result.ok) return result.domain;
  ctx.addIssue({ code: "custom", message: result.key, ...(result.params ? { params: result.params } : {}) });
  return z.NEVER;
});
