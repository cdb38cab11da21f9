import { DateTime } from "luxon";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A `YYYY-MM-DD` day of the tenant's calendar as the instant it starts in that zone
 * (null: not a real date). The list filters' "from" and "until" (until + 1 day) use it.
 */
export function localDayStartOf(text: string, timezone: string): Date | null {
  if (!DATE.test(text)) return null;
  const day = DateTime.fromISO(text, { zone: timezone });
  return day.isValid ? day.startOf("day").toJSDate() : null;
}
