/**
 * POST /api/v1/learners/batch over HTTP against the raw driver, on SQLite and Postgres.
 *
 *   npx tsx lib/bench/api-batch.ts [--batches 20] [--size 1000] [--rounds 3] [--only sqlite|postgres]
 *
 * A plain node:http server in this process hands each request to the route handler
 * (the same function Next calls: key, rate, body, zod, use case, audit), and a client
 * POSTs `--batches` batches of `--size` new learners one after another. Then the same
 * rows go into the learners table with the raw driver — better-sqlite3 / pg, one
 * prepared multi-row INSERT per batch in one transaction — and the two rates are
 * printed with their ratio. The two alternate for `--rounds` rounds and the best round of
 * each counts (the machine is shared: the best round is the least disturbed). Postgres runs when TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) answers; each run uses a fresh database.
 */
import crypto from "node:crypto";
import http from "node:http";
import Database from "better-sqlite3";
import pg from "pg";
import { createApiKey } from "../api-keys/service";
import { CLI_ACTOR } from "../auth/policy";
import { resetConfigCache } from "../config/platform-profile";
import { setProcessDb, type Db, type Dialect } from "../db";
import { BENCH_ADMIN_URL, freshDb, postgresAnswers } from "./databases";
import { searchTextOf } from "../learners/queries";
import { createTenant } from "../tenants/queries";
import { POST as postBatch } from "../../app/api/v1/learners/batch/route";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const BATCHES = Number(flag("batches", "20"));
const SIZE = Number(flag("size", "1000"));
const ROUNDS = Number(flag("rounds", "3"));
const ONLY = flag("only", "");

process.env.API_RATE_PER_MINUTE = "1000000";
resetConfigCache();

interface Row {
  externalId: string;
  email: string;
  firstName: string;
  lastName: string;
  locale: "de" | "en";
}

function rows(prefix: string, batch: number): Row[] {
  return Array.from({ length: SIZE }, (_, i) => ({
    externalId: `${prefix}-${batch}-${i}`,
    email: `${prefix}.${batch}.${i}@example.com`,
    firstName: `First${i}`,
    lastName: `Last${batch}-${i}`,
    locale: i % 2 ? "de" : "en",
  }));
}

/** node:http → Request → the route handler → Response → node:http. */
function serve(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = new Request(`http://localhost${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const response = req.url === "/api/v1/learners/batch" && req.method === "POST" ? await postBatch(request) : new Response("not found", { status: 404 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

async function viaApi(db: Db, dialect: Dialect, round: number): Promise<number> {
  const tenant = await createTenant(db, { slug: `bench-api-${dialect}-${round}`, name: "Bench", timezone: "Europe/Berlin", locale: "de" });
  const created = await createApiKey(db, { tenant, actor: CLI_ACTOR, input: { name: "bench" } });
  if (!created.ok) throw new Error(created.code);
  const server = await serve();
  const send = async (body: unknown) => {
    const r = await fetch(`${server.url}/api/v1/learners/batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${created.data.key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = (await r.json()) as { created?: number };
    if (r.status !== 200 || json.created !== SIZE) throw new Error(`batch answered ${r.status}: ${JSON.stringify(json).slice(0, 300)}`);
  };
  try {
    await send({ learners: rows("warm", 0) });
    const started = performance.now();
    for (let b = 0; b < BATCHES; b++) await send({ learners: rows("api", b) });
    return (BATCHES * SIZE) / ((performance.now() - started) / 1000);
  } finally {
    await server.close();
  }
}

const COLUMNS = ["id", "tenant_id", "external_id", "email", "first_name", "last_name", "locale", "responsible_name", "responsible_email", "active", "search_text", "created_at", "updated_at"];

function values(tenantId: string, r: Row, now: Date, dialect: Dialect): unknown[] {
  const at = dialect === "sqlite" ? now.getTime() : now;
  return [crypto.randomUUID(), tenantId, r.externalId, r.email, r.firstName, r.lastName, r.locale, null, null, dialect === "sqlite" ? 1 : true, searchTextOf(r), at, at];
}

async function viaDriver(db: Db, url: string, dialect: Dialect, round: number): Promise<number> {
  const tenant = await createTenant(db, { slug: `bench-raw-${dialect}-${round}`, name: "Bench raw", timezone: "Europe/Berlin", locale: "de" });
  if (dialect === "sqlite") {
    const sqlite = new Database(url.slice("file:".length));
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    const placeholders = Array.from({ length: SIZE }, () => `(${COLUMNS.map(() => "?").join(",")})`).join(",");
    const insert = sqlite.prepare(`insert into learners (${COLUMNS.join(",")}) values ${placeholders}`);
    const batch = sqlite.transaction((params: unknown[]) => insert.run(...params));
    batch(rows("warm", 0).flatMap((r) => values(tenant.id, r, new Date(), dialect)));
    const started = performance.now();
    for (let b = 0; b < BATCHES; b++) {
      const now = new Date();
      batch(rows("raw", b).flatMap((r) => values(tenant.id, r, now, dialect)));
    }
    const rate = (BATCHES * SIZE) / ((performance.now() - started) / 1000);
    sqlite.close();
    return rate;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const placeholders = Array.from({ length: SIZE }, (_, i) => `(${COLUMNS.map((_, j) => `$${i * COLUMNS.length + j + 1}`).join(",")})`).join(",");
  const text = `insert into learners (${COLUMNS.join(",")}) values ${placeholders}`;
  const batch = async (params: unknown[]) => {
    await client.query("begin");
    await client.query({ name: `bench-insert-${round}`, text, values: params });
    await client.query("commit");
  };
  try {
    await batch(rows("warm", 0).flatMap((r) => values(tenant.id, r, new Date(), dialect)));
    const started = performance.now();
    for (let b = 0; b < BATCHES; b++) {
      const now = new Date();
      await batch(rows("raw", b).flatMap((r) => values(tenant.id, r, now, dialect)));
    }
    return (BATCHES * SIZE) / ((performance.now() - started) / 1000);
  } finally {
    await client.end();
  }
}

async function main() {
  const dialects: Dialect[] = ["sqlite", "postgres"];
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
  for (const dialect of dialects) {
    if (ONLY && ONLY !== dialect) continue;
    if (dialect === "postgres" && !(await postgresAnswers())) {
      console.log(`postgres: skipped, nothing answers at ${BENCH_ADMIN_URL}`);
      continue;
    }
    const { db, url, dispose } = await freshDb(dialect);
    setProcessDb(db);
    try {
      const apiRates: number[] = [];
      const rawRates: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        apiRates.push(await viaApi(db, dialect, round));
        rawRates.push(await viaDriver(db, url, dialect, round));
      }
      const api = Math.max(...apiRates);
      const raw = Math.max(...rawRates);
      console.log(
        `${dialect}: ${BATCHES} × ${SIZE} learners, best of ${ROUNDS} — API (HTTP, key, zod, upsert, audit) ${fmt(api)} rows/s; raw driver insert ${fmt(raw)} rows/s; API/raw = ${(api / raw).toFixed(2)}` +
          `\n  rounds: API ${apiRates.map(fmt).join(" / ")}; raw ${rawRates.map(fmt).join(" / ")}`,
      );
    } finally {
      await dispose();
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
