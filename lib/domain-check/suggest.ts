/**
 * The SPF record we ask the customer to publish. Never a second record
 * (RFC 7208 §4.5 / §3.2: two records make SPF permerror for all their mail):
 * - no record: a new minimal one;
 * - one record without the platform: that record with our include merged in;
 * - several records: ONE record combining them, with our include.
 * The suggestion is then explained (lookup count, tree) and evaluated for the
 * gateway IPs exactly as if it were published.
 */
import { overlayTxtResolver, type DnsResolver } from "./resolver";
import { checkHost, normalizeDomain, SPF_LOOKUP_LIMIT, walkSpf, type CheckHostOutput, type SpfTreeNode } from "./spf";
import { isSpfRecord, joinTxt, parseSpfRecord, splitTxtStrings, zoneFileTxt, type SpfMechanismTerm } from "./spf-record";

export type SuggestionKind = "create" | "add-include" | "merge";

export type SuggestionNoteCode =
  /** +all in a merged record became ~all: +all lets anyone send as the domain. */
  | "plus-all-replaced"
  /** redirect=X of a merged record became include:X (a record with "all" ignores redirect). */
  | "redirect-converted"
  /** A term with a syntax error was left out of the merged record. */
  | "invalid-term-dropped"
  /** None of the merged records ended in "all": ~all was added. */
  | "all-added";

export interface SuggestionNote {
  code: SuggestionNoteCode;
  term: string;
}

export interface SpfSuggestionText {
  kind: SuggestionKind;
  /** The one record to publish (TXT at the domain). */
  record: string;
  /** The records it replaces (to be deleted/edited); empty when creating. */
  replaces: string[];
  /** The include that was added, or null when the merged records already reach the platform. */
  addedInclude: string | null;
  notes: SuggestionNote[];
}

export interface SpfSuggestion extends SpfSuggestionText {
  /** The record split into ≤255-character strings and in zone-file form. */
  strings: string[];
  zoneFile: string;
  /** DNS lookups of the suggested record with everything it includes (RFC 7208 §4.6.4). */
  lookups: number;
  overLookupLimit: boolean;
  voidLookups: number;
  tree: SpfTreeNode;
  /** check_host() of the suggested record for each gateway IP, as if published. */
  evaluations: Array<{ ip: string } & CheckHostOutput>;
}

/**
 * A new record: only the platform include and ~all. Not the handbook's
 * `a mx include:… ~all`: `a` and `mx` authorize the domain's web server and
 * inbound mail servers as senders, which they usually are not (a hosted
 * website, Microsoft/Google inbound MX), cost two of the ten lookups plus MX
 * host lookups, and count as void lookups where the domain has no A record.
 * `~all` rather than `-all`: the customer may have senders they did not know
 * about (an office mail system, a newsletter tool); softfail keeps their mail
 * flowing while they find out, and the check advises -all afterwards.
 */
export function newRecord(platformInclude: string): string {
  return `v=spf1 include:${platformInclude} ~all`;
}

/**
 * One existing record with the include merged in: before the first `all`
 * (terms after it are never evaluated, RFC 7208 §5.1); without `all`, before
 * `redirect=` (a redirect applies only when no mechanism matched, §6.1, so the
 * include must be a mechanism of this record, and reads best before it);
 * otherwise at the end. Every other term stays as written.
 */
export function addInclude(record: string, include: string): string {
  const terms = record.trim().split(/ +/);
  const parsed = terms.map((t, i) => (i === 0 ? undefined : parseSpfRecord(`v=spf1 ${t}`).terms[0]));
  let at = parsed.findIndex((t) => t?.kind === "mechanism" && t.mechanism === "all");
  if (at < 0) at = parsed.findIndex((t) => t?.kind === "modifier" && t.name === "redirect");
  if (at < 0) at = terms.length;
  terms.splice(at, 0, `include:${include}`);
  return terms.join(" ");
}

const QUALIFIER_LENIENCY = { "-": 0, "~": 1, "?": 2 } as const;

/**
 * Several records merged into one: their mechanisms in order (duplicates once),
 * one `all` — the most lenient of theirs, so no sender allowed by one of them
 * is cut off by the merge, but never +all —, redirect= turned into include:
 * (with an `all` a redirect would be ignored), the first exp=, other modifiers once.
 */
