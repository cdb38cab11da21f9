/**
 * SPF record syntax (RFC 7208 §4.5, §5, §6, §7, §12): recognising records,
 * splitting them into terms, checking every term against the ABNF, and macro
 * expansion. mailauth evaluates records; this module is what lets us *explain*
 * them (the include tree, the lookup count, the problems, the merge).
 */
import net from "node:net";

export type SpfQualifier = "+" | "-" | "~" | "?";
export const SPF_MECHANISMS = ["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"] as const;
export type SpfMechanismName = (typeof SPF_MECHANISMS)[number];

/** Mechanisms and modifiers that cost one DNS lookup each (RFC 7208 §4.6.4). */
export const LOOKUP_MECHANISMS: ReadonlySet<string> = new Set(["include", "a", "mx", "ptr", "exists"]);

export interface SpfMechanismTerm {
  kind: "mechanism";
  /** The term as written. */
  text: string;
  qualifier: SpfQualifier;
  /** Whether the qualifier was written (`+all`) or implied (`all`). */
  explicitQualifier: boolean;
  mechanism: SpfMechanismName;
  /** include/exists/a/mx/ptr target as written (may contain macros). */
  domainSpec?: string;
  /** ip4/ip6 network. */
  network?: string;
  cidr4?: number;
  cidr6?: number;
}

export interface SpfModifierTerm {
  kind: "modifier";
  text: string;
  /** Lower-case modifier name: redirect, exp or an unknown modifier (ignored, RFC 7208 §6). */
  name: string;
  value: string;
}

export interface SpfInvalidTerm {
  kind: "invalid";
  text: string;
  message: string;
}

export type SpfTerm = SpfMechanismTerm | SpfModifierTerm | SpfInvalidTerm;

export interface SpfSyntaxError {
  term: string;
  /** Technical, English (shown as detail/raw). */
  message: string;
}

export interface ParsedSpfRecord {
  text: string;
  terms: SpfTerm[];
  /** Any error makes check_host() return permerror (RFC 7208 §4.6). */
  errors: SpfSyntaxError[];
  mechanisms: SpfMechanismTerm[];
  redirect?: SpfModifierTerm;
  exp?: SpfModifierTerm;
  /** The first `all` mechanism, if any. */
  all?: SpfMechanismTerm;
}

/** RFC 7208 §4.5: a record starts with "v=spf1" followed by a space or its end. */
export function isSpfRecord(text: string): boolean {
  return /^v=spf1(?: |$)/i.test(text);
}

/** Joins a TXT record's character-strings: RFC 7208 §3.3 — without adding spaces. */
export function joinTxt(strings: readonly string[]): string {
  return strings.join("");
}

// ── Macros (RFC 7208 §7) ──────────────────────────────────────────────────────

const MACRO_LETTERS = "slodiphcrtv";
const EXP_ONLY_LETTERS = "crt";

export class SpfMacroError extends Error {}

/** Checks macro-string syntax (RFC 7208 §7.1); returns an error message or undefined. */
export function macroSyntaxError(value: string, options: { explanation: boolean }): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = ch.charCodeAt(0);
    if (ch === "%") {
      const next = value[i + 1];
      if (next === "%" || next === "_" || next === "-") {
        i++;
        continue;
      }
      if (next !== "{") return `"%" must be followed by "{", "%", "_" or "-"`;
      const close = value.indexOf("}", i + 2);
      if (close < 0) return "unterminated macro";
      const body = value.slice(i + 2, close);
      const m = /^([a-z])(\d*)(r?)([.\-+,/_=]*)$/i.exec(body);
      if (!m) return `invalid macro "%{${body}}"`;
      const letter = m[1]!.toLowerCase();
      if (!MACRO_LETTERS.includes(letter)) return `unknown macro letter "${m[1]}"`;
      if (!options.explanation && EXP_ONLY_LETTERS.includes(letter)) {
        return `macro letter "${m[1]}" is allowed only in explanation text (RFC 7208 §7.3)`;
      }
      if (m[2] && Number(m[2]) === 0) return "a macro digit transformer must not be zero (RFC 7208 §7.3)";
      i = close;
      continue;
    }
    // macro-literal = %x21-24 / %x26-7E; the explanation text may also hold spaces (RFC 7208 §6.2).
    if (!(code >= 0x21 && code <= 0x7e) && !(options.explanation && ch === " ")) {
      return `invalid character U+${code.toString(16).padStart(4, "0").toUpperCase()}`;
    }
  }
  return undefined;
}

