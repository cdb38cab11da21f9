import { beforeAll, expect, it } from "vitest";
import { setProcessDb } from "@/lib/db";
import { reviewStates } from "@/lib/review/reviews";
import { forEachDatabase } from "@/lib/testing/databases";
import { seedTwoTenants, type TwoTenants } from "@/lib/testing/tenants";
import { runWithTestSession } from "@/app/_server/request-context";
import { markReviewedAction } from "./actions";

// "Mark reviewed" called as the page calls it, on both databases: the guard's checks,
// the field message in the user's language, and the review it records.

forEachDatabase("mark reviewed action", (getDb, dialect) => {
  let ids: TwoTenants;
  const slug = `revact-${dialect}-a`;

  beforeAll(async () => {
    setProcessDb(getDb());
    ids = await seedTwoTenants(getDb(), { prefix: `revact-${dialect}`, consultantName: "Clara Consultant" });
  });

  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [k, v] of Object.entries(fields)) data.set(k, v);
    return data;
  };

  it("refuses the tenant's admin and leaves the tenant not reviewed", async () => {
    const result = await runWithTestSession({ userId: ids.adminA, locale: "en" }, () => markReviewedAction(null, form({ tenantSlug: slug, note: "fine" })));
    expect(result).toEqual({ ok: false, error: "You do not have permission to do this." });
    expect((await reviewStates(getDb(), { tenantIds: [ids.a] })).get(ids.a)).toEqual({ status: "not_reviewed" });
  });

  it("names the note when it is too long (German), keeps what was typed, records nothing", async () => {
    const note = "x".repeat(2001);
    const result = await runWithTestSession({ userId: ids.consultant, locale: "de" }, () => markReviewedAction(null, form({ tenantSlug: slug, note })));
    expect(result).toMatchObject({ ok: false, fieldErrors: { note: "Die Notiz darf höchstens 2000 Zeichen lang sein." }, values: { note } });
    expect((await reviewStates(getDb(), { tenantIds: [ids.a] })).get(ids.a)).toEqual({ status: "not_reviewed" });
  });

  it("records a consultant's review with the note", async () => {
    const result = await runWithTestSession({ userId: ids.consultant, locale: "en" }, () => markReviewedAction(null, form({ tenantSlug: slug, note: " All good. " })));
    expect(result).toMatchObject({ ok: true, message: "Marked reviewed." });
    expect((await reviewStates(getDb(), { tenantIds: [ids.a] })).get(ids.a)).toMatchObject({ status: "reviewed", reviewerName: "Clara Consultant", note: "All good." });
  });
});
