/**
 * Lighthouse (performance and accessibility) on the pages DESIGN.md names: sign-in,
 * sender, domain and reminders, signed in as a demo admin, against a running app
 * (`npm run demo`), in Debian's Chromium. In the same run it builds and serves a bare
 * Next 16 app with a two-field client form (lib/bench/bare-next/, not part of the
 * product) and measures it as the baseline: the machine's load and Lighthouse's
 * simulated throttling then affect both alike.
 *
 *   npx tsx lib/bench/lighthouse.ts [--base http://localhost:3000] [--tenant acme]
 *       [--runs 3] [--pages /login,/t/acme/sender] [--bare-port 3399] [--skip-bare-build] [--json]
 *
 * Each page is measured --runs times (round-robin over the pages, so a busy moment
 * hits all of them); the medians count. Targets: LCP within 1.2× of the bare page,
 * performance at most 3 points below it, accessibility 100. Exits non-zero when a
 * page misses one. For each page it also prints the LCP element and its phases
 * (time to first byte, load delay, load time, render delay), to see where time goes.
 *
 * Lighthouse runs through `npx lighthouse@12.8.2` rather than as a dependency: its
 * trace engine depends on another package's "latest" tag, which would make the lock
 * file drift and `npm ci` fail.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchFlags, sessionCookie } from "./session";

const LIGHTHOUSE = "lighthouse@12.8.2";
const LCP_RATIO_MAX = 1.2;
const PERFORMANCE_POINTS_MAX = 3;

const args = process.argv.slice(2);
const { flag, base, tenant, email, password } = benchFlags(args);
const runs = Number(flag("runs", "3"));
const barePort = Number(flag("bare-port", "3399"));
const bareDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "bare-next");
const bareBase = `http://localhost:${barePort}`;

const chromeFlags = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
].join(" ");

interface Run {
  performance: number;
  accessibility: number;
  lcpMs: number;
  tbtMs: number;
  lcpElement: string;
  phases: string;
}

interface Lhr {
  categories: Record<string, { score: number | null } | undefined>;
  audits: Record<string, { numericValue?: number; details?: { items?: { items?: Record<string, unknown>[] }[] } } | undefined>;
}

function lighthouse(url: string, headersFile: string | null, out: string): Run {
  execFileSync(
    "npx",
    [
      "--yes",
      LIGHTHOUSE,
      url,
      "--quiet",
      "--output=json",
      `--output-path=${out}`,
      "--only-categories=performance,accessibility",
      `--chrome-flags=${chromeFlags}`,
      ...(headersFile ? [`--extra-headers=${headersFile}`] : []),
    ],
    { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" } },
  );
  const lhr = JSON.parse(fs.readFileSync(out, "utf8")) as Lhr;
  // "largest-contentful-paint-element": a table of the element, then one of its phases.
  const tables = lhr.audits["largest-contentful-paint-element"]?.details?.items ?? [];
  const node = tables[0]?.items?.[0]?.node as { snippet?: string; nodeLabel?: string } | undefined;
  const phases = (tables[1]?.items ?? []).map((p) => `${String(p.phase)} ${Math.round(Number(p.timing))} ms`).join(", ");
  return {
    performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
    lcpMs: Math.round(lhr.audits["largest-contentful-paint"]?.numericValue ?? 0),
    tbtMs: Math.round(lhr.audits["total-blocking-time"]?.numericValue ?? 0),
    lcpElement: (node?.nodeLabel ?? node?.snippet ?? "").slice(0, 60),
    phases,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

async function waitUntilUp(url: string, deadlineMs: number) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${deadlineMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// The baseline app: built here (unless told it is built), served for this run only.
const bareEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
delete bareEnv.NEXT_DIST_DIR;
if (!args.includes("--skip-bare-build")) {
  execFileSync("npx", ["next", "build", bareDir], { stdio: ["ignore", "ignore", "inherit"], env: bareEnv });
}
const bare = spawn("npx", ["next", "start", bareDir, "-p", String(barePort)], { stdio: "ignore", env: bareEnv, detached: true });
const stopBare = () => {
  try {
    if (bare.pid) process.kill(-bare.pid, "SIGTERM");
  } catch {
    // already gone
  }
};
process.on("exit", stopBare);

const work = fs.mkdtempSync(path.join(os.tmpdir(), "postillion-lighthouse-"));
const pages = [
  { page: "bare Next page", url: `${bareBase}/`, signedIn: false },
  ...flag("pages", ["/login", `/t/${tenant}/sender`, `/t/${tenant}/domain`, `/t/${tenant}/reminders`].join(",")).split(",").map((p) => ({
    page: p,
    url: `${base}${p}`,
    signedIn: p !== "/login",
  })),
];
const results = new Map<string, Run[]>(pages.map((p) => [p.page, []]));
try {
  await waitUntilUp(bareBase, 60_000);
  const headersFile = path.join(work, "headers.json");
  fs.writeFileSync(headersFile, JSON.stringify({ Cookie: await sessionCookie(base, email, password) }));
  for (let run = 0; run < runs; run++) {
    for (const p of pages) results.get(p.page)!.push(lighthouse(p.url, p.signedIn ? headersFile : null, path.join(work, "report.json")));
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
  stopBare();
}

const rows = pages.map(({ page }) => {
  const r = results.get(page)!;
  const lcpMs = median(r.map((x) => x.lcpMs));
  // The phases of the run whose LCP is the median one.
  const typical = r.find((x) => x.lcpMs === lcpMs) ?? r[0]!;
  return {
    page,
    performance: median(r.map((x) => x.performance)),
    accessibility: median(r.map((x) => x.accessibility)),
    lcpMs,
    tbtMs: median(r.map((x) => x.tbtMs)),
    lcpRuns: r.map((x) => x.lcpMs),
    lcpElement: typical.lcpElement,
    phases: typical.phases,
  };
});
const baseline = rows[0]!;
const compared = rows.slice(1).map((r) => {
  const lcpRatio = Math.round((r.lcpMs / baseline.lcpMs) * 100) / 100;
  const performanceBehind = baseline.performance - r.performance;
  const missed = [
    lcpRatio > LCP_RATIO_MAX ? `LCP ${lcpRatio}× > ${LCP_RATIO_MAX}×` : "",
    performanceBehind > PERFORMANCE_POINTS_MAX ? `performance ${performanceBehind} points behind` : "",
    r.accessibility < 100 ? `accessibility ${r.accessibility}` : "",
  ].filter(Boolean);
  return { ...r, lcpRatio, performanceBehind, missed };
});

if (args.includes("--json")) process.stdout.write(JSON.stringify({ runs, baseline, pages: compared }, null, 2) + "\n");
else {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  process.stdout.write(`median of ${runs} run(s)\n`);
  process.stdout.write("page                      performance  accessibility  LCP       LCP ratio  TBT      LCP runs\n");
  for (const r of [{ ...baseline, lcpRatio: 1 }, ...compared]) {
    process.stdout.write(
      `${r.page.padEnd(26)}${String(r.performance).padStart(11)}  ${String(r.accessibility).padStart(13)}  ${s(r.lcpMs).padEnd(9)} ${`${r.lcpRatio.toFixed(2)}×`.padStart(9)}  ${`${r.tbtMs} ms`.padEnd(8)} ${r.lcpRuns.map(s).join(" / ")}\n`,
    );
  }
  process.stdout.write("\nLCP element and phases (median run):\n");
  for (const r of rows) process.stdout.write(`${r.page}: "${r.lcpElement}" — ${r.phases}\n`);
}
const missed = compared.filter((r) => r.missed.length);
process.stdout.write(
  missed.length
    ? `below target: ${missed.map((r) => `${r.page} (${r.missed.join(", ")})`).join("; ")}\n`
    : `all pages at target (LCP ≤ ${LCP_RATIO_MAX}× the bare page, performance ≤ ${PERFORMANCE_POINTS_MAX} points behind it, accessibility 100)\n`,
);
process.exitCode = missed.length ? 1 : 0;
