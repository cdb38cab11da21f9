import { describe, expect, it } from "vitest";
import { encodeLearnerCursor } from "./cursor";
import { isFiltered, listHref, listStateFromSearch } from "./list-params";

const cursor = encodeLearnerCursor({ lastName: "Berg", firstName: "Anna", id: "1" });

describe("learner list URL state", () => {
  it("reads search, filters and cursor from the URL and writes them back", () => {
    const state = listStateFromSearch({ q: "  Anna ", status: "overdue", training: "t-1", cursor, other: "x" }, 25);
    expect(state.query).toEqual({ q: "Anna", status: "overdue", training: "t-1", cursor, limit: 25 });
    expect(state.ignored).toBe(false);
    expect(listHref("/t/acme/learners", state.values, "next")).toBe("/t/acme/learners?q=Anna&training=t-1&status=overdue&cursor=next");
    expect(listHref("/t/acme/learners", state.values, null)).toBe("/t/acme/learners?q=Anna&training=t-1&status=overdue");
    expect(isFiltered(state.values)).toBe(true);
  });

  it("drops a parameter that is not valid (a hand-edited cursor too), keeps the rest and says so", () => {
    const state = listStateFromSearch({ q: ["first", "second"], status: "everything", cursor: "not-a-cursor" }, 25);
    expect(state.query).toEqual({ q: "first", limit: 25 });
    expect(state.values).toEqual({ q: "first" });
    expect(state.ignored).toBe(true);
  });

  it("an empty URL is the unfiltered first page", () => {
    const state = listStateFromSearch({}, 25);
    expect(state.query).toEqual({ limit: 25 });
    expect(isFiltered(state.values)).toBe(false);
    expect(listHref("/t/acme/learners", state.values, null)).toBe("/t/acme/learners");
  });
});
