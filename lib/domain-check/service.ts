/**
 * The domain check as a service for the page: start a check into a stored row
 * (its steps land in the row as they complete, so any app instance can show the
 * progress), the views the browser may see, "what changed", DKIM keys and the
 * instructions mail for the DNS person. Framework-free: the server actions pass in
 * the configuration, the keys and the clock; tests run it against the loopback DNS
 * and SMTP servers.
 */
import { z } from "zod";
import { writeAudit } from "../audit/log";
import { config, type PlatformConfig } from "../config/platform-profile";
import type { Db } from "../db";
import { localized, type Locale, type Localized } from "../i18n/locale";
import { encryptWithKeys, secretAad, type EncryptionKeys } from "../crypto/secret-box";
import { limitReachedMessage, releaseSlot, takeSlot, type LimitRule } from "../limits/fixed-window";
import { addressDomain } from "../mail/address";
import { sendThroughRelay } from "../mail/relay";
import type { ProbeOptions } from "../mail/transport";
import { resolveRecheckAlerts } from "../monitoring/recheck-alerts";
import { pendingSteps, runDomainCheck, type DomainCheckReport, type Verdict } from "./check";
import { dkimTxtRecord, generateDkimKeyPair } from "./dkim";
import { domainSchema } from "./domain";
import { spfProfile, type PlatformProfile } from "./profile";
import {
  CHECK_STALE_AFTER_MS,
  customerDomainFromAddress,
  doneChecks,
  failCheck,
  finishCheck,
  getDomainCheck,
  insertDkimKey,
  insertFinishedCheck,
  insertRunningCheck,
  latestCheckOfDomain,
  listDkimKeys,
  markDkimKeyVerified,
  markInterruptedChecks,
  storeCheckSteps,
  type DomainCheckRow,
} from "./queries";
import { createResolver } from "./resolver";
import { SPF_LOOKUP_LIMIT, SPF_VOID_LOOKUP_LIMIT } from "./spf";
import type { SpfSuggestion } from "./suggest";
import { CHECK_STEPS, type CheckStep, type Finding, type FindingStatus, type StepReport } from "./types";

// ── Input (one schema per form; the server actions parse with these) ──────────────

/** A DKIM selector is one DNS label (RFC 6376 §3.1); we keep it lower-case. */
const selectorSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, { error: "v.dkim.selector" });

/** An optional selector field: empty means "none" (check) or "choose one" (generate). */
const optionalSelector = z
  .string()
  .optional()
  .transform((s) => (s?.trim() ? s : undefined))
  .pipe(selectorSchema.optional());

export const domainCheckInputSchema = z.object({ domain: domainSchema, selector: optionalSelector });
export const dkimKeyInputSchema = z.object({ domain: domainSchema, selector: optionalSelector });
export const instructionsInputSchema = z.object({
  checkId: z.uuid(),
  to: z.string().trim().pipe(z.email()),
});

// ── Operator configuration ────────────────────────────────────────────────────────

export interface DomainCheckEnvironment {
  /** `HOST:PORT` list (DNS_SERVERS); undefined: the system's resolvers. */
  dnsServers: string[] | undefined;
  profile: PlatformProfile;
  /** Per-query timeout of one try; c-ares tries twice. */
  queryTimeoutMs: number;
  /** The whole check's deadline: later look-ups count as "could not check (temporary)". */
  deadlineMs: number;
  relayUrl: string | undefined;
  noreplyAddress: string;
}

export function domainCheckEnvironment(cfg: PlatformConfig = config()): DomainCheckEnvironment {
  return {
    dnsServers: cfg.DNS_SERVERS,
    profile: spfProfile(cfg),
    queryTimeoutMs: 2_000,
    deadlineMs: 20_000,
    relayUrl: cfg.SMTP_RELAY_URL || undefined,
    noreplyAddress: cfg.PLATFORM_NOREPLY_ADDRESSES[0]!,
  };
}

/** Per-tenant budget of domain checks (each one is ~20 DNS look-ups and a relay probe). */
export const DOMAIN_CHECK_BUDGET: LimitRule = { scope: "domain.check", limit: 30, windowMs: 60 * 60 * 1000 };
/** Per-tenant budget of DNS instruction mails through the platform relay. */
export const INSTRUCTIONS_BUDGET: LimitRule = { scope: "domain.instructions", limit: 10, windowMs: 60 * 60 * 1000 };

