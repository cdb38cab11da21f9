import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, postgresAvailable, type TestDb } from "../testing/databases";
import { seedDeliveryTenant, workerProcessEnv, type DeliveryTenant } from "../testing/delivery";
import { startMailSink, type MailSink } from "../testing/mail-sink";
import { spawnWorker } from "../testing/worker-process";

// Two worker processes on one Postgres queue: they share it (SKIP LOCKED) without sending
// anything twice, and the tenant's rate holds across both — counted at the sink per
// minute of the workers' clock (each step runs both workers at the next minute).

const T = new Date("2026-12-07T08:00:00Z");
const iso = (minutes: number, seconds = 0) => new Date(T.getTime() + minutes * 60_000 + seconds * 1000).toISOString();

describe.skipIf(!(await postgresAvailable()))("two workers on Postgres", () => {
  let handle: TestDb;
  let sink: MailSink;
  let dataDir: string;
  const env = () => workerProcessEnv({ databaseUrl: handle.url, relayPort: sink.port, dataDir });
  const mailsOf = (tenant: DeliveryTenant) => sink.mails.filter((m) => m.to[0]!.endsWith(`@${tenant.slug}.example`));

  beforeAll(async () => {
    [handle, sink] = await Promise.all([createTestDb("postgres"), startMailSink()]);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "postillion-multi-"));
  });
  afterAll(async () => {
    await Promise.all([handle?.dispose(), sink?.close()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function bothOnce(at: string, batch = "50"): Promise<{ sent: number }[]> {
    const workers = [0, 1].map((i) => spawnWorker(["--once", "--json", "--now", at, "--batch", batch, "--worker-id", `w${i}`], env()));
    const results = [];
    for (const w of workers) {
      const { code } = await w.exited;
      expect(code, w.output()).toBe(0);
      results.push(JSON.parse(w.stdout()) as { sent: number });
    }
    return results;
  }

  it("share one queue: 600 due mails, each sent exactly once", async () => {
    const tenant = await seedDeliveryTenant(handle.db, { slug: "share", relayPort: sink.port, dueAt: T, ratePerMinute: 1000, dailyQuota: 100_000 });
    await tenant.addLearners(600);
    const [a, b] = await bothOnce(iso(0, 30), "20");
    expect(a!.sent + b!.sent).toBe(600);
    console.log(`two workers shared 600 mails: ${a!.sent} + ${b!.sent}`);
    const mails = mailsOf(tenant);
    expect(mails).toHaveLength(600);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(600);
    const d = handle.db.t.deliveries;
    const rows = await handle.db.orm.select({ s: d.status, n: d.attempts }).from(d).where(eq(d.tenantId, tenant.tenantId));
    expect(rows.every((r) => r.s === "sent" && r.n === 1)).toBe(true);
  }, 120_000);

  it("the tenant's rate (10 a minute) holds across both: 35 due go 10, 10, 10, 5", async () => {
    const tenant = await seedDeliveryTenant(handle.db, { slug: "rate2", relayPort: sink.port, dueAt: T, ratePerMinute: 10 });
    await tenant.addLearners(35);
    const perMinute: number[] = [];
    const perWorker: number[][] = [];
    for (let minute = 1; minute <= 5; minute++) {
      const before = mailsOf(tenant).length;
      perWorker.push((await bothOnce(iso(minute, 1))).map((r) => r.sent));
      perMinute.push(mailsOf(tenant).length - before);
    }
    console.log(`rate 10/min across two workers, per minute at the sink: ${perMinute.join(", ")}; per worker: ${JSON.stringify(perWorker)}`);
    expect(perMinute).toEqual([10, 10, 10, 5, 0]);
    expect(Math.max(...perMinute)).toBeLessThanOrEqual(10);
    expect(new Set(mailsOf(tenant).map((m) => m.messageId)).size).toBe(35);
  }, 120_000);
});
