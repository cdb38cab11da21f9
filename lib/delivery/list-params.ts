import { DateTime } from "luxon";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../deliveries/schema";
import { localDayStartOf } from "../i18n/local-day";
import { decodeRowCursor, type DeliveryFilter } from "./queries";
import { FAILURE_CLASSES, type FailureClass } from "./types";

/** The deliveries page's URL parameters: filters and the keyset cursor. */
export const DELIVERY_PARAMS = ["status", "failure", "plan", "learner", "q", "from", "to", "cursor"] as const;
type Param = (typeof DELIVERY_PARAMS)[number];

export type SearchParams = Record<string, string | string[] | undefined>;

export interface DeliveryListState {
  filter: DeliveryFilter;
  cursor: string | null;
  /** The parameters that were used, as text (the form's values and the links). */
  values: Partial<Record<Param, string>>;
  /** Some parameter was not valid (a hand-edited URL) and was left out. */
  ignored: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;


/**
 * Reads the list's filters from the URL. Dates are the tenant's local days ("until" is
 * inclusive: up to the start of the next day). A bad parameter is dropped (and said
 * so) instead of failing the page: people edit and bookmark URLs.
 */
export function deliveryListState(search: SearchParams, timezone: string): DeliveryListState {
  const values: Partial<Record<Param, string>> = {};
  let ignored = false;
  const filter: DeliveryFilter = {};
  let cursor: string | null = null;
  for (const key of DELIVERY_PARAMS) {
    const raw = search[key];
    const text = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!text) continue;
    let ok = true;
    if (key === "status") ok = (DELIVERY_STATUSES as readonly string[]).includes(text) && !!(filter.status = text as DeliveryStatus);
    else if (key === "failure") ok = (FAILURE_CLASSES as readonly string[]).includes(text) && !!(filter.failureClass = text as FailureClass);
    else if (key === "plan") ok = UUID.test(text) && !!(filter.planId = text);
    else if (key === "learner") ok = UUID.test(text) && !!(filter.learnerId = text);
    else if (key === "q") ok = text.length <= 200 && !!(filter.q = text);
    else if (key === "from") {
      const at = localDayStartOf(text, timezone);
      ok = !!at && !!(filter.from = at);
    } else if (key === "to") {
      const at = localDayStartOf(text, timezone);
      ok = !!at && !!(filter.to = DateTime.fromJSDate(at, { zone: timezone }).plus({ days: 1 }).toJSDate());
    } else if (key === "cursor") ok = decodeRowCursor(text) !== null && !!(cursor = text);
    if (ok) values[key] = text;
    else ignored = true;
  }
  return { filter, cursor, values, ignored };
}

/** The list's address for these values, with another cursor (null: the first page). */
export function deliveryListHref(base: string, values: DeliveryListState["values"], cursor: string | null): string {
  const params = new URLSearchParams();
  for (const key of DELIVERY_PARAMS) {
    const value = key === "cursor" ? cursor : values[key];
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `${base}?${text}` : base;
}