// ── Running a check ───────────────────────────────────────────────────────────────

export type StartedCheck =
  | {
      ok: true;
      id: string;
      /** true: a check of this domain was already running; this is that one. */
      joined: boolean;
      /** Settles when the row is final (done or failed); never rejects. */
      done: Promise<void>;
    }
  | { ok: false; message: Localized; retryAfterMs: number };

/**
 * Inserts a running check and starts it. Returns at once with the row's id; the
 * steps are written to the row as they complete. The caller keeps `done` alive
 * (Next's after()) so the work finishes in this process. At most one check runs per
 * tenant and domain (a second start joins it), and a tenant has DOMAIN_CHECK_BUDGET
 * checks an hour.
 */
export async function startDomainCheck(
  db: Db,
  params: {
    tenantId: string;
    actorUserId: string | null;
    domain: string;
    selector?: string;
    env: DomainCheckEnvironment;
    now?: () => Date;
  },
): Promise<StartedCheck> {
  const now = params.now ?? (() => new Date());
  const started = now();
  await markInterruptedChecks(db, { tenantId: params.tenantId, now: started });
  const joinRunning = async (): Promise<StartedCheck | null> => {
    const running = await latestCheckOfDomain(db, { tenantId: params.tenantId, domain: params.domain });
    return running?.status === "running" ? { ok: true, id: running.id, joined: true, done: Promise.resolve() } : null;
  };
  const joined = await joinRunning();
  if (joined) return joined;

  const slot = await takeSlot(db, DOMAIN_CHECK_BUDGET, params.tenantId, started);
  if (!slot.allowed) {
    return {
      ok: false,
      retryAfterMs: slot.retryAfterMs,
      message: limitReachedMessage({ de: "Zu viele Domain-Prüfungen", en: "Too many domain checks" }, slot.retryAfterMs),
    };
  }
  const id = await db.transaction(async (tx) => {
    const created = await insertRunningCheck(tx, { tenantId: params.tenantId, domain: params.domain, startedBy: params.actorUserId, now: started });
    if (!created) return null;
    await writeAudit(
      tx,
      {
        tenantId: params.tenantId,
        actorUserId: params.actorUserId,
        action: "domain.check",
        targetType: "domain",
        targetId: params.domain,
        details: { checkId: created, ...(params.selector ? { selector: params.selector } : {}) },
      },
      started,
    );
    return created;
  });
  if (!id) {
    // A parallel start won the race: this request joins it and spends no budget.
    await releaseSlot(db, DOMAIN_CHECK_BUDGET, params.tenantId, slot.windowStart);
    const other = await joinRunning();
    if (other) return other;
    return { ok: false, retryAfterMs: 0, message: localized("Bitte die Prüfung erneut starten.", "Please start the check again.") };
  }
  const done = runIntoRow(db, { ...params, id, now }).catch(async (error: unknown) => {
    console.error("domain check failed", { checkId: id, error });
    await failCheck(db, { tenantId: params.tenantId, id, now: now() }).catch((e: unknown) => console.error("could not mark the check failed", e));
  });
  return { ok: true, id, joined: false, done };
}

/** The newest key of the domain (or the named selector's) and the engine run against it. */
async function checkDomain(
  db: Db,
  params: {
    tenantId: string;
    domain: string;
    selector?: string;
    env: DomainCheckEnvironment;
    now: () => Date;
    onStep?: (step: StepReport) => Promise<void>;
  },
) {
  const { env } = params;
  const keys = await listDkimKeys(db, { tenantId: params.tenantId, domain: params.domain });
  // Without a selector, the newest key of the domain is the one to verify.
  const key = params.selector ? keys.find((k) => k.selector === params.selector) : keys[0];
  const selector = params.selector ?? key?.selector;
  const resolver = createResolver({ servers: env.dnsServers, timeoutMs: env.queryTimeoutMs, tries: 2 });
  const report = await runDomainCheck(params.domain, {
    resolver,
    profile: env.profile,
    ...(selector ? { dkimSelector: selector } : {}),
    ...(key ? { dkimPublicKey: key.publicKey } : {}),
    deadlineMs: env.deadlineMs,
    now: params.now,
    ...(params.onStep ? { onStep: params.onStep } : {}),
  });
  // The check saw our key published: it is verified (inside the caller's transaction).
  const verifyKey = async (tx: Db, at: Date) => {
    if (key && report.dkim?.keyMatches && !key.verifiedAt) await markDkimKeyVerified(tx, { tenantId: params.tenantId, id: key.id, now: at });
  };
  return { report, verifyKey };
}

