import { z } from "zod";
import type { BoardRow } from "./board";

/**
 * The review board's search parameters — a filter per column, the sort key and
 * direction, the page — as ONE schema (the page's GET form and its links write them,
 * the page parses them), and `applyBoard`, which turns the loaded rows into the page
 * shown. A value that is not one of the options (a hand-edited URL) is ignored.
 */

export const BOARD_PAGE_SIZE = 50;

export const BOARD_FILTERS = {
  /** "not_ready" is every tenant that cannot send, the not configured ones included. */
  ready: ["ready", "not_ready", "not_configured"],
  mode: ["platform", "customer_domain", "custom_smtp", "none"],
  domain: ["green", "not_green", "unchecked", "not_applicable"],
  smtp: ["ok", "failed", "untested", "not_applicable"],
  risk: ["high", "medium", "low", "none"],
  mail: ["failures", "bounces", "none"],
  paused: ["yes", "no"],
  alerts: ["yes", "no"],
  review: ["not_reviewed", "reviewed", "changed"],
  health: ["good", "watch", "act"],
} as const;
export type BoardFilterKey = keyof typeof BOARD_FILTERS;
export const BOARD_FILTER_KEYS = Object.keys(BOARD_FILTERS) as BoardFilterKey[];

export const BOARD_SORTS = ["name", "health", "sending", "domain", "smtp", "limits", "plans", "sent", "failed", "bounced", "paused", "alerts", "review"] as const;
export type BoardSort = (typeof BOARD_SORTS)[number];
export type SortDir = "asc" | "desc";

/** The direction a column sorts in first: where the problems show on top. */
export const FIRST_DIR: Record<BoardSort, SortDir> = {
  name: "asc",
  health: "asc",
  sending: "asc",
  domain: "asc",
  smtp: "asc",
  limits: "desc",
  plans: "desc",
  sent: "desc",
  failed: "desc",
  bounced: "desc",
  paused: "desc",
  alerts: "desc",
  review: "asc",
};

/** The first value of a repeated parameter. */
const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const option = <T extends readonly [string, ...string[]]>(values: T) => z.preprocess(first, z.enum(values).optional()).catch(undefined);

export const boardParamsSchema = z.object({
  q: z.preprocess(first, z.string().trim().max(100).optional()).catch(undefined).transform((v) => v || undefined),
  ready: option(BOARD_FILTERS.ready),
  mode: option(BOARD_FILTERS.mode),
  domain: option(BOARD_FILTERS.domain),
  smtp: option(BOARD_FILTERS.smtp),
  risk: option(BOARD_FILTERS.risk),
  mail: option(BOARD_FILTERS.mail),
  paused: option(BOARD_FILTERS.paused),
  alerts: option(BOARD_FILTERS.alerts),
  review: option(BOARD_FILTERS.review),
  health: option(BOARD_FILTERS.health),
  sort: z.preprocess(first, z.enum(BOARD_SORTS)).catch("health"),
  dir: z.preprocess(first, z.enum(["asc", "desc"]).optional()).catch(undefined),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(100_000)).catch(1),
});
export type BoardParams = z.output<typeof boardParamsSchema>;

/** The sort direction in effect (the column's first direction unless the URL says). */
export function sortDir(params: BoardParams): SortDir {
  return params.dir ?? FIRST_DIR[params.sort];
}

function matches(row: BoardRow, key: BoardFilterKey, value: string): boolean {
  switch (key) {
    case "ready":
      return value === "ready" ? row.sender.status === "ready" : value === "not_ready" ? row.sender.status !== "ready" : row.sender.status === "not_configured";
    case "mode":
      return (row.sender.mode ?? "none") === value;
    case "domain":
      if (value === "not_applicable") return row.domain === null;
      if (!row.domain) return false;
      if (value === "unchecked") return row.domain.verdict === null;
      return value === "green" ? row.domain.verdict === "green" : row.domain.verdict !== null && row.domain.verdict !== "green";
    case "smtp":
      return row.smtp.state === value;
    case "risk":
      return (row.plans.highestRisk ?? "none") === value;
    case "mail":
      return value === "failures" ? row.mail7d.failed > 0 : value === "bounces" ? row.mail7d.bounced > 0 : row.mail7d.sent + row.mail7d.failed === 0;
    case "paused":
      return row.paused === (value === "yes");
    case "alerts":
      return row.openAlerts > 0 === (value === "yes");
    case "review":
      return row.review.status === value;
    case "health":
      return row.health.band === value;
  }
}