export function mergeRecords(records: string[]): { record: string; notes: SuggestionNote[] } {
  const notes: SuggestionNote[] = [];
  const mechanisms: string[] = [];
  const modifiers: string[] = [];
  const seen = new Set<string>();
  const seenModifiers = new Set<string>();
  let allQualifier: "-" | "~" | "?" | undefined;
  let exp: string | undefined;
  const key = (m: SpfMechanismTerm) => (m.explicitQualifier && m.qualifier === "+" ? m.text.slice(1) : m.text).toLowerCase();
  const addMechanism = (text: string, k: string) => {
    if (seen.has(k)) return;
    seen.add(k);
    mechanisms.push(text);
  };
  for (const record of records) {
    const parsed = parseSpfRecord(record);
    for (const term of parsed.terms) {
      if (term.kind === "invalid") {
        notes.push({ code: "invalid-term-dropped", term: term.text });
      } else if (term.kind === "mechanism") {
        if (term.mechanism === "all") {
          let q = term.qualifier;
          if (q === "+") {
            notes.push({ code: "plus-all-replaced", term: term.text });
            q = "~";
          }
          if (allQualifier === undefined || QUALIFIER_LENIENCY[q] > QUALIFIER_LENIENCY[allQualifier]) allQualifier = q;
        } else {
          addMechanism(term.text, key(term));
        }
      } else if (term.name === "redirect") {
        notes.push({ code: "redirect-converted", term: term.text });
        addMechanism(`include:${term.value}`, `include:${term.value}`.toLowerCase());
      } else if (term.name === "exp") {
        exp ??= term.text;
      } else if (!seenModifiers.has(term.text.toLowerCase())) {
        seenModifiers.add(term.text.toLowerCase());
        modifiers.push(term.text);
      }
    }
  }
  if (allQualifier === undefined) {
    notes.push({ code: "all-added", term: "~all" });
    allQualifier = "~";
  }
  const parts = ["v=spf1", ...mechanisms, `${allQualifier}all`, ...modifiers, ...(exp ? [exp] : [])];
  return { record: parts.join(" "), notes };
}

function mentionsInclude(record: string, includes: string[]): boolean {
  const wanted = new Set(includes.map(normalizeDomain));
  return parseSpfRecord(record).mechanisms.some(
    (m) => m.mechanism === "include" && m.domainSpec !== undefined && wanted.has(normalizeDomain(m.domainSpec)),
  );
}

/**
 * The record text to suggest for the SPF records found at a domain, or null
 * when the single record already reaches a platform include (nothing to add).
 * `reachesPlatform(record)` tells whether a record reaches a platform include
 * through includes and redirects (a DNS walk; see suggestSpf).
 */
export async function suggestRecordText(
  records: string[],
  platformIncludes: string[],
  reachesPlatform: (record: string) => Promise<boolean>,
): Promise<SpfSuggestionText | null> {
  const include = platformIncludes[0];
  if (!include) throw new Error("the platform profile has no SPF include domain");
  if (records.length === 0) {
    return { kind: "create", record: newRecord(include), replaces: [], addedInclude: include, notes: [] };
  }
  if (records.length === 1) {
    const record = records[0]!;
    if (mentionsInclude(record, platformIncludes) || (await reachesPlatform(record))) return null;
    return { kind: "add-include", record: addInclude(record, include), replaces: [record], addedInclude: include, notes: [] };
  }
  const merged = mergeRecords(records);
  if (mentionsInclude(merged.record, platformIncludes) || (await reachesPlatform(merged.record))) {
    return { kind: "merge", record: merged.record, replaces: records, addedInclude: null, notes: merged.notes };
  }
  return { kind: "merge", record: addInclude(merged.record, include), replaces: records, addedInclude: include, notes: merged.notes };
}

export interface SuggestOptions {
  resolver: DnsResolver;
  platformIncludes: string[];
  gatewayIps: string[];
  /** The domain's TXT records as fetched (all of them, to keep the non-SPF ones in the what-if evaluation). */
  txt: string[][];
}

/** The suggestion for `domain`, explained and evaluated; null when nothing needs to change. */
export async function suggestSpf(domain: string, options: SuggestOptions): Promise<SpfSuggestion | null> {
  const name = normalizeDomain(domain);
  const records = options.txt.map(joinTxt).filter(isSpfRecord);
  const walk = (record: string) =>
    walkSpf(name, { resolver: options.resolver, platformIncludes: options.platformIncludes, record });
  const text = await suggestRecordText(records, options.platformIncludes, async (record) => {
    return (await walk(record)).platformIncludesReached.length > 0;
  });
  if (!text) return null;
  const summary = await walk(text.record);
  return {
    ...text,
    strings: splitTxtStrings(text.record),
    zoneFile: zoneFileTxt(text.record),
    lookups: summary.lookups,
    overLookupLimit: summary.lookups > SPF_LOOKUP_LIMIT,
    voidLookups: summary.voidLookups,
    tree: summary.tree,
    evaluations: await evaluateRecord(name, text.record, options),
  };
}

/**
 * check_host() of `record` for each gateway IP as if it were the domain's only
 * SPF record: the domain's TXT answer is replaced (its other TXT records kept),
 * everything else — includes, a, mx — resolves live.
 */
export async function evaluateRecord(
  domain: string,
  record: string,
  options: Pick<SuggestOptions, "resolver" | "gatewayIps" | "txt">,
): Promise<Array<{ ip: string } & CheckHostOutput>> {
  const others = options.txt.filter((strings) => !isSpfRecord(joinTxt(strings)));
  const overlay = overlayTxtResolver(options.resolver, domain, [...others, splitTxtStrings(record)]);
  return Promise.all(
    options.gatewayIps.map(async (ip) => ({ ip, ...(await checkHost({ ip, domain, resolver: overlay })) })),
  );
}