async function runIntoRow(
  db: Db,
  params: { tenantId: string; id: string; domain: string; selector?: string; env: DomainCheckEnvironment; now: () => Date },
): Promise<void> {
  const { tenantId, id } = params;
  const steps: StepReport[] = [];
  const { report, verifyKey } = await checkDomain(db, {
    ...params,
    onStep: async (step) => {
      steps.push(step);
      await storeCheckSteps(db, { tenantId, id, steps });
    },
  });
  const finishedAt = params.now();
  await db.transaction(async (tx) => {
    await finishCheck(tx, { tenantId, id, verdict: report.verdict, steps: report.steps, raw: rawOf(report), now: finishedAt });
    await verifyKey(tx, finishedAt);
    // Green again: an open re-check alert of the sender's domain is over (the manual check audited itself).
    if (report.verdict === "green" && (await isSenderDomain(tx, { tenantId, domain: params.domain }))) {
      await resolveRecheckAlerts(tx, { kind: "domain", tenantId, now: finishedAt });
    }
  });
}

/** Whether the domain is the one the tenant sends from in customer_domain mode. */
async function isSenderDomain(db: Db, p: { tenantId: string; domain: string }): Promise<boolean> {
  const from = await customerDomainFromAddress(db, { tenantId: p.tenantId });
  return !!from && addressDomain(from) === p.domain.toLowerCase();
}

/**
 * The worker's scheduled re-check of a domain (lib/monitoring/rechecks.ts): runs the
 * same engine as a manual check (a "temporary" verdict — DNS trouble — is retried once
 * at once before it counts), then inserts the finished row in ONE insert at the end
 * (startedBy null): no "running" row ever exists, so sending is not stopped for the
 * duration of the check, only by a result that is not green. No tenant budget (the
 * worker decides how often). `onFinished` runs in the insert's transaction with the
 * newest finished check BEFORE this one (database work only: the re-check's alert).
 */
export async function runScheduledDomainCheck(
  db: Db,
  params: {
    tenantId: string;
    domain: string;
    env: DomainCheckEnvironment;
    now: Date;
    onFinished?: (tx: Db, p: { row: DomainCheckRow; previous: DomainCheckRow | undefined }) => Promise<void>;
  },
): Promise<DomainCheckRow> {
  const t0 = performance.now();
  // The clock runs on from `now` (a worker's --now), measured, not read from the wall.
  const clock = () => new Date(params.now.getTime() + Math.round(performance.now() - t0));
  let run = await checkDomain(db, { tenantId: params.tenantId, domain: params.domain, env: params.env, now: clock });
  if (run.report.verdict === "temporary") run = await checkDomain(db, { tenantId: params.tenantId, domain: params.domain, env: params.env, now: clock });
  const { report, verifyKey } = run;
  const finishedAt = clock();
  return db.transaction(async (tx) => {
    const [previous] = await doneChecks(tx, { tenantId: params.tenantId, domain: params.domain, limit: 1 });
    const row = await insertFinishedCheck(tx, {
      tenantId: params.tenantId,
      domain: params.domain,
      verdict: report.verdict,
      steps: report.steps,
      raw: rawOf(report),
      startedAt: params.now,
      finishedAt,
    });
    await verifyKey(tx, finishedAt);
    await params.onFinished?.(tx, { row, previous });
    return row;
  });
}

/** What is stored as `raw`: the records seen and the numbers behind the findings. */
function rawOf(report: DomainCheckReport): Record<string, unknown> {
  return {
    txt: report.txt,
    spf: report.spf,
    mx: report.mx,
    dmarc: report.dmarc,
    dkim: report.dkim,
    dnsQueries: report.dnsQueries,
    durationMs: report.durationMs,
  };
}

// ── What the browser sees ─────────────────────────────────────────────────────────

export interface StepView extends StepReport {
  /** false: not reached yet (running) or never reached (interrupted). */
  done: boolean;
}

