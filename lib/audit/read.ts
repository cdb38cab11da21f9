import { DateTime } from "luxon";
import { and, desc, eq, gte, isNotNull, isNull, like, lt, not, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db";
import { localDayStartOf } from "../i18n/local-day";
import { redact } from "./log";

/**
 * The tenant's audit trail as people read it: newest first, paged by keyset, filtered
 * by area (from the action's prefix), by kind of actor and by the tenant's local days.
 */
export const AUDIT_AREAS = ["sender", "domain", "reminders", "learners", "imports", "deliveries", "users", "apikeys", "tenant", "review", "other"] as const;
export type AuditArea = (typeof AUDIT_AREAS)[number];
export const AUDIT_ACTORS = ["user", "cli", "api", "system", "learner"] as const;
export type AuditActorKind = (typeof AUDIT_ACTORS)[number];

/** Action prefixes per area ("imports": learner.import and its steps learner.import.upload / .check). */
const AREA_PREFIXES: Record<Exclude<AuditArea, "other">, string[]> = {
  sender: ["sender."],
  domain: ["domain."],
  reminders: ["reminderPlan."],
  learners: ["learner.", "assignment.", "training."],
  imports: [],
  deliveries: ["delivery.", "suppression."],
  users: ["user.", "auth."],
  apikeys: ["apikey."],
  tenant: ["tenant."],
  review: ["review."],
};
const IMPORT_ACTION = "learner.import";

export function areaOf(action: string): AuditArea {
  if (action === IMPORT_ACTION || action.startsWith(`${IMPORT_ACTION}.`)) return "imports";
  for (const [area, prefixes] of Object.entries(AREA_PREFIXES)) {
    if (prefixes.some((p) => action.startsWith(p))) return area as AuditArea;
  }
  return "other";
}

/**
 * Who acted: the CLI, API keys and the worker (its scheduled re-checks) say so in the
 * details; a user has an id; else the learner (e.g. unsubscribe).
 */
export function actorKindOf(row: { actorUserId: string | null; details: Record<string, unknown> | null }): AuditActorKind {
  const via = row.details?.via;
  if (via === "cli") return "cli";
  if (via === "api") return "api";
  if (via === "worker") return "system";
  return row.actorUserId ? "user" : "learner";
}

/** A PEM private key or a whole API key, whatever field it sits in. */
const SECRET_VALUE = /-----BEGIN [A-Z ]*PRIVATE KEY-----|pst_[A-Za-z0-9_-]{43}/;
const HASH_KEY = /hash|privateKey|^box$|Box$/i;

/** Details as they may be shown or exported: redact() again (older rows), hashes and PEM keys too. */
export function displayDetails(details: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!details) return null;
  const walk = (value: unknown, key: string): unknown => {
    if (HASH_KEY.test(key)) return "[redacted]";
    if (typeof value === "string") return SECRET_VALUE.test(value) ? "[redacted]" : value;
    if (Array.isArray(value)) return value.map((v) => walk(v, ""));
    if (value && typeof value === "object" && !(value instanceof Date)) {
      return Object.fromEntries(Object.entries(redact(value as Record<string, unknown>)).map(([k, v]) => [k, walk(v, k)]));
    }
    return value;
  };
  return walk(details, "") as Record<string, unknown>;
}

export interface AuditFilter {
  area?: AuditArea;
  actor?: AuditActorKind;
  /** Instants: from inclusive, to exclusive. */
  from?: Date;
  to?: Date;
}

export interface AuditRow {
  id: string;
  at: Date;
  action: string;
  area: AuditArea;
  actorKind: AuditActorKind;
  actorName: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
}

function areaCondition(db: Db, area: AuditArea): SQL | undefined {
  const t = db.t.auditLog;
  const isImport = or(eq(t.action, IMPORT_ACTION), like(t.action, `${IMPORT_ACTION}.%`));
  if (area === "imports") return isImport;
  if (area === "other") {
    const all = Object.values(AREA_PREFIXES).flat().map((p) => like(t.action, `${p}%`));
    return sql`not (${or(...all)})`;
  }
  const matches = or(...AREA_PREFIXES[area].map((p) => like(t.action, `${p}%`)));
  return area === "learners" ? and(matches, not(isImport!)) : matches;
}

function actorCondition(db: Db, actor: AuditActorKind): SQL | undefined {
  const t = db.t.auditLog;
  const VIA = sql`(${t.details} ->> 'via')`;
  const notVia = sql`coalesce(${VIA}, '') not in ('cli', 'api', 'worker')`;
  if (actor === "cli") return sql`${VIA} = 'cli'`;
  if (actor === "api") return sql`${VIA} = 'api'`;
  if (actor === "system") return sql`${VIA} = 'worker'`;
  if (actor === "user") return and(isNotNull(t.actorUserId), notVia);
  return and(isNull(t.actorUserId), notVia);
}

export function encodeAuditCursor(row: { at: Date; id: string }): string {
  return Buffer.from(`${row.at.getTime()}.${row.id}`).toString("base64url");
}

export function decodeAuditCursor(text: string): { at: Date; id: string } | null {
  const match = /^(\d{1,15})\.([0-9a-f-]{36})$/.exec(Buffer.from(text, "base64url").toString());
  return match ? { at: new Date(Number(match[1])), id: match[2]! } : null;
}

