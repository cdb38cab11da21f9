/**
 * The one DNS door of the domain check. Everything in lib/domain-check takes a
 * DnsResolver; nothing uses the global `dns` module, so `DNS_SERVERS` /
 * `--dns HOST:PORT` (and the loopback test server) reach every look-up.
 */
import dns from "node:dns";
import net from "node:net";

export type DnsRecordType = "A" | "AAAA" | "MX" | "TXT" | "PTR" | "CNAME";

export interface MxRecord {
  exchange: string;
  priority: number;
}

/** What a query returned, classified for people: data, nothing, or "could not find out". */
export type LookupOutcome<T> =
  | { status: "ok"; records: T[] }
  /** NXDOMAIN: the name does not exist. NODATA: it exists, without records of this type (RFC 2308 §2). */
  | { status: "empty"; reason: "NXDOMAIN" | "NODATA"; records: [] }
  /** TIMEOUT, SERVFAIL, REFUSED, … or the check's deadline: a temporary state, never a verdict. */
  | { status: "temporary"; reason: string; message: string; records: [] }
  /** The name cannot be queried at all (e.g. a label over 63 octets). */
  | { status: "invalid"; reason: string; message: string; records: [] };

export interface DnsResolver {
  /**
   * Node-style lookup: resolves with the records or rejects with an Error whose
   * `code` is Node's (ENOTFOUND, ENODATA, ETIMEOUT, ESERVFAIL, …). This is the
   * shape mailauth's SPF evaluator expects from `resolver(name, type)`.
   */
  resolve(name: string, type: "TXT"): Promise<string[][]>;
  resolve(name: string, type: "MX"): Promise<MxRecord[]>;
  resolve(name: string, type: DnsRecordType): Promise<unknown[]>;
  /** The same look-up, classified (never rejects). */
  lookup(name: string, type: "TXT"): Promise<LookupOutcome<string[]>>;
  lookup(name: string, type: "MX"): Promise<LookupOutcome<MxRecord>>;
  lookup(name: string, type: "A" | "AAAA" | "PTR" | "CNAME"): Promise<LookupOutcome<string>>;
  /** The servers queried (`HOST:PORT`), or [] for the system's resolvers. */
  readonly servers: string[];
  /** Number of queries sent so far (for benchmarks and diagnostics). */
  readonly queryCount: number;
}

export interface ResolverOptions {
  /** `HOST:PORT` (or bare `HOST`, port 53; IPv6 as `[::1]:53`). Unset or empty: the system's resolvers. */
  servers?: string[];
  /** Per-query timeout of one try, in milliseconds (c-ares backs off on later tries). */
  timeoutMs?: number;
  /** Tries per server before giving up with ETIMEOUT. */
  tries?: number;
  /** Overall deadline for everything asked through this resolver, from its creation (see withDeadline). */
  deadlineMs?: number;
}

export const DEFAULT_RESOLVER_OPTIONS = { timeoutMs: 1000, tries: 2 } as const;
/** Default overall deadline of one domain check. */
export const DEFAULT_CHECK_DEADLINE_MS = 20_000;

/** Node codes that mean "the name or the data does not exist": an answer, not a failure. */
const EMPTY_CODES: Record<string, "NXDOMAIN" | "NODATA"> = {
  ENOTFOUND: "NXDOMAIN",
  ENODATA: "NODATA",
};

/** Node codes for a name that cannot be asked. */
const INVALID_CODES = new Set(["EBADNAME", "EBADQUERY", "EBADFAMILY", "EBADSTR"]);

const TEMPORARY_REASONS: Record<string, string> = {
  ETIMEOUT: "TIMEOUT",
  ESERVFAIL: "SERVFAIL",
  EREFUSED: "REFUSED",
  ECONNREFUSED: "CONNREFUSED",
  ECANCELLED: "CANCELLED",
  EDESTRUCTION: "CANCELLED",
  EDEADLINE: "DEADLINE",
};

/** Classifies a Node DNS error (or any rejection) into a LookupOutcome. */
export function classifyDnsError(error: unknown): LookupOutcome<never> {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
  const message = error instanceof Error ? error.message : String(error);
  const empty = EMPTY_CODES[code];
  if (empty) return { status: "empty", reason: empty, records: [] };
  if (INVALID_CODES.has(code)) return { status: "invalid", reason: code, message, records: [] };
  if ((error as { deadline?: boolean } | undefined)?.deadline) return { status: "temporary", reason: "DEADLINE", message, records: [] };
  return { status: "temporary", reason: TEMPORARY_REASONS[code] ?? (code || "ERROR"), message, records: [] };
}

/**
 * Parses `HOST:PORT` entries for `Resolver#setServers`, naming the bad entry.
 * Node accepts only IP addresses here (a resolver cannot look up its own server's name).
 */
