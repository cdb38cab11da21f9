import { describe, expect, it } from "vitest";
import { deliveryKey, digestKey, isoWeekOf, messageIdFor, parseDigestKey, reminderKey } from "./keys";

describe("delivery keys", () => {
  it("derives the same Message-ID from the same key and domain, a different one otherwise", () => {
    const key = reminderKey("plan1", "asg1", 3);
    expect(messageIdFor(key, "noreply@Reflact.com")).toBe(messageIdFor(key, "other@reflact.com"));
    expect(messageIdFor(key, "noreply@reflact.com")).toMatch(/^<[0-9a-f]{32}@reflact\.com>$/);
    expect(messageIdFor(reminderKey("plan1", "asg1", 4), "noreply@reflact.com")).not.toBe(messageIdFor(key, "noreply@reflact.com"));
  });

  it("names the ISO week in the tenant's zone (a Sunday night in Berlin is Monday's week in Tokyo)", () => {
    const at = new Date("2026-11-29T22:30:00Z");
    expect(isoWeekOf(at, "Europe/Berlin")).toBe("2026-W48");
    expect(isoWeekOf(at, "Asia/Tokyo")).toBe("2026-W49");
    expect(isoWeekOf(new Date("2027-01-01T12:00:00Z"), "Europe/Berlin")).toBe("2026-W53");
  });

  it("round-trips a digest key and tells the kinds apart", () => {
    const k = digestKey(" Chef@Acme.Example ", "2026-W48");
    expect(k).toBe("chef@acme.example|2026-W48");
    expect(parseDigestKey(k)).toEqual({ responsibleEmail: "chef@acme.example", isoWeek: "2026-W48" });
    expect(parseDigestKey("nobody")).toBeNull();
    const base = { tenantId: "t1", planId: null, assignmentId: null, occurrence: null };
    expect(deliveryKey({ ...base, kind: "digest", digestKey: k })).toBe(`digest:t1:${k}`);
    expect(deliveryKey({ ...base, kind: "reminder", planId: "p", assignmentId: "a", occurrence: 2, digestKey: null })).toBe("reminder:p:a:2");
  });
});