export interface SuggestionView {
  kind: SpfSuggestion["kind"];
  record: string;
  replaces: string[];
  addedInclude: string | null;
  lookups: number;
  voidLookups: number;
  overLookupLimit: boolean;
  zoneFile: string;
}

export interface CheckView {
  id: string;
  domain: string;
  status: "running" | "done" | "failed";
  verdict: Verdict | null;
  startedAt: string;
  finishedAt: string | null;
  steps: StepView[];
  /** Error findings (for "Not ready: n problems"). */
  problems: number;
  suggestion: SuggestionView | null;
  /** Technical detail per step, from the stored raw records (done checks). */
  technical: Partial<Record<CheckStep, string[]>>;
}

interface StoredRaw {
  txt?: string[];
  spf?: DomainCheckReport["spf"];
  mx?: DomainCheckReport["mx"];
  dmarc?: DomainCheckReport["dmarc"];
  dkim?: DomainCheckReport["dkim"];
}

function treeLines(node: NonNullable<DomainCheckReport["spf"]["tree"]>, depth = 0): string[] {
  const label = depth === 0 ? node.domain : `${"  ".repeat(depth)}${node.term ?? node.via} → ${node.domain}${node.platform ? " [platform]" : ""}`;
  const state = node.outcome === "ok" ? `: ${node.record ?? ""}` : `: ${node.outcome}`;
  return [label + state, ...node.children.flatMap((c) => treeLines(c, depth + 1))];
}

function technicalOf(raw: StoredRaw | null): CheckView["technical"] {
  if (!raw) return {};
  const out: CheckView["technical"] = {};
  if (raw.txt) out.txt = raw.txt.length ? raw.txt : ["(no TXT records)"];
  if (raw.spf) {
    const spf = raw.spf;
    out["spf-records"] = [
      ...spf.records.map((r) => `SPF: ${r}`),
      ...(spf.lookups !== null ? [`DNS lookups: ${spf.lookups}/${SPF_LOOKUP_LIMIT}`] : []),
      ...(spf.voidLookups !== null ? [`Void lookups: ${spf.voidLookups}/${SPF_VOID_LOOKUP_LIMIT}`] : []),
      ...(spf.tree ? ["Include tree:", ...treeLines(spf.tree)] : []),
      ...(spf.suggestion
        ? [`Suggested: ${spf.suggestion.record}`, `DNS lookups after the change: ${spf.suggestion.lookups}/${SPF_LOOKUP_LIMIT}`]
        : []),
    ];
    out["spf-evaluation"] = spf.evaluations.map(
      (e) => `check_host(${e.ip}): ${e.result} — ${e.explanation} (${e.lookups} lookups, ${e.voidLookups} void)`,
    );
  }
  if (raw.mx !== undefined) {
    out.mx = raw.mx ? (raw.mx.records.length ? raw.mx.records.map((m) => `MX ${m.priority} ${m.exchange || "."}`) : ["(no MX records)"]) : [];
  }
  if (raw.dmarc !== undefined) {
    out.dmarc = raw.dmarc ? [`_dmarc.${raw.dmarc.domain}: ${raw.dmarc.record}`] : ["(no DMARC record)"];
  }
  if (raw.dkim) out.dkim = [`${raw.dkim.name}: ${raw.dkim.record ?? "(not published)"}`];
  return out;
}

function suggestionView(s: SpfSuggestion | null | undefined): SuggestionView | null {
  if (!s) return null;
  return {
    kind: s.kind,
    record: s.record,
    replaces: s.replaces,
    addedInclude: s.addedInclude,
    lookups: s.lookups,
    voidLookups: s.voidLookups,
    overLookupLimit: s.overLookupLimit,
    zoneFile: s.zoneFile,
  };
}

function isStale(row: Pick<DomainCheckRow, "status" | "startedAt">, now: Date): boolean {
  return row.status === "running" && now.getTime() - row.startedAt.getTime() > CHECK_STALE_AFTER_MS;
}

function effectiveStatus(row: Pick<DomainCheckRow, "status" | "startedAt">, now: Date): CheckView["status"] {
  return isStale(row, now) ? "failed" : row.status;
}

function stepsOf(row: DomainCheckRow): StepReport[] {
  return (row.findings as StepReport[] | null) ?? [];
}

