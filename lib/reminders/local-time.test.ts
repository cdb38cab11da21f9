import { describe, expect, it } from "vitest";
import { IANAZone } from "luxon";
import {
  dayFromIso,
  isoFromDay,
  isoWeekday,
  MemoizedZone,
  minutesFromTime,
  timeFromMinutes,
  wallClockToInstant,
} from "./local-time";

const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Lord_Howe", // 30-minute DST shift
  "America/Santiago", // changes at midnight
  "Africa/Casablanca", // Ramadan switch: two changes a few weeks apart
  "Pacific/Chatham",
  "UTC",
];

describe("calendar days", () => {
  it("round-trips ISO dates and knows the weekday", () => {
    expect(isoFromDay(dayFromIso("2026-03-29"))).toBe("2026-03-29");
    expect(dayFromIso("1970-01-01")).toBe(0);
    expect(isoWeekday(dayFromIso("2026-03-29"))).toBe(7); // a Sunday
    expect(isoWeekday(dayFromIso("2026-05-04"))).toBe(1); // a Monday
    expect(isoWeekday(dayFromIso("1969-12-31"))).toBe(3);
    expect(isoFromDay(dayFromIso("2028-02-28") + 1)).toBe("2028-02-29");
    expect(minutesFromTime("08:30")).toBe(510);
    expect(timeFromMinutes(510)).toBe("08:30");
  });
});

describe("MemoizedZone", () => {
  it.each(ZONES)("answers exactly like luxon's IANAZone in %s (2025–2028)", (name) => {
    const memo = new MemoizedZone(name);
    const iana = IANAZone.create(name);
    const from = Date.UTC(2025, 0, 1);
    const to = Date.UTC(2028, 11, 31);
    for (let ts = from; ts <= to; ts += 3 * 3_600_000 + 17 * 60_000) {
      if (memo.offset(ts) !== iana.offset(ts)) {
        throw new Error(`${name} at ${new Date(ts).toISOString()}: ${memo.offset(ts)} vs ${iana.offset(ts)}`);
      }
    }
  });

  it.each(ZONES)("places every wall-clock time of 2026 like plain luxon does in %s", (name) => {
    const memo = new MemoizedZone(name);
    const iana = IANAZone.create(name);
    const first = dayFromIso("2026-01-01");
    for (let day = first; day < first + 366; day++) {
      for (const minutes of [0, 30, 150, 540, 1439]) {
        expect(wallClockToInstant(memo, day, minutes)).toEqual(wallClockToInstant(iana, day, minutes));
      }
    }
  });

  it("answers around year boundaries and shares one instance per zone", () => {
    const memo = MemoizedZone.for("Europe/Berlin");
    expect(MemoizedZone.for("Europe/Berlin")).toBe(memo);
    expect(memo.offset(Date.UTC(2026, 6, 1))).toBe(120);
    expect(memo.offset(Date.UTC(2020, 0, 1))).toBe(60);
    expect(memo.offset(Date.UTC(2026, 11, 31, 23, 59))).toBe(60);
    const auckland = MemoizedZone.for("Pacific/Auckland"); // summer time across New Year
    expect(auckland.offset(Date.UTC(2026, 11, 31, 23, 59))).toBe(780);
    expect(auckland.offset(Date.UTC(2027, 0, 1, 0, 1))).toBe(780);
  });

  it("refuses an unknown zone", () => {
    expect(() => new MemoizedZone("Mars/Olympus_Mons")).toThrow(RangeError);
  });
});
