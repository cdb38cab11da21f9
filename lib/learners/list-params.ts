import { learnerListQuerySchema, type LearnerListQuery } from "./schema";

/** The list page's URL parameters: search, filters and the keyset cursor. */
export const LIST_PARAMS = ["q", "training", "status", "cursor"] as const;
type ListParam = (typeof LIST_PARAMS)[number];

export type SearchParams = Record<string, string | string[] | undefined>;

export interface ListState {
  query: LearnerListQuery;
  /** The parameters that were used, as text (for the form's values and the links). */
  values: Partial<Record<ListParam, string>>;
  /** Some parameter was not valid (a hand-edited URL) and was left out. */
  ignored: boolean;
}

/**
 * Reads the learner list's state from the URL with the shared list-query schema. A bad
 * parameter is dropped (and said so) instead of failing the page: the URL is the
 * state, and people edit and bookmark URLs.
 */
export function listStateFromSearch(search: SearchParams, limit: number): ListState {
  const values: Partial<Record<ListParam, string>> = {};
  for (const key of LIST_PARAMS) {
    const value = search[key];
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text === "string" && text.trim() !== "") values[key] = text.trim();
  }
  let parsed = learnerListQuerySchema.safeParse({ ...values, limit });
  let ignored = false;
  if (!parsed.success) {
    ignored = true;
    for (const issue of parsed.error.issues) delete values[issue.path[0] as ListParam];
    parsed = learnerListQuerySchema.safeParse({ ...values, limit });
  }
  const query = parsed.success ? parsed.data : learnerListQuerySchema.parse({ limit });
  return { query, values: parsed.success ? values : {}, ignored };
}

/** The list's address for these values, with another cursor (null: the first page). */
export function listHref(base: string, values: ListState["values"], cursor: string | null): string {
  const params = new URLSearchParams();
  for (const key of LIST_PARAMS) {
    const value = key === "cursor" ? cursor : values[key];
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `${base}?${text}` : base;
}

/** Whether the list is narrowed by a search or a filter (the cursor does not count). */
export function isFiltered(values: ListState["values"]): boolean {
  return Boolean(values.q || values.training || values.status);
}