export function checkView(row: DomainCheckRow, now: Date = new Date()): CheckView {
  const completed = stepsOf(row);
  const byStep = new Map(completed.map((s) => [s.step, s]));
  const steps: StepView[] = pendingSteps().map((p) => {
    const s = byStep.get(p.step);
    return s ? { ...s, done: true } : { ...p, done: false };
  });
  const raw = row.raw as StoredRaw | null;
  const findings = completed.flatMap((s) => s.findings);
  return {
    id: row.id,
    domain: row.domain,
    status: effectiveStatus(row, now),
    verdict: row.status === "done" ? row.verdict : null,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    steps,
    problems: findings.filter((f) => f.status === "error").length,
    suggestion: suggestionView(raw?.spf?.suggestion),
    technical: technicalOf(raw),
  };
}

/** Read past its deadline, a running row of a lost process is marked interrupted for good. */
async function settleStale(db: Db, row: DomainCheckRow | undefined, now: Date): Promise<CheckView | null> {
  if (!row) return null;
  if (isStale(row, now)) await markInterruptedChecks(db, { tenantId: row.tenantId, now });
  return checkView(row, now);
}

export async function loadCheckView(db: Db, params: { tenantId: string; id: string; now?: Date }): Promise<CheckView | null> {
  return settleStale(db, await getDomainCheck(db, params), params.now ?? new Date());
}

export async function latestCheckView(db: Db, params: { tenantId: string; domain: string; now?: Date }): Promise<CheckView | null> {
  return settleStale(db, await latestCheckOfDomain(db, params), params.now ?? new Date());
}

// ── What changed since the last check ─────────────────────────────────────────────

export interface FindingChange {
  key: string;
  code: string;
  step: CheckStep;
  title: Localized;
  from: FindingStatus | null;
  to: FindingStatus | null;
}

export interface RecordChange {
  what: "spf" | "txt" | "mx" | "dmarc" | "dkim";
  added: string[];
  removed: string[];
}

export interface CheckDiff {
  previous: { id: string; verdict: Verdict | null; finishedAt: string | null };
  current: { id: string; verdict: Verdict | null; finishedAt: string | null };
  verdictChanged: boolean;
  findings: FindingChange[];
  records: RecordChange[];
}

/** Findings keyed by code (numbered when a code repeats, e.g. one per gateway IP). */
function keyedFindings(row: DomainCheckRow): Map<string, Finding> {
  const out = new Map<string, Finding>();
  const seen = new Map<string, number>();
  for (const f of stepsOf(row).flatMap((s) => s.findings)) {
    const n = (seen.get(f.code) ?? 0) + 1;
    seen.set(f.code, n);
    out.set(n === 1 ? f.code : `${f.code}#${n}`, f);
  }
  return out;
}

function recordSets(raw: StoredRaw | null): Record<RecordChange["what"], string[]> {
  const spf = raw?.spf?.records ?? [];
  return {
    spf,
    txt: (raw?.txt ?? []).filter((t) => !spf.includes(t)),
    mx: (raw?.mx?.records ?? []).map((m) => `${m.priority} ${m.exchange || "."}`),
    dmarc: raw?.dmarc ? [raw.dmarc.record] : [],
    dkim: raw?.dkim?.record ? [raw.dkim.record] : [],
  };
}

/** Compares two finished checks of one domain: findings by code and status, and the raw records. */
export function diffChecks(previous: DomainCheckRow, current: DomainCheckRow): CheckDiff {
  const before = keyedFindings(previous);
  const after = keyedFindings(current);
  const findings: FindingChange[] = [];
  for (const [key, f] of after) {
    const old = before.get(key);
    if (!old || old.status !== f.status) findings.push({ key, code: f.code, step: f.step, title: f.title, from: old?.status ?? null, to: f.status });
  }
  for (const [key, f] of before) {
    if (!after.has(key)) findings.push({ key, code: f.code, step: f.step, title: f.title, from: f.status, to: null });
  }
  findings.sort((a, b) => CHECK_STEPS.indexOf(a.step) - CHECK_STEPS.indexOf(b.step));
  const a = recordSets(previous.raw as StoredRaw | null);
  const b = recordSets(current.raw as StoredRaw | null);
  const records: RecordChange[] = [];
  for (const what of ["spf", "txt", "mx", "dmarc", "dkim"] as const) {
    const added = b[what].filter((r) => !a[what].includes(r));
    const removed = a[what].filter((r) => !b[what].includes(r));
    if (added.length || removed.length) records.push({ what, added, removed });
  }
  const meta = (r: DomainCheckRow) => ({ id: r.id, verdict: r.verdict, finishedAt: r.finishedAt?.toISOString() ?? null });
  return { previous: meta(previous), current: meta(current), verdictChanged: previous.verdict !== current.verdict, findings, records };
}

