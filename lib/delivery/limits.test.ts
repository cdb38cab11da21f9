import { describe, expect, it } from "vitest";
import { createTenant } from "../tenants/queries";
import { forEachDatabase } from "../testing/databases";
import { localDayStart, nextLocalMidnight, queueEta, releaseSendSlots, sentToday, takeSendSlots } from "./limits";

// The tenant's send limits, counted in the database: a parallel burst of workers asking
// for slots never gets more than the minute's rate or the day's quota together.

forEachDatabase("send slots", (db, dialect) => {
  const now = new Date("2026-12-07T10:15:20Z");
  let seq = 0;
  const tenant = async (timezone = "Europe/Berlin") =>
    (await createTenant(db(), { slug: `lim-${dialect}-${++seq}`, name: "L", timezone, locale: "de" })).id;

  it("a parallel burst of 20 workers wanting 3 each gets exactly the rate of 25 together", async () => {
    const tenantId = await tenant();
    const grants = await Promise.all(
      Array.from({ length: 20 }, () => takeSendSlots(db(), { tenantId, want: 3, ratePerMinute: 25, dailyQuota: 1000, timezone: "Europe/Berlin", now })),
    );
    expect(grants.reduce((n, g) => n + g.granted, 0)).toBe(25);
    const short = grants.filter((g) => g.granted < 3);
    expect(short.every((g) => g.blockedBy === "rate" && g.nextSlotAt?.toISOString() === "2026-12-07T10:16:00.000Z")).toBe(true);
    // The next minute has its own 25.
    const next = await takeSendSlots(db(), { tenantId, want: 30, ratePerMinute: 25, dailyQuota: 1000, timezone: "Europe/Berlin", now: new Date("2026-12-07T10:16:01Z") });
    expect([next.granted, next.blockedBy]).toEqual([25, "rate"]);
    expect(await sentToday(db(), { tenantId, timezone: "Europe/Berlin", now })).toBe(50);
  });

  it("the daily quota holds across minutes and workers, and frees at the local midnight", async () => {
    const tenantId = await tenant();
    const ask = (at: string, want: number) => takeSendSlots(db(), { tenantId, want, ratePerMinute: 100, dailyQuota: 120, timezone: "Europe/Berlin", now: new Date(at) });
    expect((await ask("2026-12-07T10:00:00Z", 100)).granted).toBe(100);
    const burst = await Promise.all([ask("2026-12-07T10:01:00Z", 15), ask("2026-12-07T10:01:00Z", 15)]);
    expect(burst.reduce((n, g) => n + g.granted, 0)).toBe(20);
    const over = await ask("2026-12-07T22:59:00Z", 5);
    expect([over.granted, over.blockedBy, over.nextSlotAt?.toISOString()]).toEqual([0, "quota", "2026-12-07T23:00:00.000Z"]);
    expect((await ask("2026-12-07T23:00:00Z", 5)).granted).toBe(5);
  });

  it("slots given back can be taken again, never below zero", async () => {
    const tenantId = await tenant("UTC");
    const g = await takeSendSlots(db(), { tenantId, want: 10, ratePerMinute: 10, dailyQuota: 100, timezone: "UTC", now });
    await releaseSendSlots(db(), { tenantId, count: 4, minuteStart: g.minuteStart, dayStart: g.dayStart });
    expect((await takeSendSlots(db(), { tenantId, want: 10, ratePerMinute: 10, dailyQuota: 100, timezone: "UTC", now })).granted).toBe(4);
    await releaseSendSlots(db(), { tenantId, count: 50, minuteStart: g.minuteStart, dayStart: g.dayStart });
    expect(await sentToday(db(), { tenantId, timezone: "UTC", now })).toBe(0);
  });
});

describe("queueEta", () => {
  const now = new Date("2026-12-07T10:00:00Z");
  const eta = (due: number, ratePerMinute: number, dailyQuota: number, usedToday = 0, timezone = "Europe/Berlin") =>
    queueEta({ due, ratePerMinute, dailyQuota, usedToday, timezone, now });

  it("nothing due: now; within today's quota: one minute per rate's worth", () => {
    expect(eta(0, 60, 1000)).toEqual({ finishAt: now, days: 0 });
    expect(eta(60, 60, 1000)).toEqual({ finishAt: now, days: 0 });
    expect(eta(1800, 60, 10_000)).toEqual({ finishAt: new Date("2026-12-07T10:29:00Z"), days: 0 });
  });

  it("over the quota the rest goes after each local midnight", () => {
    // 500 left today, then 1,000 a day: 2,200 = 500 today + 1,000 + 700 on the second day.
    const r = eta(2200, 100, 1000, 500);
    expect(r.days).toBe(2);
    // Berlin midnight of 9 December is 23:00 UTC on the 8th; 700 at 100/min take 7 minutes (the last at +6).
    expect(r.finishAt.toISOString()).toBe("2026-12-08T23:06:00.000Z");
  });

  it("the rest of today's minutes limit too, and a DST night has 23 hours", () => {
    expect(nextLocalMidnight(new Date("2026-03-28T12:00:00Z"), "Europe/Berlin").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(localDayStart(new Date("2026-03-29T12:00:00Z"), "Europe/Berlin").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(nextLocalMidnight(new Date("2026-03-29T12:00:00Z"), "Europe/Berlin").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    // 23:58 Berlin: two minutes left today at 1/min, the third mail goes at midnight.
    const late = queueEta({ due: 3, ratePerMinute: 1, dailyQuota: 100, usedToday: 0, timezone: "Europe/Berlin", now: new Date("2026-12-07T22:58:00Z") });
    expect(late).toEqual({ finishAt: new Date("2026-12-07T23:00:00Z"), days: 1 });
  });
});
