/**
 * First-load JavaScript per route, gzip-compressed, from a finished `next build`.
 * Next 16 no longer prints these sizes, so this reads the build's manifests: for each
 * app route, the root main files plus every client chunk its layouts and page need.
 *
 *   npx tsx lib/bench/first-load-js.ts [--json] [--max-ratio 1.10] [--budget 130] [--strict]
 *
 * The floor is the framework itself: the root main files that every route loads
 * (Next's router and React DOM), printed as the baseline. Each route's size is shown
 * as a ratio to it; a route above --max-ratio (default 1.10) makes the script exit
 * non-zero, so CI holds every page to "the framework plus a little". The absolute
 * budget (kB, default 130 as in DESIGN.md) is reported; --strict makes it fail too.
 */
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";

const distDir = path.resolve(process.env.NEXT_DIST_DIR ?? ".next");
const args = process.argv.slice(2);
const json = args.includes("--json");
const budgetArg = args.indexOf("--budget");
const budgetKb = budgetArg >= 0 ? Number(args[budgetArg + 1]) : 130;
const ratioArg = args.indexOf("--max-ratio");
const maxRatio = ratioArg >= 0 ? Number(args[ratioArg + 1]) : 1.1;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

const gzipCache = new Map<string, number>();
function gzipSize(file: string): number {
  let size = gzipCache.get(file);
  if (size === undefined) {
    size = zlib.gzipSync(fs.readFileSync(path.join(distDir, file)), { level: 9 }).length;
    gzipCache.set(file, size);
  }
  return size;
}

const appDir = path.join(distDir, "server", "app");
const manifests = walk(appDir).filter((f) => f.endsWith("page_client-reference-manifest.js"));
const rows: { route: string; files: number; kb: number }[] = [];

for (const manifestFile of manifests) {
  const sandbox = { globalThis: {} as Record<string, unknown> };
  vm.runInNewContext(fs.readFileSync(manifestFile, "utf8"), sandbox);
  const all = (sandbox.globalThis.__RSC_MANIFEST ?? {}) as Record<string, { entryJSFiles?: Record<string, string[]> }>;
  for (const [routeKey, manifest] of Object.entries(all)) {
    const route = routeKey.replace(/\/page$/, "") || "/";
    const segments = route === "/" ? [""] : route.split("/");
    // The layouts on the way to the page, and the page itself.
    const wanted = new Set<string>(["[project]/app/layout", `[project]/app${route === "/" ? "" : route}/page`]);
    for (let i = 1; i < segments.length; i++) wanted.add(`[project]/app${segments.slice(0, i + 1).join("/")}/layout`);
    const files = new Set<string>();
    for (const [entry, chunks] of Object.entries(manifest.entryJSFiles ?? {})) {
      if (wanted.has(entry)) chunks.forEach((c) => files.add(c));
    }
    const buildManifestFile = path.join(path.dirname(manifestFile), "page", "build-manifest.json");
    if (fs.existsSync(buildManifestFile)) {
      const bm = JSON.parse(fs.readFileSync(buildManifestFile, "utf8")) as { rootMainFiles?: string[] };
      (bm.rootMainFiles ?? []).forEach((f) => files.add(f));
    }
    const bytes = [...files].filter((f) => f.endsWith(".js")).reduce((sum, f) => sum + gzipSize(f), 0);
    rows.push({ route: route === "" ? "/" : route, files: files.size, kb: Math.round((bytes / 1024) * 10) / 10 });
  }
}

rows.sort((a, b) => a.route.localeCompare(b.route));
// The floor every route pays: the framework's root main files.
const rootManifest = path.join(distDir, "build-manifest.json");
const floorKb: number = fs.existsSync(rootManifest)
  ? Math.round(
      ((JSON.parse(fs.readFileSync(rootManifest, "utf8")) as { rootMainFiles?: string[] }).rootMainFiles ?? [])
        .filter((f) => f.endsWith(".js"))
        .reduce((sum, f) => sum + gzipSize(f), 0) / 102.4,
    ) / 10
  : 0;
if (!floorKb) throw new Error(`no build-manifest.json in ${distDir}: run next build first`);
const ratioOf = (r: { kb: number }) => Math.round((r.kb / floorKb) * 100) / 100;
const over = rows.filter((r) => r.kb > budgetKb);
const aboveRatio = rows.filter((r) => r.kb / floorKb > maxRatio);
if (json) {
  process.stdout.write(
    JSON.stringify({ budgetKb, maxRatio, frameworkFloorKb: floorKb, routes: rows.map((r) => ({ ...r, ratio: ratioOf(r) })) }, null, 2) + "\n",
  );
} else {
  const width = Math.max(...rows.map((r) => r.route.length), 5);
  process.stdout.write(`${"route".padEnd(width)}  first-load JS (gzip)\n`);
  for (const r of rows) {
    const marks = [r.kb / floorKb > maxRatio ? `above ${maxRatio.toFixed(2)}×` : "", r.kb > budgetKb ? "over budget" : ""].filter(Boolean);
    process.stdout.write(`${r.route.padEnd(width)}  ${r.kb.toFixed(1).padStart(6)} kB  ${ratioOf(r).toFixed(2)}× floor${marks.length ? `  ${marks.join(", ")}` : ""}\n`);
  }
  process.stdout.write(`framework floor (Next runtime + React DOM, every route): ${floorKb.toFixed(1)} kB\n`);
  process.stdout.write(`budget: ${budgetKb} kB; ${over.length ? `${over.length} route(s) over` : "all routes within"}\n`);
  process.stdout.write(
    `ratio to floor: at most ${maxRatio.toFixed(2)}×; ${aboveRatio.length ? `${aboveRatio.length} route(s) above: ${aboveRatio.map((r) => r.route).join(", ")}` : "all routes within"}\n`,
  );
}
process.exitCode = aboveRatio.length || (over.length && args.includes("--strict")) ? 1 : 0;
