import { promises as dnsPromises } from "node:dns";
import net from "node:net";
import { localized, type Localized } from "../i18n/locale";

/**
 * SSRF guard for customer-supplied SMTP hosts.
 *
 * A tenant admin types a host name; the platform connects to it from inside the
 * operator's network. Without a guard that is a way to probe internal services
 * (databases, admin panels, the cloud metadata endpoint at 169.254.169.254). So:
 *
 * 1. resolve the name once, here;
 * 2. refuse if ANY resolved address is non-public (loopback, private, CGNAT,
 *    link-local, multicast, reserved, …), unless the operator allows private hosts;
 * 3. hand back the checked IP, and the caller connects to exactly that IP (with the
 *    TLS server name still the host name). A second resolution at connect time could
 *    answer differently (DNS rebinding) — connecting to the checked IP closes that gap.
 *
 * Ports are limited to the SMTP ports so the feature cannot be used as a general port
 * probe either.
 */

export interface LookupAddress {
  address: string;
  family: number;
}
/** Resolves a host name to all its addresses (the shape of dns.promises.lookup with all: true). */
export type LookupFn = (hostname: string) => Promise<LookupAddress[]>;

export const DEFAULT_SMTP_PORTS: readonly number[] = [25, 465, 587, 2525];

export interface SmtpTargetPolicy {
  /** Operator setting SMTP_ALLOW_PRIVATE_HOSTS: allow non-public addresses (e.g. an internal relay, tests). */
  allowPrivate?: boolean;
  /** Ports a tenant may use; default 25, 465, 587, 2525. */
  allowedPorts?: readonly number[];
  /** Injected resolver (tests); default dns.promises.lookup(host, { all: true }). */
  lookup?: LookupFn;
  /** Give up resolving after this long; default 5 s. */
  lookupTimeoutMs?: number;
}

export type AddressCategory =
  | "unspecified"
  | "loopback"
  | "private"
  | "cgnat"
  | "link_local"
  | "metadata"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "documentation"
  | "unique_local";

export type SmtpTargetResult =
  | {
      ok: true;
      hostname: string;
      port: number;
      /** The checked address to connect to (IPv4 preferred: IPv6 routes are often missing). */
      address: string;
      family: 4 | 6;
      /** Every address the name resolved to, all checked. */
      addresses: string[];
    }
  | {
      ok: false;
      reason: "invalid_host" | "port_not_allowed" | "not_found" | "blocked_address";
      /** For blocked addresses: which kind. The address itself is only for server logs — don't show it to the user (it would disclose internal DNS data). */
      category?: AddressCategory;
      blockedAddress?: string;
      message: Localized;
    };

/** Ranges, most specific first so the reported category is the precise one. */
const IPV4_RANGES: ReadonlyArray<[string, number, AddressCategory]> = [
  ["169.254.169.254", 32, "metadata"], // AWS / GCP / Azure / OpenStack instance metadata
  ["168.63.129.16", 32, "metadata"], // Azure wire server (a public-looking platform address)
  ["255.255.255.255", 32, "broadcast"],
  ["0.0.0.0", 8, "unspecified"], // "this network"
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "cgnat"], // RFC 6598 shared address space (also Alibaba metadata 100.100.100.200)
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link_local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"], // IETF protocol assignments
  ["192.0.2.0", 24, "documentation"],
  ["192.88.99.0", 24, "reserved"], // deprecated 6to4 relay anycast
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved"], // benchmarking
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"], // class E, includes broadcast
];

/**
 * IPv6. ::ffff:0:0/96 (IPv4-mapped) is deliberately absent: node's BlockList matches
 * IPv4 addresses against it, which would block everything; mapped and embedded IPv4
 * addresses are unwrapped and checked as IPv4 instead (see embeddedIPv4).
 */
const IPV6_RANGES: ReadonlyArray<[string, number, AddressCategory]> = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["fd00:ec2::254", 128, "metadata"], // AWS IMDS over IPv6
  ["64:ff9b:1::", 48, "reserved"], // local-use NAT64
  ["100::", 64, "reserved"], // discard-only
  ["2001::", 32, "reserved"], // Teredo
  ["2001:2::", 48, "reserved"], // benchmarking
  ["2001:10::", 28, "reserved"], // ORCHID
  ["2001:20::", 28, "reserved"], // ORCHIDv2
  ["2001:db8::", 32, "documentation"],
  ["3fff::", 20, "documentation"],
  ["fc00::", 7, "unique_local"],
  ["fe80::", 10, "link_local"],
  ["fec0::", 10, "reserved"], // deprecated site-local
  ["ff00::", 8, "multicast"],
];

