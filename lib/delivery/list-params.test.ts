import { describe, expect, it } from "vitest";
import { deliveryListHref, deliveryListState } from "./list-params";
import { encodeRowCursor } from "./queries";

const PLAN = "0b6f3b0e-4a55-4c61-9d2a-2f1f6f1f0a01";

describe("deliveries page URL", () => {
  it("reads filters; dates are the tenant's local days, 'until' inclusive", () => {
    const cursor = encodeRowCursor({ dueAt: new Date("2026-12-01T08:00:00Z"), id: "x" });
    const s = deliveryListState({ status: "failed", failure: "recipient", plan: PLAN, q: " anna ", from: "2026-03-29", to: "2026-03-29", cursor }, "Europe/Berlin");
    expect(s.ignored).toBe(false);
    // 29 March 2026 is the spring-forward day in Berlin: 23 hours long.
    expect(s.filter).toEqual({ status: "failed", failureClass: "recipient", planId: PLAN, q: "anna", from: new Date("2026-03-28T23:00:00Z"), to: new Date("2026-03-29T22:00:00Z") });
    expect(s.cursor).toBe(cursor);
    expect(deliveryListHref("/t/a/deliveries", s.values, null)).toBe(`/t/a/deliveries?status=failed&failure=recipient&plan=${PLAN}&q=anna&from=2026-03-29&to=2026-03-29`);
  });

  it("drops what is not valid and says so", () => {
    const s = deliveryListState({ status: "lost", failure: "bounced", plan: "1; drop", learner: ["x"], from: "2026-02-30", to: "tomorrow", cursor: "!!", q: "ok" }, "UTC");
    expect(s.ignored).toBe(true);
    expect(s.filter).toEqual({ q: "ok" });
    expect(s.cursor).toBeNull();
    expect(deliveryListHref("/t/a/deliveries", s.values, null)).toBe("/t/a/deliveries?q=ok");
    expect(deliveryListState({}, "UTC")).toEqual({ filter: {}, cursor: null, values: {}, ignored: false });
  });
});
