import { describe, expect, it } from "vitest";
import { forEachDatabase } from "../testing/databases";
import { limitReachedMessage, minutesToWait, releaseSlot, takeSlot, windowStartOf, type LimitRule } from "./fixed-window";

const rule: LimitRule = { scope: "test.burst", limit: 20, windowMs: 60 * 60 * 1000 };
const t0 = new Date("2026-11-28T10:48:00Z");

forEachDatabase("fixed-window limiter", (getDb) => {
  it("lets exactly the limit through a parallel burst of 50", async () => {
    const db = getDb();
    const results = await Promise.all(Array.from({ length: 50 }, () => takeSlot(db, rule, "tenant-1", t0)));
    const allowed = results.filter((r) => r.allowed);
    expect(allowed).toHaveLength(20);
    expect(allowed.map((r) => (r.allowed ? r.count : 0)).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const refused = results.find((r) => !r.allowed);
    // Window 10:00–11:00, asked at 10:48: 12 minutes to wait.
    expect(refused).toMatchObject({ allowed: false, limit: 20, retryAfterMs: 12 * 60_000 });
    expect(minutesToWait(refused && !refused.allowed ? refused.retryAfterMs : 0)).toBe(12);
  });

  it("counts keys and scopes apart", async () => {
    const db = getDb();
    expect((await takeSlot(db, rule, "tenant-2", t0)).allowed).toBe(true);
    expect((await takeSlot(db, { ...rule, scope: "test.other" }, "tenant-1", t0)).allowed).toBe(true);
    expect((await takeSlot(db, rule, "tenant-1", t0)).allowed).toBe(false);
  });

  it("opens a new budget in the next window and forgets the old one", async () => {
    const db = getDb();
    const next = new Date(windowStartOf(rule, t0).getTime() + rule.windowMs + 1000);
    expect(await takeSlot(db, rule, "tenant-1", next)).toMatchObject({ allowed: true, count: 1 });
    const rows = await db.orm.select().from(db.t.rateLimits);
    expect(rows.filter((r) => r.scope === rule.scope && r.key === "tenant-1")).toHaveLength(1);
  });

  it("gives a released slot back to the same window only", async () => {
    const db = getDb();
    const small: LimitRule = { scope: "test.release", limit: 1, windowMs: 60_000 };
    const first = await takeSlot(db, small, "k", t0);
    expect(first.allowed).toBe(true);
    expect((await takeSlot(db, small, "k", t0)).allowed).toBe(false);
    await releaseSlot(db, small, "k", first.windowStart);
    expect((await takeSlot(db, small, "k", t0)).allowed).toBe(true);
    // Releasing twice never goes below zero.
    await releaseSlot(db, small, "k", first.windowStart);
    await releaseSlot(db, small, "k", first.windowStart);
    const parallel = await Promise.all(Array.from({ length: 5 }, () => takeSlot(db, small, "k", t0)));
    expect(parallel.filter((r) => r.allowed)).toHaveLength(1);
  });
});

describe("minutesToWait", () => {
  it("rounds up to whole minutes, at least one", () => {
    expect(minutesToWait(0)).toBe(1);
    expect(minutesToWait(61_000)).toBe(2);
  });
});

describe("limitReachedMessage", () => {
  it("says what and how long, in German and English", () => {
    const what = { de: "Zu viele Verbindungstests", en: "Too many connection tests" };
    expect(limitReachedMessage(what, 11.5 * 60_000)).toEqual({
      de: "Zu viele Verbindungstests: wieder möglich in 12 Minuten.",
      en: "Too many connection tests: possible again in 12 minutes.",
    });
    expect(limitReachedMessage(what, 5_000).de).toBe("Zu viele Verbindungstests: wieder möglich in 1 Minute.");
  });
});