function buildLists(): Array<[net.BlockList, AddressCategory, "ipv4" | "ipv6"]> {
  const lists: Array<[net.BlockList, AddressCategory, "ipv4" | "ipv6"]> = [];
  for (const [addr, prefix, cat] of IPV4_RANGES) {
    const bl = new net.BlockList();
    bl.addSubnet(addr, prefix, "ipv4");
    lists.push([bl, cat, "ipv4"]);
  }
  for (const [addr, prefix, cat] of IPV6_RANGES) {
    const bl = new net.BlockList();
    bl.addSubnet(addr, prefix, "ipv6");
    lists.push([bl, cat, "ipv6"]);
  }
  return lists;
}
/** One BlockList per range, so a hit names its category; built once. */
const LISTS = buildLists();

/** Expands an IPv6 address to its 8 groups (as numbers); null when not IPv6. */
function ipv6Groups(ip: string): number[] | null {
  if (net.isIPv6(ip) === false) return null;
  let text = ip.split("%")[0] ?? ip; // zone id
  // Trailing dotted IPv4 (::ffff:1.2.3.4) → two hex groups.
  const dotted = text.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const o = dotted[2]!.split(".").map(Number);
    text = `${dotted[1]}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const missing = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array<string>(missing).fill("0"), ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function v4FromGroups(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/**
 * The IPv4 address carried inside an IPv6 address that a network would route to that
 * IPv4 host: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d, deprecated),
 * NAT64 (64:ff9b::/96) and 6to4 (2002:AABB:CCDD::/48).
 */
export function embeddedIPv4(ip: string): string | null {
  const g = ipv6Groups(ip);
  if (!g) return null;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(5) && g5 === 0xffff) return v4FromGroups(g6, g7);
  if (zeroTo(6) && (g6 !== 0 || g7 > 1)) return v4FromGroups(g6, g7); // ::a.b.c.d but not :: or ::1
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return v4FromGroups(g6, g7);
  if (g0 === 0x2002) return v4FromGroups(g1, g2);
  return null;
}

/** The category of a non-public address, or null for a public one. */
export function classifyAddress(ip: string): AddressCategory | null {
  const family = net.isIP(ip);
  if (family === 0) return "reserved"; // not an IP at all: never connect
  if (family === 6) {
    const v4 = embeddedIPv4(ip);
    if (v4) return classifyAddress(v4);
    for (const [bl, cat, type] of LISTS) if (type === "ipv6" && bl.check(ip, "ipv6")) return cat;
    return null;
  }
  for (const [bl, cat, type] of LISTS) if (type === "ipv4" && bl.check(ip, "ipv4")) return cat;
  return null;
}

/**
 * Refused even when the operator allows private hosts: no mail server lives on the cloud
 * metadata endpoint or a multicast/broadcast address, and the metadata endpoint hands
 * out the machine's cloud credentials — allowing an internal relay must not open that.
 */
const ALWAYS_BLOCKED: ReadonlySet<AddressCategory> = new Set(["metadata", "multicast", "broadcast"]);

export function isPublicAddress(ip: string): boolean {
  return classifyAddress(ip) === null;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*$/;

/** Lower-cases, drops a trailing dot and IPv6 brackets; null when it is neither a host name nor an IP. */
export function normalizeHost(input: string): string | null {
  let h = input.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (net.isIP(h)) return h;
  h = h.replace(/\.$/, "");
  return HOSTNAME.test(h) ? h : null;
}

/** Parses an operator port list such as "25,465,587,2525,1025"; empty/undefined → the default. */
export function parseAllowedPorts(env: string | undefined | null): number[] {
  if (!env || !env.trim()) return [...DEFAULT_SMTP_PORTS];
  const ports = env.split(",").map((s) => Number(s.trim()));
  if (!ports.every((p) => Number.isInteger(p) && p >= 1 && p <= 65535)) {
    throw new Error(`SMTP_ALLOWED_PORTS must be a comma-separated list of ports (1–65535), got "${env}".`);
  }
  return [...new Set(ports)];
}

/** "1", "true", "yes", "on" (any case) → true: the reading of SMTP_ALLOW_PRIVATE_HOSTS. */
export function parseBooleanFlag(env: string | undefined | null): boolean {
  return !!env && ["1", "true", "yes", "on"].includes(env.trim().toLowerCase());
}

const defaultLookup: LookupFn = (hostname) => dnsPromises.lookup(hostname, { all: true, verbatim: true });

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("DNS lookup timed out"), { code: "ETIMEOUT" })), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const MSG = {
  invalidHost: () =>
    localized(
      "Der Servername ist ungültig. Bitte nur den Namen eingeben, z. B. smtp.example.com – ohne „smtp://“ und ohne Port.",
      "The server name is not valid. Enter the name only, e.g. smtp.example.com – without “smtp://” and without a port.",
    ),
  port: (port: number, ports: readonly number[]) =>
    localized(
      "Port {port} ist nicht erlaubt. Mailserver nehmen Mails üblicherweise auf Port 587 (STARTTLS) oder 465 (TLS) an; erlaubt sind: {ports}.",
      "Port {port} is not allowed. Mail servers usually accept mail on port 587 (STARTTLS) or 465 (TLS); allowed are: {ports}.",
      { port, ports: ports.join(", ") },
    ),
  notFound: (host: string) =>
    localized(
      "Den Server „{host}“ gibt es nicht (der Name ist im DNS nicht zu finden). Bitte die Schreibweise prüfen oder beim Anbieter nachfragen.",
      "The server “{host}” does not exist (the name is not found in DNS). Please check the spelling or ask your provider.",
      { host },
    ),
  blocked: (host: string) =>
    localized(
      "Der Server „{host}“ liegt in einem internen oder besonderen Netz (z. B. localhost oder ein privates Firmennetz). Aus Sicherheitsgründen verbindet sich die Plattform nur mit Mailservern im öffentlichen Internet. Bitte den öffentlichen Namen Ihres Mailservers eintragen.",
      "The server “{host}” is in an internal or special network (such as localhost or a private company network). For security the platform only connects to mail servers on the public internet. Please enter the public name of your mail server.",
      { host },
    ),
};

/**
 * Resolves and checks an SMTP target. On success, connect to `address` (not to the
 * host name) and use `hostname` as the TLS server name.
 */
export async function checkSmtpTarget(host: string, port: number, policy: SmtpTargetPolicy = {}): Promise<SmtpTargetResult> {
  const hostname = normalizeHost(host);
  if (!hostname) return { ok: false, reason: "invalid_host", message: MSG.invalidHost() };

  const allowedPorts = policy.allowedPorts ?? DEFAULT_SMTP_PORTS;
  if (!Number.isInteger(port) || !allowedPorts.includes(port)) {
    return { ok: false, reason: "port_not_allowed", message: MSG.port(port, allowedPorts) };
  }

  let resolved: LookupAddress[];
  if (net.isIP(hostname)) {
    resolved = [{ address: hostname, family: net.isIP(hostname) }];
  } else {
    try {
      resolved = await withTimeout((policy.lookup ?? defaultLookup)(hostname), policy.lookupTimeoutMs ?? 5000);
    } catch {
      return { ok: false, reason: "not_found", message: MSG.notFound(hostname) };
    }
  }
  const addresses = resolved.map((r) => r.address).filter((a) => net.isIP(a) !== 0);
  if (addresses.length === 0) return { ok: false, reason: "not_found", message: MSG.notFound(hostname) };

  // Any blocked answer refuses the host: otherwise a name with one public and one
  // internal address would be a lottery, and an attacker controls the order.
  for (const a of addresses) {
    const category = classifyAddress(a);
    if (category && (!policy.allowPrivate || ALWAYS_BLOCKED.has(category))) {
      return { ok: false, reason: "blocked_address", category, blockedAddress: a, message: MSG.blocked(hostname) };
    }
  }

  const address = addresses.find((a) => net.isIPv4(a)) ?? addresses[0]!;
  return { ok: true, hostname, port, address, family: net.isIPv4(address) ? 4 : 6, addresses };
}
