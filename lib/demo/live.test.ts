import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runWorkerOnce } from "../delivery/worker";
import { getTenantBySlug } from "../tenants/queries";
import { forEachDatabase } from "../testing/databases";
import { testDeliveryEnvironment } from "../testing/delivery";
import { startCatcher, type Catcher } from "./catcher";
import { DEMO_BOUNCE, liveSendInstant, refreshLiveDemo } from "./live";
import { readMailbox } from "./mailbox";
import { seedDemo } from "./seed";

let dir: string;
let catcher: Catcher;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "postillion-live-"));
  catcher = await startCatcher({ dir, bounce: Object.values(DEMO_BOUNCE).map((b) => b.email) });
});
afterAll(async () => {
  await catcher.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const MINUTE = 60_000;

forEachDatabase("the demo's live reminders", (db) => {
  it("fall due a minute or two after the start, arrive at the catcher, bounce once per tenant, skip the completions — and do it all again at the next start", async () => {
    const env = testDeliveryEnvironment(catcher.port, { profile: { noreplyAddresses: ["noreply@reflact.com"], allowedPorts: [catcher.port] } });
    const start = new Date("2026-11-30T09:30:20Z");
    await seedDemo(db(), new Date(start.getTime() - 86_400_000));
    const worker = (now: Date) => runWorkerOnce(db(), { env, clock: () => now, log: () => {}, random: () => 0.5 });
    // The catcher is shared by both databases' runs: look at what arrived since a mark.
    const mark = async () => (await readMailbox(dir)).length;
    const since = async (n: number) => {
      const all = await readMailbox(dir);
      return all.slice(0, all.length - n).filter((e) => /phishing/i.test(e.subject ?? ""));
    };
    const before = await mark();

    const live = await refreshLiveDemo(db(), { now: start, env });
    expect(live.firstDueAt).toEqual(new Date("2026-11-30T09:32:00Z"));
    expect(liveSendInstant(start)).toEqual(live.firstDueAt);
    expect(live.assigned).toBe(14); // 7 per tenant: six learners and the bouncing address

    // Nothing of the live part before its instant (the seed's own reminders may go meanwhile).
    await worker(new Date(start.getTime() + MINUTE));
    expect(await since(before)).toHaveLength(0);

    const counts = await worker(new Date(live.firstDueAt.getTime() + 5_000));
    const phishing = await since(before);
    expect(phishing).toHaveLength(12);
    expect(counts.failed).toBeGreaterThanOrEqual(2);
    expect(phishing.map((e) => e.to[0]).sort()).not.toContain(DEMO_BOUNCE.acme.email);

    const acme = (await getTenantBySlug(db(), "acme"))!;
    const sup = await db().orm.select().from(db().t.suppressions).where(and(eq(db().t.suppressions.tenantId, acme.id), eq(db().t.suppressions.address, DEMO_BOUNCE.acme.email)));
    expect(sup).toHaveLength(1);

    // The next start, an hour later: the same again (the bounce's suppression is lifted).
    const again = await refreshLiveDemo(db(), { now: new Date(start.getTime() + 3_600_000), env });
    const seen = await mark();
    await worker(new Date(again.firstDueAt.getTime() + 5_000));
    expect(await since(seen)).toHaveLength(12);
  }, 120_000); // seeds the whole demo (two tenants, 72 learners) on a shared machine
});