export function hasMacros(value: string): boolean {
  return /%\{/.test(value);
}

export interface MacroContext {
  /** <sender>: the MAIL FROM or HELO identity, local-part@domain. */
  sender: string;
  /** <ip> of the SMTP client. */
  ip: string;
  /** <domain> currently being evaluated. */
  domain: string;
  helo?: string;
  /** %{r}: the host doing the check. */
  receiver?: string;
  /** %{p}: a validated domain name of <ip>, computed beforehand (RFC 7208 §5.5); "unknown" if none. */
  validatedDomain?: string;
  now?: Date;
}

function ipDotFormat(ip: string): string {
  if (net.isIPv4(ip)) return ip;
  // RFC 7208 §7.3: IPv6 addresses are expanded to 32 dot-separated nibbles
  // (hex digits as given: DNS names compare case-insensitively anyway).
  const [head = "", tail = ""] = ip.includes("::") ? ip.split("::") : [ip, ""];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = [...h, ...new Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return groups
    .map((g) => g.padStart(4, "0"))
    .join("")
    .split("")
    .join(".");
}

/** %{c}: "easily readable" — IPv6 in the RFC 5952 form (lower case, longest zero run compressed). */
function readableIp(ip: string): string {
  if (!net.isIPv6(ip)) return ip;
  // The WHATWG URL serializer prints IPv6 hosts in exactly that form.
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}

/** RFC 3986 unreserved characters stay; everything else is percent-encoded (uppercase macros, RFC 7208 §7.3). */
function urlEscape(value: string): string {
  return Array.from(Buffer.from(value, "utf8"))
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

/** Expands macros (RFC 7208 §7.3, §7.4). Throws SpfMacroError on syntax errors. */
export function expandMacros(value: string, ctx: MacroContext, options: { explanation: boolean }): string {
  const error = macroSyntaxError(value, options);
  if (error) throw new SpfMacroError(error);
  const at = ctx.sender.lastIndexOf("@");
  const local = at > 0 ? ctx.sender.slice(0, at) : "postmaster";
  const senderDomain = at >= 0 ? ctx.sender.slice(at + 1) : ctx.sender;
  return value.replace(/%%|%_|%-|%\{([a-zA-Z])(\d*)([rR]?)([.\-+,/_=]*)\}/g, (whole, letterRaw?: string, digits?: string, reverse?: string, delims?: string) => {
    if (whole === "%%") return "%";
    if (whole === "%_") return " ";
    if (whole === "%-") return "%20";
    const letter = letterRaw!.toLowerCase();
    let expanded: string;
    switch (letter) {
      case "s":
        expanded = `${local}@${senderDomain}`;
        break;
      case "l":
        expanded = local;
        break;
      case "o":
        expanded = senderDomain;
        break;
      case "d":
        expanded = ctx.domain;
        break;
      case "i":
        expanded = ipDotFormat(ctx.ip);
        break;
      case "p":
        expanded = ctx.validatedDomain ?? "unknown";
        break;
      case "v":
        expanded = net.isIPv4(ctx.ip) ? "in-addr" : "ip6";
        break;
      case "h":
        expanded = ctx.helo || "unknown";
        break;
      case "c":
        expanded = readableIp(ctx.ip);
        break;
      case "r":
        expanded = ctx.receiver || "unknown";
        break;
      case "t":
        expanded = String(Math.floor((ctx.now ?? new Date()).getTime() / 1000));
        break;
      default:
        throw new SpfMacroError(`unknown macro letter "${letterRaw}"`);
    }
    if (digits || reverse || (delims && delims !== ".")) {
      const splitter = new RegExp(`[${(delims || ".").replace(/[-\\\]^]/g, "\\$&")}]`);
      let parts = expanded.split(splitter);
      if (reverse) parts = parts.reverse();
      const n = digits ? Number(digits) : 0;
      if (n > 0 && n < parts.length) parts = parts.slice(parts.length - n);
      // Whatever the delimiters, the parts are rejoined with dots (RFC 7208 §7.3).
      expanded = parts.join(".");
    }
    return letterRaw !== letter ? urlEscape(expanded) : expanded;
  });
}

/** RFC 7208 §7.3: an expanded name over 253 characters loses labels from the left. */
export function truncateDomain(name: string): string {
  let out = name;
  while (out.length > 253 && out.includes(".")) out = out.slice(out.indexOf(".") + 1);
  return out;
}

// ── Terms ─────────────────────────────────────────────────────────────────────

/** toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ) */
const TOPLABEL = /^(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])$/i;

/** domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand */
export function domainSpecError(spec: string): string | undefined {
  if (!spec) return "empty domain-spec";
  const macroError = macroSyntaxError(spec, { explanation: false });
  if (macroError) return macroError;
  if (/%\{[^}]*\}$/.test(spec)) return undefined;
  const trimmed = spec.endsWith(".") ? spec.slice(0, -1) : spec;
  const dot = trimmed.lastIndexOf(".");
  if (dot < 0) return `"${spec}" is not a domain name (it needs a dot and a top-level label)`;
  const top = trimmed.slice(dot + 1);
  // A literal toplabel may not come out of a macro: "%{d}." would be caught by TOPLABEL anyway.
  if (!TOPLABEL.test(top)) return `"${spec}" does not end in a valid top-level label`;
  return undefined;
}

const DEC_OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)";
const IP4_NETWORK = new RegExp(`^${DEC_OCTET}(?:\\.${DEC_OCTET}){3}$`);
const CIDR = /^(0|[1-9]\d{0,2})$/;

