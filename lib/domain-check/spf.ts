/**
 * SPF: RFC 7208 check_host() through mailauth (the evaluator), plus what
 * mailauth does not report — the explanation (exp=, §6.2), the record's terms,
 * the include tree with each node's record, lookup and void-lookup counts
 * against the limits of §4.6.4, and the problems worth telling a customer.
 */
import net from "node:net";
import { spf as mailauthSpf } from "mailauth/lib/spf/index.js";
import type { DnsRecordType, DnsResolver } from "./resolver";
import {
  expandMacros,
  hasMacros,
  isSpfRecord,
  joinTxt,
  LOOKUP_MECHANISMS,
  ownLookupCount,
  parseSpfRecord,
  SpfMacroError,
  truncateDomain,
  type ParsedSpfRecord,
  type SpfQualifier,
  type SpfSyntaxError,
} from "./spf-record";

export type SpfResult = "pass" | "fail" | "softfail" | "neutral" | "none" | "permerror" | "temperror";

/** RFC 7208 §4.6.4. */
export const SPF_LOOKUP_LIMIT = 10;
export const SPF_VOID_LOOKUP_LIMIT = 2;
/** RFC 7208 §3.4: keep a record small enough for a 512-octet UDP answer. */
export const SPF_RECOMMENDED_MAX_LENGTH = 450;

/** The receiving host named in %{r} and in mailauth's comments. */
const RECEIVER = "postillion";

export function normalizeDomain(domain: string): string {
  return domain.trim().replace(/\.$/, "").toLowerCase();
}

// ── check_host() ──────────────────────────────────────────────────────────────

export interface CheckHostInput {
  /** The SMTP client's IP address (<ip>). */
  ip: string;
  /** The domain to check (<domain>): the MAIL FROM domain, or the HELO name. */
  domain: string;
  /** The MAIL FROM identity (<sender>); defaults to postmaster@<domain> (RFC 7208 §2.4). */
  sender?: string;
  /** The HELO/EHLO name (%{h}). */
  helo?: string;
  resolver: DnsResolver;
}

export interface CheckHostOutput {
  result: SpfResult;
  /**
   * For "fail": the domain's explanation (exp=, RFC 7208 §6.2) or the default
   * one; otherwise why the result came out as it did. Technical English.
   */
  explanation: string;
  /** Whether `explanation` came from the domain's exp= modifier. */
  explanationFromRecord: boolean;
  /** DNS-querying terms evaluated (RFC 7208 §4.6.4), as mailauth counted them. */
  lookups: number;
  voidLookups: number;
  /** The SPF record of <domain> that was evaluated, if one was found. */
  record: string | null;
}

interface MailauthSpfResponse {
  status: { result: string; comment?: string };
  rr?: string;
  lookups?: { count: number; void: number; limit: number };
}

/** Wraps a resolver for mailauth, remembering TXT answers (to find the record that decided, for exp=). */
function recordingResolver(resolver: DnsResolver) {
  const txt = new Map<string, string[][]>();
  const fn = async (name: string, type: string): Promise<string[][] | string[]> => {
    let records: unknown[];
    try {
      records = await resolver.resolve(name, type as DnsRecordType);
    } catch (error) {
      // c-ares refuses to send names that cannot be DNS host names (a label over
      // 63 octets, ":" or spaces): EBADNAME. No such name can have records, so
      // it is an empty answer (a void lookup), not a temporary DNS failure —
      // which mailauth would otherwise report as temperror (RFC 7208 §4.3, §4.8).
      if ((error as NodeJS.ErrnoException).code === "EBADNAME") {
        const notFound: NodeJS.ErrnoException = new Error((error as Error).message);
        notFound.code = "ENOTFOUND";
        throw notFound;
      }
      throw error;
    }
    if (type === "TXT") txt.set(normalizeDomain(name), records as string[][]);
    return records as string[][] | string[];
  };
  return { fn, txt };
}

function spfRecordsIn(txt: string[][] | undefined): string[] {
  return (txt ?? []).map(joinTxt).filter(isSpfRecord);
}

/**
 * RFC 7208 check_host(<ip>, <domain>, <sender>) — the code path of
 * `postillion spf` and of the domain check's per-gateway evaluation.
 */
