/**
 * Lighthouse (performance and accessibility) on the pages DESIGN.md names: sign-in,
 * sender, domain and reminders, signed in as a demo admin. Runs against a running app
 * (`npm run demo`), in Debian's Chromium.
 *
 *   npx tsx lib/bench/lighthouse.ts [--base http://localhost:3000] [--tenant acme] [--json]
 *
 * Targets: performance ≥ 95, accessibility 100. The figures are Lighthouse's own
 * (mobile emulation with its simulated throttling), so they compare across machines.
 *
 * Lighthouse runs through `npx lighthouse@12.8.2` rather than as a dependency: its
 * trace engine depends on another package's "latest" tag, which would make the lock
 * file drift and `npm ci` fail.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const LIGHTHOUSE = "lighthouse@12.8.2";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const base = flag("base", "http://localhost:3000");
const tenant = flag("tenant", "acme");
const email = flag("email", `admin@${tenant}.example`);
const password = flag("password", "postillion-demo");

/** Signs in through next-auth's credentials callback and returns the session cookie. */
async function sessionCookie(): Promise<string> {
  const csrfResponse = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const csrfCookie = csrfResponse.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = response.headers.getSetCookie().find((c) => c.includes("session-token="));
  if (!session) throw new Error(`sign-in as ${email} failed (HTTP ${response.status})`);
  return session.split(";")[0]!;
}

const pages = ["/login", `/t/${tenant}/sender`, `/t/${tenant}/domain`, `/t/${tenant}/reminders`];
const cookie = await sessionCookie();
const chromeFlags = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
].join(" ");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "postillion-lighthouse-"));
const headersFile = path.join(work, "headers.json");
fs.writeFileSync(headersFile, JSON.stringify({ Cookie: cookie }));
const rows: { page: string; performance: number; accessibility: number; lcp: string; tbt: string }[] = [];
try {
  for (const page of pages) {
    const out = path.join(work, "report.json");
    execFileSync(
      "npx",
      [
        "--yes",
        LIGHTHOUSE,
        `${base}${page}`,
        "--quiet",
        "--output=json",
        `--output-path=${out}`,
        "--only-categories=performance,accessibility",
        `--chrome-flags=${chromeFlags}`,
        ...(page === "/login" ? [] : [`--extra-headers=${headersFile}`]),
      ],
      { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" } },
    );
    const lhr = JSON.parse(fs.readFileSync(out, "utf8")) as {
      categories: Record<string, { score: number | null } | undefined>;
      audits: Record<string, { displayValue?: string } | undefined>;
    };
    rows.push({
      page,
      performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
      lcp: lhr.audits["largest-contentful-paint"]?.displayValue ?? "",
      tbt: lhr.audits["total-blocking-time"]?.displayValue ?? "",
    });
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

if (args.includes("--json")) process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
else {
  process.stdout.write("page                      performance  accessibility  LCP      TBT\n");
  for (const r of rows) {
    process.stdout.write(
      `${r.page.padEnd(26)}${String(r.performance).padStart(11)}  ${String(r.accessibility).padStart(13)}  ${r.lcp.padEnd(8)} ${r.tbt}\n`,
    );
  }
}
const missed = rows.filter((r) => r.performance < 95 || r.accessibility < 100);
process.stdout.write(missed.length ? `below target: ${missed.map((r) => r.page).join(", ")}\n` : "all pages at target (performance ≥ 95, accessibility 100)\n");
