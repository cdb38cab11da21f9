import { dayFromParts, MemoizedZone, partsFromDay, wallClockToInstant } from "../../reminders/local-time";

/**
 * Dates as German Excel writes them into a CSV — `31.05.2026`, `31.05.26`, `31.5.2026`,
 * `2026-05-31`, each with an optional time `14:30` or `14:30:00` — read as wall-clock
 * time in the tenant's zone. An ISO instant with a zone (`2026-05-31T12:00:00Z`) is
 * taken as it is. Without a time, an assignment date is the start of that day and a due
 * date its end (23:59:59): "fällig am 31.05." is still in time on the 31st.
 */
export type DateRole = "start" | "end";

const GERMAN = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const ISO_LOCAL = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Excel's two-digit years: 00–29 are 2000–2029, 30–99 are 1930–1999. */
function fullYear(text: string): number {
  const y = Number(text);
  if (text.length === 4) return y;
  return y < 30 ? 2000 + y : 1900 + y;
}

/** The instant, or null for text that is no date (or no day of the calendar: 31.02.). */
export function parseSheetDate(value: string, timezone: string, role: DateRole): Date | null {
  const text = value.trim();
  if (ISO_INSTANT.test(text)) {
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  let y: number, m: number, d: number, hh: string | undefined, mm: string | undefined, ss: string | undefined;
  let match = GERMAN.exec(text);
  if (match) {
    [d, m, y] = [Number(match[1]), Number(match[2]), fullYear(match[3]!)];
    [hh, mm, ss] = [match[4], match[5], match[6]];
  } else if ((match = ISO_LOCAL.exec(text))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    [hh, mm, ss] = [match[4], match[5], match[6]];
  } else return null;
  const day = dayFromParts(y, m, d);
  const back = partsFromDay(day);
  if (back.year !== y || back.month !== m || back.day !== d) return null;
  let minutes: number;
  let seconds = 0;
  if (hh !== undefined) {
    const h = Number(hh);
    const min = Number(mm);
    seconds = ss === undefined ? 0 : Number(ss);
    if (h > 23 || min > 59 || seconds > 59) return null;
    minutes = h * 60 + min;
  } else if (role === "end") {
    minutes = 23 * 60 + 59;
    seconds = 59;
  } else minutes = 0;
  return new Date(wallClockToInstant(MemoizedZone.for(timezone), day, minutes).ms + seconds * 1000);
}