/** "What changed": the last two finished checks of the domain, or null with fewer than two. */
export async function whatChanged(db: Db, params: { tenantId: string; domain: string }): Promise<CheckDiff | null> {
  const [current, previous] = await doneChecks(db, { ...params, limit: 2 });
  return current && previous ? diffChecks(previous, current) : null;
}

// ── DKIM keys ─────────────────────────────────────────────────────────────────────

export interface DkimKeyView {
  id: string;
  domain: string;
  selector: string;
  /** Where to publish (TXT). */
  name: string;
  /** The record's content. */
  value: string;
  zoneFile: string;
  createdAt: string;
  verifiedAt: string | null;
}

export async function listDkimKeyViews(db: Db, params: { tenantId: string; domain: string }): Promise<DkimKeyView[]> {
  const keys = await listDkimKeys(db, params);
  return keys.map((k) => {
    const record = dkimTxtRecord(k.publicKey, k.selector, k.domain);
    return {
      id: k.id,
      domain: k.domain,
      selector: k.selector,
      name: record.name,
      value: record.value,
      zoneFile: record.zoneFile,
      createdAt: k.createdAt.toISOString(),
      verifiedAt: k.verifiedAt?.toISOString() ?? null,
    };
  });
}

export type ServiceOutcome<T = undefined> =
  | { ok: true; message: Localized; data: T }
  | { ok: false; message: Localized; field?: string };

/**
 * A new RSA 2048 key pair for domain + selector. The private key is encrypted with
 * the tenant's associated data before it touches the database; it never leaves
 * this function in plain text (not returned, not logged, not audited).
 */
export async function createDkimKey(
  db: Db,
  params: { tenantId: string; actorUserId: string; domain: string; selector?: string; keys: EncryptionKeys; now: Date },
): Promise<ServiceOutcome<DkimKeyView>> {
  const existing = await listDkimKeys(db, { tenantId: params.tenantId, domain: params.domain });
  const taken = new Set(existing.map((k) => k.selector));
  let selector = params.selector;
  if (!selector) {
    let n = 1;
    while (taken.has(`pst${n}`)) n++;
    selector = `pst${n}`;
  } else if (taken.has(selector)) {
    // Replacing a published key would break signatures until the DNS change is live: a new selector rotates safely.
    return {
      ok: false,
      field: "selector",
      message: localized(
        "Für {selector} gibt es schon einen Schlüssel. Für einen neuen Schlüssel bitte einen anderen Selektor wählen (z. B. {next}).",
        "There already is a key for {selector}. For a new key, please choose another selector (e.g. {next}).",
        { selector, next: `${selector}-2` },
      ),
    };
  }
  const pair = await generateDkimKeyPair();
  const box = encryptWithKeys(pair.privateKeyPem, params.keys, secretAad(params.tenantId, "dkim_private_key"));
  const id = await db.transaction(async (tx) => {
    const created = await insertDkimKey(tx, {
      tenantId: params.tenantId,
      domain: params.domain,
      selector: selector,
      publicKey: pair.publicKeyBase64,
      privateKeyBox: box,
      now: params.now,
    });
    await writeAudit(
      tx,
      { tenantId: params.tenantId, actorUserId: params.actorUserId, action: "domain.dkim.generate", targetType: "domain", targetId: params.domain, details: { selector, keyId: created } },
      params.now,
    );
    return created;
  });
  const record = dkimTxtRecord(pair.publicKeyBase64, selector, params.domain);
  return {
    ok: true,
    message: localized(
      "Schlüssel erzeugt. Veröffentlichen Sie jetzt den TXT-Eintrag {name} und prüfen Sie danach erneut.",
      "Key generated. Now publish the TXT record {name}, then check again.",
      { name: record.name },
    ),
    data: {
      id,
      domain: params.domain,
      selector,
      name: record.name,
      value: record.value,
      zoneFile: record.zoneFile,
      createdAt: params.now.toISOString(),
      verifiedAt: null,
    },
  };
}