const SENDING_RANK = { not_configured: 0, not_ready: 1, ready: 2 } as const;
const SMTP_RANK = { failed: 0, untested: 1, ok: 2, not_applicable: 3 } as const;
const RISK_RANK = { high: 3, medium: 2, low: 1 } as const;
const REVIEW_RANK = { changed: 0, not_reviewed: 1, reviewed: 2 } as const;

function domainRank(row: BoardRow): number {
  if (!row.domain) return 4;
  if (row.domain.verdict === null) return 0;
  return row.domain.verdict === "not_ready" ? 1 : row.domain.verdict === "temporary" ? 2 : 3;
}

/** A number per row and column to sort by (the name breaks ties). */
const SORT_VALUE: Record<Exclude<BoardSort, "name">, (r: BoardRow) => number> = {
  health: (r) => r.health.score,
  sending: (r) => SENDING_RANK[r.sender.status],
  domain: domainRank,
  smtp: (r) => SMTP_RANK[r.smtp.state],
  limits: (r) => r.limits?.ratePerMinute ?? -1,
  plans: (r) => (r.plans.highestRisk ? RISK_RANK[r.plans.highestRisk] : 0) * 1_000_000 + r.plans.active,
  sent: (r) => r.mail7d.sent,
  failed: (r) => r.mail7d.failed,
  bounced: (r) => r.mail7d.bounced,
  paused: (r) => (r.paused ? 1 : 0),
  alerts: (r) => r.openAlerts,
  review: (r) => REVIEW_RANK[r.review.status],
};

const byName = (a: BoardRow, b: BoardRow) => a.tenant.name.localeCompare(b.tenant.name) || a.tenant.slug.localeCompare(b.tenant.slug);

export function applyBoard(
  rows: BoardRow[],
  params: BoardParams,
): { rows: BoardRow[]; total: number; filteredTotal: number; page: number; pages: number } {
  const q = params.q?.toLowerCase();
  const filtered = rows.filter(
    (row) =>
      (!q || row.tenant.name.toLowerCase().includes(q) || row.tenant.slug.includes(q)) &&
      BOARD_FILTER_KEYS.every((key) => {
        const value = params[key];
        return value === undefined || matches(row, key, value);
      }),
  );
  const sign = sortDir(params) === "asc" ? 1 : -1;
  const value = params.sort === "name" ? null : SORT_VALUE[params.sort];
  filtered.sort((a, b) => (value ? sign * (value(a) - value(b)) || byName(a, b) : sign * byName(a, b)));
  const pages = Math.max(1, Math.ceil(filtered.length / BOARD_PAGE_SIZE));
  const page = Math.min(params.page, pages);
  return {
    rows: filtered.slice((page - 1) * BOARD_PAGE_SIZE, page * BOARD_PAGE_SIZE),
    total: rows.length,
    filteredTotal: filtered.length,
    page,
    pages,
  };
}

/** The board's URL for these parameters (defaults left out), e.g. for sort and page links. */
export function boardHref(params: BoardParams, change: Partial<BoardParams> = {}): string {
  const next = { ...params, ...change };
  const search = new URLSearchParams();
  if (next.q) search.set("q", next.q);
  for (const key of BOARD_FILTER_KEYS) {
    const v = next[key];
    if (v) search.set(key, v);
  }
  if (next.sort !== "health") search.set("sort", next.sort);
  if (next.dir && next.dir !== FIRST_DIR[next.sort]) search.set("dir", next.dir);
  if (next.page > 1) search.set("page", String(next.page));
  const s = search.toString();
  return s ? `/review?${s}` : "/review";
}

/** The link of a column header: sorts by it, or flips the direction when it already does. */
export function sortHref(params: BoardParams, key: BoardSort): string {
  const dir: SortDir = params.sort === key ? (sortDir(params) === "asc" ? "desc" : "asc") : FIRST_DIR[key];
  return boardHref(params, { sort: key, dir, page: 1 });
}
