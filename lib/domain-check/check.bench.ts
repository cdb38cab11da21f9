/**
 * Benchmark: a full domain check against the loopback DNS server, with a
 * baseline measured in the same run — one TXT look-up through the same kind
 * of resolver — so the ratio says how many "DNS round trips" a check costs.
 *
 *   npx tsx lib/domain-check/check.bench.ts [iterations]
 *
 * DESIGN.md's target: a check against a loopback server "in well under a second".
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadZoneFile, startDnsServer } from "../testing/dns-server";
import { runDomainCheck } from "./check";
import { createResolver } from "./resolver";

const iterations = Number(process.argv[2] ?? 50);
const here = path.dirname(fileURLToPath(import.meta.url));
const profile = { spfIncludes: ["secure-mailgate.com", "reflact-train.com", "ilearn24.net"], gatewayIps: ["192.0.2.10"] };

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await fn(); // warm-up (JIT, module init, sockets)
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}

const server = await startDnsServer(await loadZoneFile(path.join(here, "fixtures/check-zone.json")));
try {
  // A fresh resolver per run, as the app and the CLI create one per check.
  const fresh = () => createResolver({ servers: [server.address] });

  const baseline = stats(await time(() => fresh().resolve("good.example", "TXT")));
  let queries = 0;
  const green = stats(
    await time(async () => {
      const r = await runDomainCheck("good.example", { resolver: fresh(), profile });
      if (r.verdict !== "green") throw new Error(`expected green, got ${r.verdict}`);
      queries = r.dnsQueries;
    }),
  );
  let mergeQueries = 0;
  const merge = stats(
    await time(async () => {
      const r = await runDomainCheck("noinclude.example", { resolver: fresh(), profile });
      if (!r.spf.suggestion) throw new Error("expected a suggestion");
      mergeQueries = r.dnsQueries;
    }),
  );

  console.log(`domain check benchmark, ${iterations} iterations each, DNS server ${server.address} (loopback, dns2)`);
  console.log(`baseline  one TXT look-up                 median ${ms(baseline.median)}  p95 ${ms(baseline.p95)}`);
  console.log(`check     good.example (green)            median ${ms(green.median)}  p95 ${ms(green.p95)}  max ${ms(green.max)}  (${queries} DNS queries)`);
  console.log(`check     noinclude.example (suggestion)  median ${ms(merge.median)}  p95 ${ms(merge.p95)}  max ${ms(merge.max)}  (${mergeQueries} DNS queries)`);
  console.log(`ratio     full check / one look-up: ${(green.median / baseline.median).toFixed(1)}× (green), ${(merge.median / baseline.median).toFixed(1)}× (with suggestion)`);
  if (green.p95 >= 1000 || merge.p95 >= 1000) {
    console.error("a full check took a second or more (p95): the target is well under a second");
    process.exitCode = 1;
  }
} finally {
  await server.close();
}