export async function checkHost(input: CheckHostInput): Promise<CheckHostOutput> {
  if (!net.isIP(input.ip)) throw new Error(`checkHost: "${input.ip}" is not an IP address`);
  const domain = normalizeDomain(input.domain);
  const sender = input.sender || `postmaster@${domain}`;
  const recorder = recordingResolver(input.resolver);
  let response: MailauthSpfResponse;
  try {
    response = (await mailauthSpf({
      ip: input.ip,
      sender,
      ...(input.helo ? { helo: input.helo } : {}),
      mta: RECEIVER,
      resolver: recorder.fn,
    })) as unknown as MailauthSpfResponse;
  } catch (error) {
    // mailauth turns DNS errors into results itself; anything else is a bug or a bad input.
    return {
      result: "temperror",
      explanation: error instanceof Error ? error.message : String(error),
      explanationFromRecord: false,
      lookups: 0,
      voidLookups: 0,
      record: null,
    };
  }
  const result = response.status.result as SpfResult;
  const comment = (response.status.comment ?? "").replace(new RegExp(`^${RECEIVER}: `), "");
  const output: CheckHostOutput = {
    result,
    explanation: comment || result,
    explanationFromRecord: false,
    lookups: response.lookups?.count ?? 0,
    voidLookups: response.lookups?.void ?? 0,
    record: response.rr ?? null,
  };
  // RFC 7208 §4.6: a syntax error anywhere in a record makes check_host()
  // return permerror before evaluating it. mailauth tolerates some (a bare
  // "ip6", a second exp=, c/r/t macros outside explanations, …); every SPF
  // record it fetched was one it evaluated — the domain's own and those reached
  // through include and redirect — so a syntax error in any of them decides.
  if (result !== "temperror" && result !== "permerror") {
    for (const [name, answer] of recorder.txt) {
      const records = spfRecordsIn(answer);
      if (records.length !== 1) continue;
      const error = parseSpfRecord(records[0]!).errors[0];
      if (error) {
        return {
          ...output,
          result: "permerror",
          explanation: `permanent error in processing the SPF record of ${name}: ${error.message} ("${error.term}")`,
        };
      }
    }
  }
  if (result === "fail" && response.rr) {
    const exp = await explanationFor({
      ip: input.ip,
      sender,
      domain,
      ...(input.helo ? { helo: input.helo } : {}),
      record: response.rr,
      txt: recorder.txt,
      resolver: input.resolver,
    });
    if (exp !== undefined) {
      output.explanation = exp;
      output.explanationFromRecord = true;
    }
  }
  return output;
}

/**
 * RFC 7208 §6.2: the explanation of a "fail". It comes from the exp= of the
 * record that produced the result: the evaluated domain's own record, or — when
 * the result came through redirect= — the redirect target's (an exp= of the
 * original domain MUST NOT be used then; one inside an include never is).
 * Returns undefined when the default explanation applies (no exp=, DNS errors,
 * not exactly one TXT record, or a syntax error in the text).
 */