// ── Instructions for the DNS person ───────────────────────────────────────────────

export const INSTRUCTIONS_PER_HOUR = INSTRUCTIONS_BUDGET.limit;
export const INSTRUCTIONS_AUDIT_ACTION = "domain.instructions.send";


/** The plain-text mail with the records to publish and the steps, in one language. */
export function instructionsMail(params: {
  domain: string;
  suggestion: SuggestionView | null;
  dkim: DkimKeyView | null;
  requestedBy: string;
  locale: Locale;
}): { subject: string; text: string } {
  const { domain, suggestion, dkim, locale } = params;
  const de = locale === "de";
  const lines: string[] = [];
  lines.push(
    de
      ? `Hallo,\n\n${params.requestedBy} bittet Sie, für die Domain ${domain} einen DNS-Eintrag zu ändern, damit unsere Schulungsplattform E-Mails als @${domain} senden darf.`
      : `Hello,\n\n${params.requestedBy} asks you to change a DNS record of the domain ${domain} so that our training platform may send mail as @${domain}.`,
  );
  let step = 1;
  if (suggestion) {
    lines.push("", de ? "SPF-Eintrag (TXT)" : "SPF record (TXT)", "-----------------");
    if (suggestion.replaces.length > 0) {
      lines.push(
        de
          ? `${step++}. Öffnen Sie bei Ihrem DNS-Anbieter die Zone ${domain} und suchen Sie den TXT-Eintrag, der mit "v=spf1" beginnt:`
          : `${step++}. At your DNS provider, open the zone ${domain} and find the TXT record that starts with "v=spf1":`,
        ...suggestion.replaces.map((r) => `   ${r}`),
        suggestion.replaces.length > 1
          ? de
            ? `${step++}. Es gibt ${suggestion.replaces.length} solche Einträge; erlaubt ist nur einer. Löschen Sie alle bis auf einen.`
            : `${step++}. There are ${suggestion.replaces.length} such records; only one is allowed. Delete all but one.`
          : de
            ? `${step++}. Legen Sie KEINEN zweiten SPF-Eintrag an – zwei Einträge machen SPF für alle E-Mails der Domain unwirksam.`
            : `${step++}. Do NOT create a second SPF record – two records break SPF for all mail of the domain.`,
        de ? `${step++}. Ersetzen Sie den Inhalt des Eintrags durch genau diesen Wert:` : `${step++}. Replace the record's content with exactly this value:`,
      );
    } else {
      lines.push(
        de
          ? `${step++}. Legen Sie bei Ihrem DNS-Anbieter in der Zone ${domain} einen TXT-Eintrag für den Namen ${domain} (oft „@“) mit genau diesem Wert an:`
          : `${step++}. At your DNS provider, in the zone ${domain}, create a TXT record for the name ${domain} (often "@") with exactly this value:`,
      );
    }
    lines.push("", `   ${suggestion.record}`, "");
    lines.push(
      de
        ? `   (Der Eintrag braucht ${suggestion.lookups} von ${SPF_LOOKUP_LIMIT} erlaubten DNS-Abfragen.)`
        : `   (The record needs ${suggestion.lookups} of the ${SPF_LOOKUP_LIMIT} DNS lookups allowed.)`,
    );
  }
  if (dkim && !dkim.verifiedAt) {
    lines.push("", de ? "DKIM-Schlüssel (TXT)" : "DKIM key (TXT)", "--------------");
    lines.push(
      de ? `${step++}. Legen Sie einen TXT-Eintrag mit diesem Namen an:` : `${step++}. Create a TXT record with this name:`,
      "",
      `   ${dkim.name}`,
      "",
      de ? "   und diesem Wert:" : "   and this value:",
      "",
      `   ${dkim.value}`,
      "",
      de
        ? "   Lässt Ihr Anbieter nur 255 Zeichen pro Text zu, tragen Sie ihn in dieser Form ein:"
        : "   If your provider allows only 255 characters per string, enter it in this form:",
      `   ${dkim.zoneFile}`,
    );
  }
  lines.push(
    "",
    de
      ? `${step}. Geben Sie ${params.requestedBy} Bescheid, wenn die Änderung gespeichert ist. Bis sie überall sichtbar ist, kann es einige Minuten bis wenige Stunden dauern; danach wird die Domain auf der Plattform erneut geprüft.`
      : `${step}. Let ${params.requestedBy} know once the change is saved. It can take a few minutes to a few hours until it is visible everywhere; then the domain is checked again on the platform.`,
    "",
    de ? "Vielen Dank!" : "Thank you!",
  );
  return {
    subject: de ? `Bitte DNS-Eintrag für ${domain} ändern` : `Please change a DNS record for ${domain}`,
    text: `${lines.join("\n")}\n`,
  };
}