function parseMechanism(text: string): SpfMechanismTerm | SpfInvalidTerm {
  const invalid = (message: string): SpfInvalidTerm => ({ kind: "invalid", text, message });
  let rest = text;
  let qualifier: SpfQualifier = "+";
  let explicitQualifier = false;
  if (/^[+\-~?]/.test(rest)) {
    qualifier = rest[0] as SpfQualifier;
    explicitQualifier = true;
    rest = rest.slice(1);
  }
  const nameMatch = /^([a-z0-9]+)/i.exec(rest);
  const name = (nameMatch?.[1] ?? "").toLowerCase();
  if (!(SPF_MECHANISMS as readonly string[]).includes(name)) {
    return invalid(`unknown mechanism "${nameMatch?.[1] ?? rest}"`);
  }
  const mechanism = name as SpfMechanismName;
  rest = rest.slice(name.length);
  const base = { kind: "mechanism" as const, text, qualifier, explicitQualifier, mechanism };
  switch (mechanism) {
    case "all":
      return rest === "" ? base : invalid(`"all" takes no argument`);
    case "include":
    case "exists": {
      if (!rest.startsWith(":")) return invalid(`"${mechanism}" needs ":domain"`);
      const domainSpec = rest.slice(1);
      const error = domainSpecError(domainSpec);
      return error ? invalid(error) : { ...base, domainSpec };
    }
    case "ptr": {
      if (rest === "") return base;
      if (!rest.startsWith(":")) return invalid(`"ptr" takes only ":domain"`);
      const domainSpec = rest.slice(1);
      const error = domainSpecError(domainSpec);
      return error ? invalid(error) : { ...base, domainSpec };
    }
    case "a":
    case "mx": {
      // [ ":" domain-spec ] [ dual-cidr-length ]: the CIDR suffix is recognised at the end.
      const m = /^(?::(.*?))?(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(rest);
      if (!m || (rest !== "" && !rest.startsWith(":") && !rest.startsWith("/"))) {
        return invalid(`"${mechanism}" takes ":domain" and "/cidr"`);
      }
      const [, domainSpec, c4, c6] = m;
      if (domainSpec !== undefined) {
        const error = domainSpecError(domainSpec);
        if (error) return invalid(error);
      }
      if (c4 !== undefined && (!CIDR.test(c4) || Number(c4) > 32)) return invalid(`invalid IPv4 prefix length /${c4}`);
      if (c6 !== undefined && (!CIDR.test(c6) || Number(c6) > 128)) return invalid(`invalid IPv6 prefix length //${c6}`);
      return {
        ...base,
        ...(domainSpec !== undefined ? { domainSpec } : {}),
        ...(c4 !== undefined ? { cidr4: Number(c4) } : {}),
        ...(c6 !== undefined ? { cidr6: Number(c6) } : {}),
      };
    }
    case "ip4": {
      const m = /^:([^/]*)(?:\/(\d+))?$/.exec(rest);
      if (!m) return invalid(`"ip4" needs ":address" with an optional "/prefix"`);
      const [, network = "", c4] = m;
      if (!IP4_NETWORK.test(network)) return invalid(`"${network}" is not an IPv4 address`);
      if (c4 !== undefined && (!CIDR.test(c4) || Number(c4) > 32)) return invalid(`invalid IPv4 prefix length /${c4}`);
      return { ...base, network, ...(c4 !== undefined ? { cidr4: Number(c4) } : {}) };
    }
    case "ip6": {
      const m = /^:([0-9a-f:.]*)(?:\/(\d+))?$/i.exec(rest);
      if (!m) return invalid(`"ip6" needs ":address" with an optional "/prefix"`);
      const [, network = "", c6] = m;
      if (!net.isIPv6(network)) return invalid(`"${network}" is not an IPv6 address`);
      if (c6 !== undefined && (!CIDR.test(c6) || Number(c6) > 128)) return invalid(`invalid IPv6 prefix length /${c6}`);
      return { ...base, network, ...(c6 !== undefined ? { cidr6: Number(c6) } : {}) };
    }
  }
}

function parseTerm(text: string): SpfTerm {
  // A modifier is name "=" …, where name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) (RFC 7208 §12).
  const modifier = /^([^:/=]*)=(.*)$/.exec(text);
  if (modifier) {
    const [, rawName = "", value = ""] = modifier;
    if (!/^[a-z][a-z0-9\-_.]*$/i.test(rawName)) return { kind: "invalid", text, message: `invalid modifier name "${rawName}"` };
    const name = rawName.toLowerCase();
    if (name === "redirect" || name === "exp") {
      const error = domainSpecError(value);
      if (error) return { kind: "invalid", text, message: `${name}: ${error}` };
    } else {
      const error = macroSyntaxError(value, { explanation: false });
      if (error) return { kind: "invalid", text, message: `${name}: ${error}` };
    }
    return { kind: "modifier", text, name, value };
  }
  return parseMechanism(text);
}

/** Parses a record (which must start with v=spf1) into terms and syntax errors. */
export function parseSpfRecord(text: string): ParsedSpfRecord {
  const errors: SpfSyntaxError[] = [];
  const terms: SpfTerm[] = [];
  if (!isSpfRecord(text)) {
    errors.push({ term: text.split(" ")[0] ?? "", message: 'the record does not start with "v=spf1"' });
    return { text, terms, errors, mechanisms: [] };
  }
  // Terms are separated by one or more SP (%x20); tabs or other whitespace are not separators.
  const rawTerms = text.slice(6).split(" ").filter((t) => t !== "");
  for (const raw of rawTerms) {
    const term = parseTerm(raw);
    terms.push(term);
    if (term.kind === "invalid") errors.push({ term: raw, message: term.message });
  }
  const mechanisms = terms.filter((t): t is SpfMechanismTerm => t.kind === "mechanism");
  const modifiers = terms.filter((t): t is SpfModifierTerm => t.kind === "modifier");
  const redirects = modifiers.filter((m) => m.name === "redirect");
  const exps = modifiers.filter((m) => m.name === "exp");
  // RFC 7208 §6: redirect and exp may each appear at most once.
  if (redirects.length > 1) errors.push({ term: redirects[1]!.text, message: "more than one redirect= modifier" });
  if (exps.length > 1) errors.push({ term: exps[1]!.text, message: "more than one exp= modifier" });
  const all = mechanisms.find((m) => m.mechanism === "all");
  return {
    text,
    terms,
    errors,
    mechanisms,
    ...(redirects[0] ? { redirect: redirects[0] } : {}),
    ...(exps[0] ? { exp: exps[0] } : {}),
    ...(all ? { all } : {}),
  };
}

/** Number of DNS-querying terms in one record (RFC 7208 §4.6.4), redirect included unless an `all` voids it. */
export function ownLookupCount(record: ParsedSpfRecord): number {
  const mechanisms = record.mechanisms.filter((m) => LOOKUP_MECHANISMS.has(m.mechanism)).length;
  return mechanisms + (record.redirect && !record.all ? 1 : 0);
}

/** Splits a TXT value into ≤255-octet character-strings (RFC 7208 §3.3, RFC 1035 §3.3.14). */
export function splitTxtStrings(value: string, size = 255): string[] {
  if (value.length <= size) return [value];
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += size) parts.push(value.slice(i, i + size));
  return parts;
}

/** Renders a record for a DNS provider's form or a zone file: quoted strings when it must be split. */
export function zoneFileTxt(value: string): string {
  return splitTxtStrings(value)
    .map((s) => `"${s.replace(/["\\]/g, "\\$&")}"`)
    .join(" ");
}