async function explanationFor(args: {
  ip: string;
  sender: string;
  domain: string;
  helo?: string;
  record: string;
  txt: Map<string, string[][]>;
  resolver: DnsResolver;
}): Promise<string | undefined> {
  const ctx = { ip: args.ip, sender: args.sender, domain: args.domain, receiver: RECEIVER, ...(args.helo ? { helo: args.helo } : {}) };
  let parsed = parseSpfRecord(args.record);
  // Follow redirects that mailauth followed: a redirect is evaluated only after
  // every mechanism failed to match and only without an `all` (§6.1), and then
  // mailauth queried the target's TXT. That query tells us it went there.
  for (let hop = 0; hop < SPF_LOOKUP_LIMIT; hop++) {
    if (!parsed.redirect || parsed.all) break;
    let target: string;
    try {
      target = normalizeDomain(truncateDomain(expandMacros(parsed.redirect.value, ctx, { explanation: false })));
    } catch {
      return undefined;
    }
    const answer = args.txt.get(target);
    const records = spfRecordsIn(answer);
    if (!answer || records.length !== 1) break;
    ctx.domain = target;
    parsed = parseSpfRecord(records[0]!);
  }
  if (!parsed.exp || parsed.errors.length) return undefined;
  try {
    const expDomain = normalizeDomain(truncateDomain(expandMacros(parsed.exp.value, ctx, { explanation: false })));
    // Not counted against the lookup limit (§4.6.4); any failure means "no exp".
    const outcome = await args.resolver.lookup(expDomain, "TXT");
    if (outcome.status !== "ok" || outcome.records.length !== 1) return undefined;
    const text = joinTxt(outcome.records[0]!);
    // The explanation must be US-ASCII (§6.2).
    if (/[^\x20-\x7e]/.test(text)) return undefined;
    const validatedDomain = /%\{p/i.test(text) ? await validatedDomainOf(args.ip, ctx.domain, args.resolver) : undefined;
    return expandMacros(text, { ...ctx, ...(validatedDomain ? { validatedDomain } : {}) }, { explanation: true });
  } catch (error) {
    if (error instanceof SpfMacroError) return undefined;
    throw error;
  }
}

function reverseName(ip: string): string {
  if (net.isIPv4(ip)) return `${ip.split(".").reverse().join(".")}.in-addr.arpa`;
  const full = expandIPv6(ip);
  return `${full.split("").reverse().join(".")}.ip6.arpa`;
}

function expandIPv6(ip: string): string {
  const [head = "", tail = ""] = ip.includes("::") ? ip.split("::") : [ip, ""];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  return [...h, ...new Array<string>(8 - h.length - t.length).fill("0"), ...t]
    .map((g) => g.padStart(4, "0"))
    .join("")
    .toLowerCase();
}

function sameIp(a: string, b: string): boolean {
  if (net.isIPv4(a) && net.isIPv4(b)) return a === b;
  if (net.isIPv6(a) && net.isIPv6(b)) return expandIPv6(a) === expandIPv6(b);
  return false;
}

/**
 * %{p} (RFC 7208 §5.5, §7.3): a name of <ip> whose forward lookup returns <ip>,
 * preferring <domain> itself, then a subdomain of it. Used only in explanations
 * (the `p` macro and `ptr` are discouraged; we never evaluate with them ourselves).
 */
async function validatedDomainOf(ip: string, domain: string, resolver: DnsResolver): Promise<string | undefined> {
  const ptr = await resolver.lookup(reverseName(ip), "PTR");
  if (ptr.status !== "ok") return undefined;
  const names = ptr.records.slice(0, 10).map(normalizeDomain);
  const type = net.isIPv4(ip) ? "A" : "AAAA";
  const validated: string[] = [];
  for (const name of names) {
    const forward = await resolver.lookup(name, type);
    if (forward.status === "ok" && forward.records.some((address) => sameIp(address, ip))) validated.push(name);
  }
  return (
    validated.find((n) => n === domain) ?? validated.find((n) => n.endsWith(`.${domain}`)) ?? validated[0]
  );
}

// ── The record explained: tree, counts, problems ─────────────────────────────

export type SpfNodeOutcome =
  /** A single SPF record was found and parsed. */
  | "ok"
  /** No SPF record at the target (an include of it is a permerror, RFC 7208 §5.2). */
  | "no-record"
  | "multiple-records"
  /** The look-up timed out or failed on the server: could not check. */
  | "temporary"
  /** The domain is already on the path to this node. */
  | "loop"
  /** The target contains macros: it depends on the sender or the IP and is not followed. */
  | "not-followed"
  /** The tree got too deep or too large to follow further. */
  | "truncated";

export interface SpfTreeNode {
  domain: string;
  via: "root" | "include" | "redirect";
  /** The term of the parent that led here, e.g. "include:_spf.example.com". */
  term: string | null;
  /** The qualifier of that include term (an include matches only on the target's pass). */
  qualifier?: SpfQualifier;
  record: string | null;
  outcome: SpfNodeOutcome;
  /** DNS-querying terms of this node's own record (include, a, mx, ptr, exists, redirect). */
  lookups: number;
  /** This node plus everything below it. */
  totalLookups: number;
  /** Terms of this record whose look-up found nothing (NXDOMAIN/NODATA), counting an include target without a record. */
  voidLookups: number;
  syntaxErrors: SpfSyntaxError[];
  /** The domain is one of the platform's include domains. */
  platform: boolean;
  children: SpfTreeNode[];
}

export type SpfProblemCode =
  | "syntax"
  | "plus-all"
  | "neutral-all"
  | "softfail-all"
  | "no-all"
  | "ptr"
  | "too-many-lookups"
  | "too-many-void-lookups"
  | "include-no-record"
  | "include-multiple-records"
  | "include-temporary"
  | "loop"
  | "terms-after-all"
  | "redirect-ignored"
  | "mx-too-many-hosts"
  | "record-too-long";

export interface SpfProblem {
  code: SpfProblemCode;
  severity: "error" | "warning" | "info" | "temporary";
  /** The domain whose record has the problem. */
  domain: string;
  term?: string;
  /** Technical, English. */
  detail: string;
}

export interface SpfTreeSummary {
  tree: SpfTreeNode;
  /** Worst case: every DNS-querying term in the tree evaluated. */
  lookups: number;
  voidLookups: number;
  /** Platform include domains found anywhere in the tree (through include and redirect). */
  platformIncludesReached: string[];
  problems: SpfProblem[];
}

export interface WalkOptions {
  resolver: DnsResolver;
  platformIncludes: string[];
  /** Stop following after this many nodes (a hostile tree could be huge). */
  maxNodes?: number;
}

const MAX_DEPTH = 12;

/**
 * Builds the include/redirect tree of `domain`'s SPF record. With `record` the
 * root uses that text instead of the published one (to explain a suggestion
 * before it is published). Every include and redirect target is fetched; a,
 * mx and exists targets are resolved to count void look-ups.
 */
export async function walkSpf(domain: string, options: WalkOptions & { record?: string }): Promise<SpfTreeSummary> {
  const platform = new Set(options.platformIncludes.map(normalizeDomain));
  const budget = { nodes: options.maxNodes ?? 60 };
  const problems: SpfProblem[] = [];
  const root = await walkNode({
    domain: normalizeDomain(domain),
    via: "root",
    term: null,
    path: [],
    resolver: options.resolver,
    platform,
    budget,
    problems,
    ...(options.record !== undefined ? { record: options.record } : {}),
  });
  const reached = new Set<string>();
  let voidLookups = 0;
  const visit = (node: SpfTreeNode) => {
    if (node.platform && node.outcome === "ok") reached.add(node.domain);
    voidLookups += node.voidLookups;
    node.children.forEach(visit);
  };
  visit(root);
  if (root.totalLookups > SPF_LOOKUP_LIMIT) {
    problems.push({
      code: "too-many-lookups",
      severity: "error",
      domain: root.domain,
      detail: `${root.totalLookups} DNS-querying terms in the record and everything it includes; the limit is ${SPF_LOOKUP_LIMIT} (RFC 7208 §4.6.4), beyond it receivers return permerror`,
    });
  }
  if (voidLookups > SPF_VOID_LOOKUP_LIMIT) {
    problems.push({
      code: "too-many-void-lookups",
      severity: "error",
      domain: root.domain,
      detail: `${voidLookups} look-ups find nothing (NXDOMAIN/NODATA); more than ${SPF_VOID_LOOKUP_LIMIT} make receivers return permerror (RFC 7208 §4.6.4)`,
    });
  }
  return { tree: root, lookups: root.totalLookups, voidLookups, platformIncludesReached: [...reached], problems };
}

interface WalkContext {
  domain: string;
  via: SpfTreeNode["via"];
  term: string | null;
  qualifier?: SpfQualifier;
  path: string[];
  resolver: DnsResolver;
  platform: Set<string>;
  budget: { nodes: number };
  problems: SpfProblem[];
  record?: string;
}

async function walkNode(ctx: WalkContext): Promise<SpfTreeNode> {
  const node: SpfTreeNode = {
    domain: ctx.domain,
    via: ctx.via,
    term: ctx.term,
    ...(ctx.qualifier ? { qualifier: ctx.qualifier } : {}),
    record: null,
    outcome: "ok",
    lookups: 0,
    totalLookups: 0,
    voidLookups: 0,
    syntaxErrors: [],
    platform: ctx.platform.has(ctx.domain),
    children: [],
  };
  const problem = (p: Omit<SpfProblem, "domain">) => ctx.problems.push({ domain: ctx.domain, ...p });
  if (ctx.path.includes(ctx.domain)) {
    node.outcome = "loop";
    problem({
      code: "loop",
      severity: "error",
      ...(ctx.term ? { term: ctx.term } : {}),
      detail: `${[...ctx.path, ctx.domain].join(" → ")}: the records include each other; receivers stop at the lookup limit with permerror`,
    });
    return node;
  }
  if (ctx.path.length >= MAX_DEPTH || ctx.budget.nodes-- <= 0) {
    node.outcome = "truncated";
    return node;
  }

  let recordText = ctx.record;
  if (recordText === undefined) {
    const outcome = await ctx.resolver.lookup(ctx.domain, "TXT");
    if (outcome.status === "temporary" || outcome.status === "invalid") {
      node.outcome = "temporary";
      problem({
        code: "include-temporary",
        severity: "temporary",
        ...(ctx.term ? { term: ctx.term } : {}),
        detail: `TXT look-up of ${ctx.domain} failed: ${outcome.reason}`,
      });
      return node;
    }
    const records = outcome.records.map(joinTxt).filter(isSpfRecord);
    if (records.length === 0) {
      node.outcome = "no-record";
      if (ctx.via !== "root") {
        // RFC 7208 §5.2 / §6.1: include or redirect of a domain without SPF is a permerror.
        node.voidLookups = outcome.status === "empty" ? 1 : 0;
        problem({
          code: "include-no-record",
          severity: "error",
          ...(ctx.term ? { term: ctx.term } : {}),
          detail: `${ctx.domain} has no SPF record; "${ctx.term}" makes the evaluation permerror (RFC 7208 §5.2, §6.1)`,
        });
      }
      return node;
    }
    if (records.length > 1) {
      node.outcome = "multiple-records";
      node.record = records.join("\n");
      if (ctx.via !== "root") {
        problem({
          code: "include-multiple-records",
          severity: "error",
          ...(ctx.term ? { term: ctx.term } : {}),
          detail: `${ctx.domain} publishes ${records.length} SPF records: permerror (RFC 7208 §4.5)`,
        });
      }
      return node;
    }
    recordText = records[0]!;
  }
  node.record = recordText;
  const parsed = parseSpfRecord(recordText);
  node.syntaxErrors = parsed.errors;
  node.lookups = ownLookupCount(parsed);
  for (const error of parsed.errors) {
    problem({ code: "syntax", severity: "error", term: error.term, detail: error.message });
  }
  reportRecordProblems(parsed, ctx, problem);

  const childPath = [...ctx.path, ctx.domain];
  const children: Array<Promise<SpfTreeNode>> = [];
  const voids: Array<Promise<number>> = [];
  for (const m of parsed.mechanisms) {
    if (!LOOKUP_MECHANISMS.has(m.mechanism)) continue;
    const target = m.domainSpec !== undefined ? m.domainSpec : ctx.domain;
    if (m.mechanism === "include") {
      children.push(
        followTarget({ ...ctx, via: "include", term: m.text, qualifier: m.qualifier, path: childPath }, target),
      );
    } else if (m.mechanism === "a" || m.mechanism === "mx" || m.mechanism === "exists") {
      if (hasMacros(target)) continue;
      voids.push(countVoid(m.mechanism, normalizeDomain(target), m.text, ctx.resolver, problem));
    }
  }
  if (parsed.redirect && !parsed.all) {
    children.push(followTarget({ ...ctx, via: "redirect", term: parsed.redirect.text, path: childPath }, parsed.redirect.value));
  }
  node.children = await Promise.all(children);
  node.voidLookups += (await Promise.all(voids)).reduce((a, b) => a + b, 0);
  node.totalLookups = node.lookups + node.children.reduce((sum, c) => sum + c.totalLookups, 0);
  return node;
}

async function followTarget(ctx: WalkContext, spec: string): Promise<SpfTreeNode> {
  const { record: _ignored, ...rest } = ctx;
  if (hasMacros(spec)) {
    return {
      domain: spec,
      via: ctx.via,
      term: ctx.term,
      ...(ctx.qualifier ? { qualifier: ctx.qualifier } : {}),
      record: null,
      outcome: "not-followed",
      lookups: 0,
      totalLookups: 0,
      voidLookups: 0,
      syntaxErrors: [],
      platform: false,
      children: [],
    };
  }
  return walkNode({ ...rest, domain: normalizeDomain(spec) });
}

async function countVoid(
  mechanism: "a" | "mx" | "exists",
  target: string,
  term: string,
  resolver: DnsResolver,
  problem: (p: Omit<SpfProblem, "domain">) => void,
): Promise<number> {
  if (mechanism === "mx") {
    const mx = await resolver.lookup(target, "MX");
    if (mx.status === "empty") return 1;
    // RFC 7208 §4.6.4: more than 10 MX hosts to resolve is a permerror.
    const hosts = mx.records.filter((r) => r.exchange !== "" && r.exchange !== ".");
    if (hosts.length > SPF_LOOKUP_LIMIT) {
      problem({ code: "mx-too-many-hosts", severity: "error", term, detail: `${target} has ${hosts.length} MX hosts; more than ${SPF_LOOKUP_LIMIT} make "${term}" a permerror (RFC 7208 §4.6.4)` });
    }
    return 0;
  }
  // a: void only when neither A nor AAAA exist (as mailauth counts it); exists asks for A only.
  const [a, aaaa] = await Promise.all([
    resolver.lookup(target, "A"),
    mechanism === "a" ? resolver.lookup(target, "AAAA") : Promise.resolve({ status: "empty" as const }),
  ]);
  return a.status === "empty" && aaaa.status === "empty" ? 1 : 0;
}

function reportRecordProblems(
  parsed: ParsedSpfRecord,
  ctx: WalkContext,
  problem: (p: Omit<SpfProblem, "domain">) => void,
): void {
  const isPolicyRecord = ctx.via !== "include"; // the root or a redirect target decides the final result
  const all = parsed.all;
  if (all?.qualifier === "+") {
    problem({
      code: "plus-all",
      severity: "error",
      term: all.text,
      detail:
        ctx.via === "include"
          ? `the included record of ${ctx.domain} ends in "${all.text}": it matches every IP, so the including record passes everyone`
          : `"${all.text}" authorizes every IP address on the internet to send as this domain`,
    });
  }
  if (isPolicyRecord) {
    if (all?.qualifier === "?") {
      problem({ code: "neutral-all", severity: "warning", term: all.text, detail: `"?all" gives no answer for unlisted senders (neutral): anyone may send as this domain` });
    } else if (all?.qualifier === "~") {
      problem({ code: "softfail-all", severity: "info", term: all.text, detail: `"~all": unlisted senders get softfail; "-all" is stricter once every legitimate sender is listed` });
    } else if (!all && !parsed.redirect && parsed.errors.length === 0) {
      problem({ code: "no-all", severity: "warning", detail: `no "all" and no redirect: unlisted senders get the default result neutral (RFC 7208 §4.7)` });
    }
    if (all && parsed.redirect) {
      problem({ code: "redirect-ignored", severity: "warning", term: parsed.redirect.text, detail: `"${parsed.redirect.text}" is ignored because the record has "${all.text}" (RFC 7208 §6.1)` });
    }
  }
  if (all) {
    const after = parsed.mechanisms.slice(parsed.mechanisms.indexOf(all) + 1);
    if (after.length) {
      problem({ code: "terms-after-all", severity: "warning", term: after.map((m) => m.text).join(" "), detail: `mechanisms after "${all.text}" are never evaluated (RFC 7208 §5.1)` });
    }
  }
  for (const m of parsed.mechanisms.filter((m) => m.mechanism === "ptr")) {
    problem({ code: "ptr", severity: "warning", term: m.text, detail: `"ptr" is deprecated: slow, unreliable, and some receivers ignore it (RFC 7208 §5.5)` });
  }
  if (Buffer.byteLength(parsed.text) > SPF_RECOMMENDED_MAX_LENGTH && ctx.via !== "include") {
    problem({
      code: "record-too-long",
      severity: "warning",
      detail: `${Buffer.byteLength(parsed.text)} octets; RFC 7208 §3.4 recommends at most ${SPF_RECOMMENDED_MAX_LENGTH} so the answer fits a UDP packet`,
    });
  }
}
