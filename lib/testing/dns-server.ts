/**
 * A real DNS server for tests: dns2 3.0 answering from an in-memory zone on
 * 127.0.0.1, UDP and TCP on the same port (resolvers retry over TCP when a UDP
 * answer is truncated, RFC 7766 §5, so both transports must be served).
 *
 * Never a mock: code under test resolves through `dns.promises.Resolver` with
 * `setServers([address])`, over the network, exactly as in production.
 */
import dgram from "node:dgram";
import net from "node:net";
import { readFile } from "node:fs/promises";
import dns2 from "dns2";

const { Packet, UDPServer, TCPServer } = dns2;
type Packet = InstanceType<typeof Packet>;
type Resource = Packet["answers"][number];

/** The records of one owner name. Names are matched case-insensitively (RFC 4343). */
export interface ZoneEntry {
  A?: string[];
  AAAA?: string[];
  /** `{ priority: 0, exchange: "." }` is a null MX (RFC 7505). */
  MX?: Array<{ priority: number; exchange: string }>;
  /**
   * One item per TXT record. A string longer than 255 octets is split into
   * 255-octet character-strings, as a zone file must (RFC 1035 §3.3.14); an
   * array gives the character-strings explicitly (multi-string records).
   * Characters up to U+00FF are sent as single octets (latin1) so that what a
   * test puts in is exactly what the Node resolver hands back; anything above
   * is sent as UTF-8. `TXT: []` is an explicit "no TXT records" (NODATA).
   */
  TXT?: Array<string | string[]>;
  PTR?: string[];
  /** An alias: queries for other types follow it within the zone (RFC 1034 §3.6.2). */
  CNAME?: string;
  /** Queries for types this name has no records of are never answered (the client times out). */
  timeout?: boolean;
  /** Queries for types this name has no records of are answered SERVFAIL. */
  servfail?: boolean;
  /** Delay every answer for this name by so many milliseconds. */
  delayMs?: number;
}

/** Owner name (without trailing dot) → records. Unknown names answer NXDOMAIN. */
export type Zone = Record<string, ZoneEntry>;

export interface DnsQueryLogEntry {
  name: string;
  type: string;
  transport: "udp" | "tcp";
}

export interface TestDnsServer {
  host: "127.0.0.1";
  port: number;
  /** `127.0.0.1:PORT`, for `Resolver#setServers`, `--dns` and `DNS_SERVERS`. */
  address: string;
  /** Replaces the zone; later queries see the new records. */
  setZone(zone: Zone): void;
  /** Every query received so far (oldest first). */
  queries: DnsQueryLogEntry[];
  close(): Promise<void>;
}

/** RFC 1035 §4.1.1 response codes (dns2 has Packet.RCODE at runtime, its types lack it). */
const RCODE = { FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3 } as const;

const TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(Packet.TYPE).map(([name, code]) => [code, name]),
);

const MAX_CNAME_CHAIN = 8;

function normalizeName(name: string): string {
  return name.replace(/\.$/, "").toLowerCase();
}

function normalizeZone(zone: Zone): Map<string, ZoneEntry> {
  const map = new Map<string, ZoneEntry>();
  for (const [name, entry] of Object.entries(zone)) map.set(normalizeName(name), entry);
  return map;
}

/** Encodes a TXT string as octets: latin1 when it fits (round-trips through Node's resolver), else UTF-8. */
function txtOctets(text: string): Buffer {
  return /^[\u0000-\u00ff]*$/.test(text) ? Buffer.from(text, "latin1") : Buffer.from(text, "utf8");
}

function txtCharacterStrings(record: string | string[]): Buffer[] {
  // TXT RDATA holds at least one character-string (RFC 1035 §3.3.14); an empty
  // list is served as one empty string rather than as illegal empty RDATA.
  if (Array.isArray(record)) return record.length ? record.map(txtOctets) : [Buffer.alloc(0)];
  const bytes = txtOctets(record);
  if (bytes.length === 0) return [bytes];
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 255) parts.push(bytes.subarray(i, i + 255));
  return parts;
}

type Outcome = "answer" | "nxdomain" | "nodata" | "timeout" | "servfail";

function recordsFor(name: string, type: string, entry: ZoneEntry): Array<Partial<Resource>> {
  const base = { name, class: Packet.CLASS.IN, ttl: 0 };
  switch (type) {
    case "A":
      return (entry.A ?? []).map((address) => ({ ...base, type: Packet.TYPE.A, address }));
    case "AAAA":
      return (entry.AAAA ?? []).map((address) => ({ ...base, type: Packet.TYPE.AAAA, address }));
    case "MX":
      return (entry.MX ?? []).map((mx) => ({ ...base, type: Packet.TYPE.MX, priority: mx.priority, exchange: mx.exchange }));
    case "TXT":
      // dns2's TXT encoder writes Buffers as raw octets; its type says string[].
      return (entry.TXT ?? []).map((record) => ({
        ...base,
        type: Packet.TYPE.TXT,
        data: txtCharacterStrings(record) as unknown as string[],
      }));
    case "PTR":
      return (entry.PTR ?? []).map((domain) => ({ ...base, type: Packet.TYPE.PTR, domain }));
    case "CNAME":
      return entry.CNAME ? [{ ...base, type: Packet.TYPE.CNAME, domain: entry.CNAME }] : [];
    default:
      return [];
  }
}

