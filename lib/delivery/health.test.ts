import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { setProcessDb } from "../db";
import { createTenant } from "../tenants/queries";
import { forEachDatabase } from "../testing/databases";
import { GET } from "../../app/api/health/route";
import { deliveryHealth, WORKER_STALE_MS } from "./health";

// Real time: the route reads the clock itself.
const NOW = new Date();

forEachDatabase("GET /api/health", (db) => {
  it("says whether the database answers, what is due, how old the last worker heartbeat is and how many tenants are paused; 503 when due mail has no worker", async () => {
    expect(await deliveryHealth(db(), { now: NOW })).toMatchObject({ ok: true, database: "ok", due: 0, workerHeartbeatAgeSeconds: null, workersAlive: 0, pausedTenants: 0, problems: [] });

    const tenant = await createTenant(db(), { slug: `h-${randomUUID().slice(0, 6)}`, name: "H", timezone: "UTC", locale: "en" });
    const row = (status: "planned" | "retrying" | "sent", nextAttemptAt: Date) => ({
      id: randomUUID(),
      tenantId: tenant.id,
      kind: "reminder" as const,
      recipient: "secret.learner@example.com",
      dueAt: nextAttemptAt,
      nextAttemptAt,
      status,
      attempts: 0,
      lastReply: "535 5.7.8 password=hunter2",
    });
    await db().orm.insert(db().t.deliveries).values([
      row("planned", new Date(NOW.getTime() - 90_000)),
      row("retrying", new Date(NOW.getTime() - 1_000)),
      row("planned", new Date(NOW.getTime() + 60_000)),
      row("sent", new Date(NOW.getTime() - 5_000)),
    ]);
    expect(await deliveryHealth(db(), { now: NOW })).toMatchObject({ ok: false, due: 2, oldestDueSeconds: 90, problems: ["no_worker"] });

    const beat = (id: string, seenAt: Date, stoppedAt: Date | null = null) => ({ id, host: "h", pid: 1, startedAt: seenAt, seenAt, stoppedAt });
    await db().orm.insert(db().t.workerHeartbeats).values([
      beat("stale", new Date(NOW.getTime() - WORKER_STALE_MS - 1_000)),
      beat("stopped", new Date(NOW.getTime() - 5_000), new Date(NOW.getTime() - 5_000)),
    ]);
    expect(await deliveryHealth(db(), { now: NOW })).toMatchObject({ ok: false, workersAlive: 0, workerHeartbeatAgeSeconds: 5, problems: ["no_worker"] });
    await db().orm.insert(db().t.workerHeartbeats).values(beat("alive", new Date(NOW.getTime() - 20_000)));
    await db().orm.insert(db().t.sendingPauses).values({ id: randomUUID(), tenantId: tenant.id, errorKind: "auth_failed", reply: "535", pausedAt: NOW });
    expect(await deliveryHealth(db(), { now: NOW })).toMatchObject({ ok: true, due: 2, workersAlive: 1, workerHeartbeatAgeSeconds: 5, pausedTenants: 1, problems: [] });

    // The route: the same facts, no addresses, replies or settings.
    setProcessDb(db());
    const response = await GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: "ok", database: "ok", due: 2, pausedTenants: 1 });
    expect(text).not.toMatch(/secret\.learner|hunter2|535/);

    await db().orm.delete(db().t.workerHeartbeats).where(sql`true`);
    const down = await GET();
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: "unavailable", problems: ["no_worker"] });
  });

  it("answers 503 database_unreachable when the database does not answer", async () => {
    const broken = { ...db(), orm: new Proxy(db().orm, { get: () => () => { throw new Error("connection refused"); } }) };
    expect(await deliveryHealth(broken, { now: NOW })).toMatchObject({ ok: false, database: "unreachable", due: null, problems: ["database_unreachable"] });
  });
});