export function parseDnsServers(entries: string[]): string[] {
  return entries
    .map((e) => e.trim())
    .filter(Boolean)
    .map((entry) => {
      let host = entry;
      let port = "53";
      const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
      if (bracketed) {
        host = bracketed[1]!;
        port = bracketed[2] ?? "53";
      } else if (net.isIPv6(entry)) {
        host = entry;
      } else {
        const colon = entry.lastIndexOf(":");
        if (colon > 0) {
          host = entry.slice(0, colon);
          port = entry.slice(colon + 1);
        }
      }
      const portNumber = Number(port);
      if (!net.isIP(host) || !/^\d+$/.test(port) || portNumber < 1 || portNumber > 65535) {
        throw new Error(`invalid DNS server "${entry}": expected IP:PORT, e.g. 127.0.0.1:5353 or [::1]:53`);
      }
      return net.isIPv6(host) ? `[${host}]:${portNumber}` : `${host}:${portNumber}`;
    });
}

function deadlineError(name: string, type: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`query${type} ETIMEOUT ${name} (the check's overall deadline passed)`);
  // ETIMEOUT so that mailauth maps it to temperror, like a real timeout.
  error.code = "ETIMEOUT";
  (error as NodeJS.ErrnoException & { deadline?: boolean }).deadline = true;
  return error;
}

/**
 * Creates a resolver: a `dns.promises.Resolver` with its own servers, per-query
 * timeout and tries. With `deadlineMs`, every query after that many
 * milliseconds from now fails at once as a timeout; a long-lived resolver
 * (one per process) leaves it unset and each check applies `withDeadline`.
 */
export function createResolver(options: ResolverOptions = {}): DnsResolver {
  const timeoutMs = options.timeoutMs ?? DEFAULT_RESOLVER_OPTIONS.timeoutMs;
  const tries = options.tries ?? DEFAULT_RESOLVER_OPTIONS.tries;
  const servers = options.servers?.length ? parseDnsServers(options.servers) : [];
  const inner = new dns.promises.Resolver({ timeout: timeoutMs, tries });
  if (servers.length) inner.setServers(servers);
  let queryCount = 0;

  const resolve = async (name: string, type: DnsRecordType): Promise<unknown[]> => {
    queryCount++;
    return (await inner.resolve(name, type)) as unknown[];
  };

  const resolver: DnsResolver = {
    resolve: resolve as DnsResolver["resolve"],
    lookup: lookupVia(resolve),
    servers,
    get queryCount() {
      return queryCount;
    },
  };
  return options.deadlineMs === undefined ? resolver : withDeadline(resolver, options.deadlineMs);
}

function lookupVia(resolve: (name: string, type: DnsRecordType) => Promise<unknown[]>): DnsResolver["lookup"] {
  const lookup = async (name: string, type: DnsRecordType): Promise<LookupOutcome<unknown>> => {
    try {
      const records = await resolve(name, type);
      // NOERROR with an empty answer is NODATA too (c-ares usually reports it as ENODATA already).
      if (records.length === 0) return { status: "empty", reason: "NODATA", records: [] };
      return { status: "ok", records };
    } catch (error) {
      return classifyDnsError(error);
    }
  };
  return lookup as DnsResolver["lookup"];
}

/**
 * The same resolver with an overall deadline starting now: a query still
 * running when it passes, or started after it, fails as ETIMEOUT (so mailauth
 * reports temperror and the check says "could not check", never "failed").
 */
export function withDeadline(base: DnsResolver, deadlineMs: number): DnsResolver {
  const deadline = Date.now() + deadlineMs;
  const resolve = async (name: string, type: DnsRecordType): Promise<unknown[]> => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw deadlineError(name, type);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        base.resolve(name, type),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(deadlineError(name, type)), remaining);
          timer.unref();
        }),
      ]);
    } finally {
      if (timer) clearTimeout(timer);
    }
  };
  return {
    resolve: resolve as DnsResolver["resolve"],
    lookup: lookupVia(resolve),
    servers: base.servers,
    get queryCount() {
      return base.queryCount;
    },
  };
}

/**
 * A resolver that answers TXT for one name from `txt` and everything else from
 * `base`: evaluates a record before it is published ("what if this were your
 * record?"), resolving includes and other names live.
 */
export function overlayTxtResolver(base: DnsResolver, name: string, txt: string[][]): DnsResolver {
  const target = name.replace(/\.$/, "").toLowerCase();
  const matches = (n: string) => n.replace(/\.$/, "").toLowerCase() === target;
  const resolve = async (n: string, type: DnsRecordType): Promise<unknown[]> => {
    if (type === "TXT" && matches(n)) {
      if (txt.length === 0) {
        const error: NodeJS.ErrnoException = new Error(`queryTxt ENODATA ${n}`);
        error.code = "ENODATA";
        throw error;
      }
      return txt.map((strings) => [...strings]);
    }
    return base.resolve(n, type);
  };
  return {
    resolve: resolve as DnsResolver["resolve"],
    lookup: lookupVia(resolve),
    servers: base.servers,
    get queryCount() {
      return base.queryCount;
    },
  };
}