/** Looks a question up in the zone, following CNAMEs (RFC 1034 §4.3.2 step 3a). */
function lookup(
  zone: Map<string, ZoneEntry>,
  qname: string,
  type: string,
): { outcome: Outcome; answers: Array<Partial<Resource>>; delayMs: number } {
  const answers: Array<Partial<Resource>> = [];
  let name = normalizeName(qname);
  let delayMs = 0;
  const seen = new Set<string>();
  for (let hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
    const entry = zone.get(name);
    if (!entry) {
      // An empty non-terminal (a name with descendants but no records) exists: NODATA, not NXDOMAIN (RFC 8020).
      const hasDescendant = [...zone.keys()].some((k) => k.endsWith(`.${name}`));
      return { outcome: hasDescendant ? "nodata" : "nxdomain", answers, delayMs };
    }
    delayMs = Math.max(delayMs, entry.delayMs ?? 0);
    if (entry.CNAME && type !== "CNAME") {
      if (seen.has(name)) return { outcome: "servfail", answers: [], delayMs };
      seen.add(name);
      answers.push(...recordsFor(name, "CNAME", entry));
      name = normalizeName(entry.CNAME);
      continue;
    }
    const records = recordsFor(name, type, entry);
    if (records.length > 0) return { outcome: "answer", answers: [...answers, ...records], delayMs };
    if (entry.timeout) return { outcome: "timeout", answers, delayMs };
    if (entry.servfail) return { outcome: "servfail", answers, delayMs };
    return { outcome: "nodata", answers, delayMs };
  }
  return { outcome: "servfail", answers: [], delayMs };
}

function pickPort(): number {
  // Below the ephemeral range (32768–60999), where TIME_WAIT sockets of other tests pile up.
  return 20000 + Math.floor(Math.random() * 12000);
}

function bindUdp(socket: dgram.Socket, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    socket.once("error", onError);
    socket.bind(port, "127.0.0.1", () => {
      socket.off("error", onError);
      resolve();
    });
  });
}

function listenTcp(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    // An explicit address: dns2 3.0 would bind TCP to :: otherwise.
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/** Reads a zone from a JSON file shaped like `Zone`. */
export async function loadZoneFile(path: string): Promise<Zone> {
  return JSON.parse(await readFile(path, "utf8")) as Zone;
}

/**
 * Starts the server on a free port of 127.0.0.1 (UDP and TCP) serving `zone`, or on
 * `options.port` (e2e specs: the fixed port the app under test is configured with).
 */
export async function startDnsServer(zone: Zone = {}, options: { port?: number } = {}): Promise<TestDnsServer> {
  let current = normalizeZone(zone);
  const queries: DnsQueryLogEntry[] = [];
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const handler =
    (transport: "udp" | "tcp") =>
    (request: Packet, send: (response: Packet) => Promise<Buffer>): void => {
      const response = Packet.createResponseFromRequest(request);
      response.header.aa = 1;
      const question = request.questions[0];
      if (!question) {
        response.header.rcode = RCODE.FORMERR;
        void send(response).catch(() => undefined);
        return;
      }
      const type = TYPE_NAMES[question.type] ?? String(question.type);
      queries.push({ name: question.name, type, transport });
      const { outcome, answers, delayMs } = lookup(current, question.name, type);
      if (outcome === "timeout") return; // never answer: the client's per-query timeout fires
      response.answers = answers.map((a) => Packet.createResourceFromQuestion(question, a));
      if (outcome === "nxdomain") response.header.rcode = RCODE.NXDOMAIN;
      if (outcome === "servfail") {
        response.header.rcode = RCODE.SERVFAIL;
        response.answers = [];
      }
      const reply = () => void send(response).catch(() => undefined);
      if (delayMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          reply();
        }, delayMs);
        timers.add(timer);
      } else {
        reply();
      }
    };

  for (let attempt = 0; attempt < (options.port ? 1 : 50); attempt++) {
    const port = options.port ?? pickPort();
    const udp = new UDPServer({ type: "udp4" });
    const tcp = new TCPServer();
    udp.on("request", handler("udp") as never);
    tcp.on("request", handler("tcp") as never);
    udp.on("requestError", () => undefined);
    tcp.on("requestError", () => undefined);
    tcp.on("connection", (socket: net.Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    try {
      await bindUdp(udp, port);
      await listenTcp(tcp, port);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      try {
        udp.close();
      } catch {
        /* not bound */
      }
      tcp.close();
      if (!options.port && (code === "EADDRINUSE" || code === "EACCES")) continue;
      throw error;
    }
    udp.on("error", () => undefined);
    tcp.on("error", () => undefined);
    let closed: Promise<void> | undefined;
    return {
      host: "127.0.0.1",
      port,
      address: `127.0.0.1:${port}`,
      queries,
      setZone(zone: Zone) {
        current = normalizeZone(zone);
      },
      close() {
        closed ??= (async () => {
          for (const timer of timers) clearTimeout(timer);
          timers.clear();
          for (const socket of sockets) socket.destroy();
          await Promise.all([
            new Promise<void>((resolve) => udp.close(() => resolve())),
            new Promise<void>((resolve) => tcp.close(() => resolve())),
          ]);
        })();
        return closed;
      },
    };
  }
  throw new Error("startDnsServer: no free port found in 20000–32000 after 50 attempts");
}