/**
 * Mails the records of a check to a colleague through the platform relay. At most
 * INSTRUCTIONS_PER_HOUR per tenant, counted atomically in the database (lib/limits, so the limit holds
 * across app instances); an attempt counts when it is made.
 */
export async function sendInstructions(
  db: Db,
  params: {
    tenant: { id: string; name: string };
    actor: { id: string; email: string; name: string };
    checkId: string;
    to: string;
    locale: Locale;
    env: Pick<DomainCheckEnvironment, "relayUrl" | "noreplyAddress">;
    now: Date;
    probe?: ProbeOptions;
  },
): Promise<ServiceOutcome> {
  const { tenant, now } = params;
  const row = await getDomainCheck(db, { tenantId: tenant.id, id: params.checkId });
  if (!row || row.status !== "done") {
    return { ok: false, message: localized("Diese Prüfung wurde nicht gefunden.", "This check was not found.") };
  }
  if (!params.env.relayUrl) {
    return {
      ok: false,
      message: localized(
        "Der Versand über die Plattform ist vom Betreiber noch nicht eingerichtet. Bitte kopieren Sie den Eintrag und schicken Sie ihn selbst weiter.",
        "The platform operator has not set up sending yet. Please copy the record and pass it on yourself.",
      ),
    };
  }
  const view = checkView(row, now);
  const [dkim] = await listDkimKeyViews(db, { tenantId: tenant.id, domain: row.domain });
  if (!view.suggestion && !(dkim && !dkim.verifiedAt)) {
    return {
      ok: false,
      message: localized(
        "Für {domain} ist laut dieser Prüfung nichts zu ändern.",
        "According to this check there is nothing to change for {domain}.",
        { domain: row.domain },
      ),
    };
  }
  // The slot is taken before sending, atomically: a burst cannot pass the budget.
  const slot = await takeSlot(db, INSTRUCTIONS_BUDGET, tenant.id, now);
  if (!slot.allowed) {
    return {
      ok: false,
      message: limitReachedMessage(
        { de: `Es wurden schon ${INSTRUCTIONS_PER_HOUR} Anleitungen in dieser Stunde verschickt`, en: `${INSTRUCTIONS_PER_HOUR} instructions were already sent this hour` },
        slot.retryAfterMs,
      ),
    };
  }
  const mail = instructionsMail({
    domain: row.domain,
    suggestion: view.suggestion,
    dkim: dkim ?? null,
    requestedBy: params.actor.name ? `${params.actor.name} (${params.actor.email})` : params.actor.email,
    locale: params.locale,
  });
  const sent = await sendThroughRelay(
    params.env.relayUrl,
    { address: params.env.noreplyAddress, name: tenant.name, replyTo: params.actor.email },
    { to: params.to, ...mail },
    params.probe,
  );
  await writeAudit(
    db,
    {
      tenantId: tenant.id,
      actorUserId: params.actor.id,
      action: INSTRUCTIONS_AUDIT_ACTION,
      targetType: "domain",
      targetId: row.domain,
      details: { to: params.to, checkId: row.id, ok: sent.ok },
    },
    now,
  );
  if (!sent.ok) {
    // Nothing went out: the slot is given back.
    await releaseSlot(db, INSTRUCTIONS_BUDGET, tenant.id, slot.windowStart);
    console.error("instructions mail not sent", { checkId: row.id, kind: sent.kind, detail: sent.detail });
    return {
      ok: false,
      message: localized(
        "Die E-Mail konnte nicht verschickt werden. Bitte später erneut versuchen oder den Eintrag kopieren und selbst weitergeben.",
        "The e-mail could not be sent. Please try again later, or copy the record and pass it on yourself.",
      ),
    };
  }
  return {
    ok: true,
    message: localized("Die Anleitung ist an {to} unterwegs.", "The instructions are on their way to {to}.", { to: params.to }),
    data: undefined,
  };
}