/** One page of the trail (newest first) and the cursor of the next page, if any. */
export async function listAuditPage(
  db: Db,
  params: { tenantId: string; filter?: AuditFilter; cursor?: string | null; limit?: number },
): Promise<{ rows: AuditRow[]; next: string | null }> {
  const t = db.t.auditLog;
  const u = db.t.users;
  const f = params.filter ?? {};
  const limit = params.limit ?? 50;
  const after = params.cursor ? decodeAuditCursor(params.cursor) : null;
  const found = await db.orm
    .select({
      id: t.id,
      at: t.createdAt,
      action: t.action,
      actorUserId: t.actorUserId,
      actorName: u.name,
      targetType: t.targetType,
      targetId: t.targetId,
      details: t.details,
    })
    .from(t)
    .leftJoin(u, eq(u.id, t.actorUserId))
    .where(
      and(
        eq(t.tenantId, params.tenantId),
        f.area ? areaCondition(db, f.area) : undefined,
        f.actor ? actorCondition(db, f.actor) : undefined,
        f.from ? gte(t.createdAt, f.from) : undefined,
        f.to ? lt(t.createdAt, f.to) : undefined,
        after ? or(lt(t.createdAt, after.at), and(eq(t.createdAt, after.at), lt(t.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(limit + 1);
  const rows = found.slice(0, limit).map((r) => ({
    id: r.id,
    at: r.at,
    action: r.action,
    area: areaOf(r.action),
    actorKind: actorKindOf(r),
    actorName: r.actorName ?? null,
    targetType: r.targetType,
    targetId: r.targetId,
    details: displayDetails(r.details),
  }));
  return { rows, next: found.length > limit ? encodeAuditCursor(rows[rows.length - 1]!) : null };
}

/** Every row of the filtered trail, page by page (for the CSV export). */
export async function* allAuditRows(db: Db, params: { tenantId: string; filter?: AuditFilter }): AsyncGenerator<AuditRow> {
  let cursor: string | null = null;
  do {
    const page: { rows: AuditRow[]; next: string | null } = await listAuditPage(db, { ...params, cursor, limit: 500 });
    yield* page.rows;
    cursor = page.next;
  } while (cursor);
}

/** The page's URL parameters. */
export const AUDIT_PARAMS = ["area", "actor", "from", "to", "cursor"] as const;
type Param = (typeof AUDIT_PARAMS)[number];


/** Filters from the URL; dates are the tenant's local days ("to" inclusive). Bad values are dropped. */
export function auditListState(search: Record<string, string | string[] | undefined>, timezone: string) {
  const values: Partial<Record<Param, string>> = {};
  const filter: AuditFilter = {};
  let cursor: string | null = null;
  let ignored = false;
  for (const key of AUDIT_PARAMS) {
    const raw = search[key];
    const text = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!text) continue;
    let ok = false;
    if (key === "area" && (AUDIT_AREAS as readonly string[]).includes(text)) ok = !!(filter.area = text as AuditArea);
    else if (key === "actor" && (AUDIT_ACTORS as readonly string[]).includes(text)) ok = !!(filter.actor = text as AuditActorKind);
    else if (key === "from") ok = !!(filter.from = localDayStartOf(text, timezone) ?? undefined);
    else if (key === "to") {
      const at = localDayStartOf(text, timezone);
      ok = !!at && !!(filter.to = DateTime.fromJSDate(at, { zone: timezone }).plus({ days: 1 }).toJSDate());
    } else if (key === "cursor") ok = decodeAuditCursor(text) !== null && !!(cursor = text);
    if (ok) values[key] = text;
    else ignored = true;
  }
  return { filter, cursor, values, ignored };
}

export function auditListHref(base: string, values: Partial<Record<Param, string>>, cursor: string | null): string {
  const params = new URLSearchParams();
  for (const key of AUDIT_PARAMS) {
    const value = key === "cursor" ? cursor : values[key];
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `${base}?${text}` : base;
}

/**
 * CSV for German Excel: UTF-8 with a byte-order mark (else umlauts break), ";" between
 * fields (Excel with German settings splits on ";", not ","), CRLF line ends, every
 * field quoted. A field starting with = + - @ gets a leading ' so Excel does not run it.
 */
export const CSV_BOM = "\uFEFF";
export function csvLine(fields: (string | null | undefined)[]): string {
  return (
    fields
      .map((f) => {
        let text = f ?? "";
        if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
        return `"${text.replace(/"/g, '""')}"`;
      })
      .join(";") + "\r\n"
  );
}

export interface AuditCsvText {
  header: string[];
  actor: (row: AuditRow) => string;
  area: (area: AuditArea) => string;
  what: (action: string) => string;
}

/** The filtered trail as a CSV stream (BOM first), rows fetched page by page. */
export function auditCsvStream(db: Db, params: { tenantId: string; timezone: string; filter?: AuditFilter; text: AuditCsvText }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rows = allAuditRows(db, params);
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM + csvLine(params.text.header)));
      }
      const next = await rows.next();
      if (next.done) return controller.close();
      const r = next.value;
      const at = DateTime.fromJSDate(r.at, { zone: params.timezone }).toFormat("yyyy-MM-dd HH:mm:ss");
      const target = r.targetType ? `${r.targetType}${r.targetId ? ` ${r.targetId}` : ""}` : "";
      controller.enqueue(
        encoder.encode(
          csvLine([at, params.text.actor(r), params.text.area(r.area), params.text.what(r.action), r.action, target, r.details ? JSON.stringify(r.details) : ""]),
        ),
      );
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}
