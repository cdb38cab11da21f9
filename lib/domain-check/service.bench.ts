/**
 * Benchmark: a full domain check through the page's service — insert the running
 * row, every step written as it completes, the final row — against the loopback
 * DNS server and a fresh SQLite database.
 *
 *   npx tsx lib/domain-check/service.bench.ts [iterations]
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { createTestDb } from "../testing/databases";
import { loadZoneFile, startDnsServer } from "../testing/dns-server";
import { createTenant } from "../tenants/queries";
import { getDomainCheck } from "./queries";
import { startDomainCheck, type DomainCheckEnvironment } from "./service";

const iterations = Number(process.argv[2] ?? 20);
const here = path.dirname(fileURLToPath(import.meta.url));
const server = await startDnsServer(await loadZoneFile(path.join(here, "fixtures/check-zone.json")));
const handle = await createTestDb("sqlite");
try {
  const db = handle.db;
  const tenant = await createTenant(db, { slug: "bench", name: "Bench", timezone: "UTC", locale: "en" });
  const env: DomainCheckEnvironment = {
    dnsServers: [server.address],
    profile: { spfIncludes: ["secure-mailgate.com", "reflact-train.com", "ilearn24.net"], gatewayIps: ["192.0.2.10"] },
    queryTimeoutMs: 2_000,
    deadlineMs: 20_000,
    relayUrl: undefined,
    noreplyAddress: "noreply@example.com",
  };
  for (const domain of ["good.example", "noinclude.example"]) {
    const samples: number[] = [];
    for (let i = 0; i < iterations + 3; i++) {
      const t0 = performance.now();
      // The per-tenant budget (30 an hour) is not what is measured here.
      await db.orm.delete(db.t.rateLimits).where(eq(db.t.rateLimits.key, tenant.id));
      const started = await startDomainCheck(db, { tenantId: tenant.id, actorUserId: null, domain, env });
      if (!started.ok) throw new Error(started.message.en);
      await started.done;
      const ms = performance.now() - t0;
      const row = await getDomainCheck(db, { tenantId: tenant.id, id: started.id });
      if (row?.status !== "done") throw new Error(`check did not finish: ${row?.status}`);
      if (i >= 3) samples.push(ms); // the first runs warm up JIT, sockets and SQLite
    }
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)]!;
    console.log(`${domain.padEnd(20)} median ${median.toFixed(1)} ms  min ${samples[0]!.toFixed(1)} ms  max ${samples[samples.length - 1]!.toFixed(1)} ms  (${iterations} runs, SQLite)`);
  }
} finally {
  await handle.dispose();
  await server.close();
}
