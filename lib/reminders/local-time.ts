import { DateTime, IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from "luxon";

/**
 * Calendar dates and wall-clock times for the schedule engine.
 *
 * Calendar arithmetic ("D0 + k·7 days", "next Monday") is done on plain day numbers
 * because it involves no time zone at all. Everything that involves a zone goes
 * through luxon: the offsets come from its IANAZone (the tz database behind Intl), and
 * wall clock → instant uses DateTime.fromObject / getPossibleOffsets, so the DST rules
 * (forward by the gap, earlier of a repeated hour) are luxon's, not ours.
 */

/** A calendar date without a zone: days since 1970-01-01 (proleptic Gregorian). */
export type DayNumber = number;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export function dayFromParts(year: number, month: number, day: number): DayNumber {
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  d.setUTCFullYear(year, month - 1, day);
  return Math.floor(d.getTime() / DAY_MS);
}

/** "2026-05-04" → day number. The string must already be a valid ISO date. */
export function dayFromIso(iso: string): DayNumber {
  const [y = NaN, m = NaN, d = NaN] = iso.split("-").map(Number);
  return dayFromParts(y, m, d);
}

export function isoFromDay(day: DayNumber): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function partsFromDay(day: DayNumber): { year: number; month: number; day: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: DayNumber): number {
  // Day 0 (1970-01-01) was a Thursday.
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** "08:30" → minutes after midnight. The string must already be a valid HH:MM. */
export function minutesFromTime(hhmm: string): number {
  const [h = NaN, m = NaN] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

export function timeFromMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

export function isValidTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/**
 * An IANA zone whose offset function is memoized per calendar year.
 *
 * Every IANAZone.offset() call costs a few microseconds (Intl.formatToParts), and
 * converting one wall-clock time needs about six of them; a daily plan over a year
 * would spend ~10 ms there. For each year asked about, this zone asks luxon's IANAZone
 * for the offset once a week and bisects each change to the minute, then answers from
 * that table; the tables are shared process-wide (the tz data does not change while
 * we run). The weekly sampling assumes no zone changes its offset twice within seven
 * days, which holds for every zone of the current tz database (the closest pair,
 * Morocco's Ramadan switch, is weeks apart); local-time.test.ts checks the tables
 * against plain IANAZone for several zones and years.
 */
export class MemoizedZone extends Zone {
  private static readonly shared = new Map<string, MemoizedZone>();

  /** The shared instance for a zone name; throws a RangeError for an unknown zone. */
  static for(name: string): MemoizedZone {
    let zone = MemoizedZone.shared.get(name);
    if (!zone) {
      zone = new MemoizedZone(name);
      MemoizedZone.shared.set(name, zone);
    }
    return zone;
  }

  private readonly iana: IANAZone;
  /** Per UTC year: offset valid from `at` (inclusive) until the next entry. */
  private readonly years = new Map<number, Array<{ at: number; offset: number }>>();

  constructor(name: string) {
    super();
    this.iana = IANAZone.create(name) as IANAZone;
    if (!this.iana.isValid) throw new RangeError(`Unknown time zone "${name}"`);
  }

  get type(): string {
    return "memoized-iana";
  }
  get name(): string {
    return this.iana.name;
  }
  get ianaName(): string {
    return this.iana.name;
  }
  get isUniversal(): boolean {
    return false;
  }
  get isValid(): true {
    return true;
  }
  offsetName(ts: number, options: ZoneOffsetOptions): string {
    return this.iana.offsetName(ts, options) ?? "";
  }
  formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.iana.formatOffset(ts, format);
  }
  equals(other: Zone): boolean {
    return other instanceof MemoizedZone && other.name === this.name;
  }

  private table(year: number): Array<{ at: number; offset: number }> {
    const cached = this.years.get(year);
    if (cached) return cached;
    const from = Date.UTC(year, 0, 1) - 2 * DAY_MS;
    const to = Date.UTC(year + 1, 0, 1) + 2 * DAY_MS;
    const step = 7 * DAY_MS;
    const table = [{ at: from, offset: this.iana.offset(from) }];
    let prevT = from;
    let prevO = table[0]!.offset;
    for (let t = from + step; ; t = Math.min(t + step, to)) {
      const o = this.iana.offset(t);
      if (o !== prevO) {
        // Bisect on whole minutes: offset changes happen on minute boundaries.
        let lo = Math.floor(prevT / MINUTE_MS);
        let hi = Math.ceil(t / MINUTE_MS);
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (this.iana.offset(mid * MINUTE_MS) === prevO) lo = mid;
          else hi = mid;
        }
        table.push({ at: hi * MINUTE_MS, offset: o });
      }
      prevT = t;
      prevO = o;
      if (t >= to) break;
    }
    this.years.set(year, table);
    return table;
  }

  private recent = { from: 0, to: -1, table: [] as Array<{ at: number; offset: number }> };

  offset(ts: number): number {
    let table = this.recent.table;
    if (ts < this.recent.from || ts >= this.recent.to) {
      const year = new Date(ts).getUTCFullYear();
      table = this.table(year);
      this.recent = { from: Date.UTC(year, 0, 1), to: Date.UTC(year + 1, 0, 1), table };
    }
    let offset = table[0]!.offset;
    for (let i = 1; i < table.length; i++) {
      const entry = table[i]!;
      if (entry.at > ts) break;
      offset = entry.offset;
    }
    return offset;
  }
}

/** How a wall-clock time became an instant. */
export type WallClockKind = "normal" | "gap" | "repeated";

export interface WallClockInstant {
  ms: number;
  kind: WallClockKind;
  /** The local time actually used (differs from the requested one only in a DST gap). */
  localMinutes: number;
}

/**
 * The instant at which the local clock in `zone` shows `minutes` on `day`.
 * A time inside a DST gap moves forward by the gap (luxon's rule: 02:30 → 03:30);
 * a time that occurs twice takes the earlier instant.
 */
export function wallClockToInstant(zone: Zone, day: DayNumber, minutes: number): WallClockInstant {
  const p = partsFromDay(day);
  const dt = DateTime.fromObject(
    { year: p.year, month: p.month, day: p.day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone },
  );
  if (!dt.isValid) throw new RangeError(`Cannot place ${timeFromMinutes(minutes)} on ${isoFromDay(day)}`);
  const shownMinutes = dt.hour * 60 + dt.minute;
  if (shownMinutes !== minutes || dt.day !== p.day) {
    return { ms: dt.toMillis(), kind: "gap", localMinutes: shownMinutes };
  }
  const candidates = dt.getPossibleOffsets();
  if (candidates.length > 1) {
    let ms = Infinity;
    for (const c of candidates) ms = Math.min(ms, c.toMillis());
    return { ms, kind: "repeated", localMinutes: minutes };
  }
  return { ms: dt.toMillis(), kind: "normal", localMinutes: minutes };
}

/** The local calendar date of an instant in `zone`. */
export function localDay(zone: Zone, ms: number): DayNumber {
  const dt = DateTime.fromMillis(ms, { zone });
  return dayFromParts(dt.year, dt.month, dt.day);
}

/** Local date, time and zone abbreviation of an instant, for tables ("Tue 2026-05-05 08:30 CEST"). */
export function describeLocal(ms: number, timezone: string, locale = "en-GB"): string {
  const dt = DateTime.fromMillis(ms, { zone: timezone }).setLocale(locale);
  return `${dt.toFormat("ccc yyyy-MM-dd HH:mm")} ${dt.offsetNameShort ?? dt.toFormat("ZZ")}`;
}
