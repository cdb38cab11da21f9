import crypto from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { writeAudit } from "../audit/log";
import type { Db } from "../db";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { reviewStates } from "./reviews";

async function insertReview(db: Db, tenantId: string, reviewerId: string | null, at: Date, note: string | null = null) {
  await db.orm.insert(db.t.tenantReviews).values({ id: crypto.randomUUID(), tenantId, reviewerId, note, reviewedAt: at });
}

forEachDatabase("review states", (getDb) => {
  let ids: TwoTenants;
  const t0 = new Date("2026-11-02T09:00:00Z");
  const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

  beforeAll(async () => {
    ids = await seedTwoTenants(getDb(), { prefix: "rstates", consultantName: "Clara Consultant" });
  });

  it("counts only review-relevant changes after the newest review, for all tenants at once", async () => {
    const db = getDb();
    expect(await reviewStates(db, { tenantIds: [ids.a, ids.b] })).toEqual(
      new Map([[ids.a, { status: "not_reviewed" }], [ids.b, { status: "not_reviewed" }]]),
    );
    await writeAudit(db, { tenantId: ids.a, actorUserId: ids.adminA, action: "sender.save", details: {} }, later(0));
    await insertReview(db, ids.a, ids.consultant, later(1), "old");
    await insertReview(db, ids.a, ids.consultant, later(2), "looks fine");
    await writeAudit(db, { tenantId: ids.a, actorUserId: ids.adminA, action: "domain.check", details: {} }, later(3));
    await writeAudit(db, { tenantId: ids.a, actorUserId: ids.adminA, action: "sender.proof.verify", details: { result: "wrong" } }, later(3));
    await writeAudit(db, { tenantId: ids.b, actorUserId: ids.adminB, action: "sender.save", details: {} }, later(3));
    const states = await reviewStates(db);
    expect(states.get(ids.a)).toEqual({ status: "reviewed", reviewedAt: later(2), reviewerName: "Clara Consultant", note: "looks fine", changesSince: 0 });
    expect(states.has(ids.b)).toBe(false);

    await writeAudit(db, { tenantId: ids.a, actorUserId: ids.adminA, action: "sender.save", details: {} }, later(4));
    await writeAudit(db, { tenantId: ids.a, actorUserId: ids.adminA, action: "sender.proof.verify", details: { result: "ok" } }, later(5));
    expect((await reviewStates(db, { tenantIds: [ids.a] })).get(ids.a)).toMatchObject({ status: "changed", changesSince: 2, note: "looks fine" });
  });
});
