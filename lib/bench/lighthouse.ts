/**
 * Lighthouse (performance and accessibility) on the pages DESIGN.md names: sign-in,
 * sender, domain and reminders, signed in as a demo admin. Runs against a running app
 * (`npm run demo`), in Debian's Chromium.
 *
 *   npx tsx lib/bench/lighthouse.ts [--base http://localhost:3000] [--tenant acme] [--json]
 *
 * Targets: performance ≥ 95, accessibility 100. The figures are Lighthouse's own
 * (mobile emulation with its simulated throttling), so they compare across machines.
 */
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

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
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  chromeFlags: [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const rows: { page: string; performance: number; accessibility: number; lcp: string; tbt: string }[] = [];
try {
  for (const page of pages) {
    const result = await lighthouse(
      `${base}${page}`,
      { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility"] },
      { extends: "lighthouse:default", settings: { extraHeaders: page === "/login" ? {} : { Cookie: cookie } } },
    );
    if (!result) throw new Error(`no result for ${page}`);
    const { categories, audits } = result.lhr;
    rows.push({
      page,
      performance: Math.round((categories.performance?.score ?? 0) * 100),
      accessibility: Math.round((categories.accessibility?.score ?? 0) * 100),
      lcp: audits["largest-contentful-paint"]?.displayValue ?? "",
      tbt: audits["total-blocking-time"]?.displayValue ?? "",
    });
  }
} finally {
  chrome.kill();
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
