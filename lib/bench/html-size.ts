/**
 * HTML weight of the main pages, raw and gzip-compressed, as a browser receives it
 * (signed in as a demo admin), against a running app (`npm run demo`).
 *
 *   npx tsx lib/bench/html-size.ts [--base http://localhost:3000] [--tenant acme] [--json]
 *
 * Most of a page's HTML beyond its markup is the RSC payload, including the messages
 * handed to client components: this shows what the client i18n provider costs.
 */
import zlib from "node:zlib";
import { benchFlags, sessionCookie } from "./session";

const args = process.argv.slice(2);
const { base, tenant, email, password } = benchFlags(args);
const cookie = await sessionCookie(base, email, password);
const pages = ["/login", `/t/${tenant}/sender`, `/t/${tenant}/domain`, `/t/${tenant}/reminders`, `/t/${tenant}/reminders/plans/new`, `/t/${tenant}/users`];
const rows: { page: string; rawKb: number; gzipKb: number }[] = [];
for (const page of pages) {
  const response = await fetch(`${base}${page}`, { headers: page === "/login" ? {} : { cookie }, redirect: "manual" });
  if (response.status !== 200) throw new Error(`${page}: HTTP ${response.status}`);
  const html = Buffer.from(await response.arrayBuffer());
  const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
  rows.push({ page, rawKb: kb(html.length), gzipKb: kb(zlib.gzipSync(html, { level: 6 }).length) });
}
if (args.includes("--json")) process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
else {
  const width = Math.max(...rows.map((r) => r.page.length));
  process.stdout.write(`${"page".padEnd(width)}  HTML raw   gzip\n`);
  for (const r of rows) process.stdout.write(`${r.page.padEnd(width)}  ${r.rawKb.toFixed(1).padStart(5)} kB  ${r.gzipKb.toFixed(1).padStart(5)} kB\n`);
}
