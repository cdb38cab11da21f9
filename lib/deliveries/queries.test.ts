import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { listDeliveries } from "./queries";
import { decodeDeliveryCursor, deliveryListQuerySchema } from "./schema";

const query = (raw: Record<string, string>) => deliveryListQuerySchema.parse(raw);

forEachDatabase("listDeliveries", (db, dialect) => {
  let ids: TwoTenants;
  const rowIds: string[] = [];

  beforeAll(async () => {
    ids = await seedTwoTenants(db(), { prefix: "deliv" });
    const base = new Date("2026-11-01T08:00:00Z");
    for (let i = 0; i < 7; i++) {
      const id = crypto.randomUUID();
      rowIds.push(id);
      await db().orm.insert(db().t.deliveries).values({
        id,
        tenantId: ids.a,
        kind: "digest",
        digestKey: `k${i}`,
        recipient: `r${i}@example.com`,
        dueAt: base,
        status: i < 4 ? "planned" : "sent",
        attempts: 0,
        updatedAt: base,
      });
    }
    await db().orm.insert(db().t.deliveries).values({ id: crypto.randomUUID(), tenantId: ids.b, kind: "digest", digestKey: "b", recipient: "b@example.com", dueAt: base, status: "planned", attempts: 0, updatedAt: base });
    if (dialect === "postgres") {
      // What a write with the database's clock leaves: microseconds within one millisecond.
      for (const [i, id] of rowIds.entries()) {
        await db().orm.execute(sql`update deliveries set updated_at = timestamptz '2026-11-01 08:00:00.000100+00' + ${`${i * 100} microseconds`}::interval where id = ${id}`);
      }
    }
  });

  it("pages every row of the tenant exactly once, also when rows share a millisecond", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof listDeliveries>> = await listDeliveries(db(), { tenantId: ids.a, query: query({ limit: "2", ...(cursor ? { cursor } : {}) }) });
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 20);
    expect(seen.sort()).toEqual([...rowIds].sort());
    expect(pages).toBe(4);
  });

  it("filters by status and since, and never shows another tenant's rows", async () => {
    expect((await listDeliveries(db(), { tenantId: ids.a, query: query({ status: "sent" }) })).items).toHaveLength(3);
    expect((await listDeliveries(db(), { tenantId: ids.a, query: query({ since: "2026-11-01T08:00:01Z" }) })).items).toHaveLength(0);
    expect((await listDeliveries(db(), { tenantId: ids.a, query: query({ since: "2026-11-01T09:00:00+01:00" }) })).items).toHaveLength(7);
    const b = await listDeliveries(db(), { tenantId: ids.b, query: query({}) });
    expect(b.items.map((d) => d.recipient)).toEqual(["b@example.com"]);
  });

  it("refuses a cursor it did not make", () => {
    expect(decodeDeliveryCursor("not-a-cursor")).toBeNull();
    expect(deliveryListQuerySchema.safeParse({ cursor: Buffer.from('["x","y"]').toString("base64url") }).success).toBe(false);
  });
});
