/**
 * The CSV import at its limit: a 50,000-row file as German Excel writes it (semicolons,
 * Windows-1252, umlauts, German dates; every learner with a training) goes through
 * upload → check (dry run) → run on a fresh SQLite file and a fresh Postgres database,
 * as the import page drives it. Meanwhile a probe issues a small query every 50 ms
 * (`select count(*) from tenants`, standing in for another user's request) and records
 * how long each waited from its due time to its answer: the import must not block the
 * server for more than a chunk's transaction.
 *
 *   npx tsx lib/bench/csv-import.ts [--rows 50000] [--dialects sqlite,postgres]
 */
import os from "node:os";
import { count } from "drizzle-orm";
import { CLI_ACTOR } from "../auth/policy";
import type { Db, Dialect } from "../db";
import { encodeWindows1252 } from "../learners/csv";
import { checkImport, runImport, uploadImport } from "../learners/import";
import { createTraining } from "../reminders/queries";
import { createTenant } from "../tenants/queries";
import { createTestDb, postgresAvailable } from "../testing/databases";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const ROWS = Number(flag("rows", "50000"));
const DIALECTS = flag("dialects", "sqlite,postgres").split(",") as Dialect[];
const PROBE_MS = 50;

const FIRST = ["Jürgen", "Anna", "Bärbel", "Jörg", "Clara", "Müşerref", "Emma", "Felix", "Grete", "Özlem"];
const LAST = ["Müßig", "Bauer", "Groß", "Krüger", "Schäfer", "Weiß", "Öztürk", "Lange", "Meyer", "Zimmermann"];

function excelCsv(rows: number): Uint8Array {
  const lines = ["Personalnummer;Vorname;Nachname;E-Mail;Vorgesetzte(r);Vorgesetzte(r) E-Mail;Schulung;Zugewiesen am;Fällig am;Aktiv"];
  for (let i = 0; i < rows; i++) {
    const day = String((i % 28) + 1).padStart(2, "0");
    lines.push(
      [
        `P-${i}`,
        FIRST[i % 10],
        LAST[Math.floor(i / 10) % 10],
        `person.${i}@firma.example`,
        "Bärbel Groß",
        "b.gross@firma.example",
        ["BS-1", "DS-1", "Erste Hilfe"][i % 3],
        `${day}.05.2026`,
        `${day}.07.26`,
        i % 20 === 0 ? "nein" : "ja",
      ].join(";"),
    );
  }
  return encodeWindows1252(lines.join("\r\n") + "\r\n");
}

/** Small queries every 50 ms; each one's wait from its due time to its answer. */
function startProbe(db: Db) {
  const waits: number[] = [];
  const start = performance.now();
  let worstAt = 0;
  let stopped = false;
  let due = performance.now() + PROBE_MS;
  let timer: ReturnType<typeof setTimeout>;
  const tick = async () => {
    if (stopped) return;
    await db.orm.select({ n: count() }).from(db.t.tenants);
    const wait = performance.now() - due;
    if (wait > Math.max(0, ...waits)) worstAt = due - start;
    waits.push(wait);
    due = Math.max(due + PROBE_MS, performance.now());
    timer = setTimeout(tick, Math.max(0, due - performance.now()));
  };
  timer = setTimeout(tick, PROBE_MS);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      const sorted = [...waits].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
      return { probes: waits.length, median: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN, worstAt };
    },
  };
}

const ms = (v: number) => `${v.toFixed(0)} ms`;

async function bench(dialect: Dialect, bytes: Uint8Array) {
  const handle = await createTestDb(dialect);
  const db = handle.db;
  try {
    const tenant = await createTenant(db, { slug: "bench-import", name: "Bench", timezone: "Europe/Berlin", locale: "de" });
    for (const [externalId, name] of [["BS-1", "Brandschutz"], ["DS-1", "Datenschutz"], ["EH-1", "Erste Hilfe"]]) {
      await createTraining(db, { tenantId: tenant.id, name: name!, externalId: externalId!, linkUrl: null });
    }
    const ref = { id: tenant.id, timezone: tenant.timezone };
    const actor = CLI_ACTOR;

    let t0 = performance.now();
    const up = await uploadImport(db, { tenant: ref, actor, fileName: "bench.csv", bytes });
    const uploadMs = performance.now() - t0;
    if (!up.ok) throw new Error(`upload: ${JSON.stringify(up)}`);

    const checkProbe = startProbe(db);
    t0 = performance.now();
    const checked = await checkImport(db, { tenant: ref, actor, importId: up.data.id, mapping: up.data.mapping });
    const checkMs = performance.now() - t0;
    const checkWaits = checkProbe.stop();
    if (!checked.ok) throw new Error(`check: ${JSON.stringify(checked)}`);

    const runProbe = startProbe(db);
    let chunks = 0;
    t0 = performance.now();
    const run = await runImport(db, { tenant: ref, actor, importId: up.data.id, afterChunk: () => void chunks++ });
    const runMs = performance.now() - t0;
    const runWaits = runProbe.stop();
    if (!run.ok || run.data.status !== "done") throw new Error(`run: ${JSON.stringify(run)}`);

    // The same file again: the dry run finds every row unchanged.
    const again = await uploadImport(db, { tenant: ref, actor, fileName: "bench.csv", bytes });
    if (!again.ok) throw new Error("upload again");
    t0 = performance.now();
    const recheck = await checkImport(db, { tenant: ref, actor, importId: again.data.id, mapping: again.data.mapping });
    const recheckMs = performance.now() - t0;
    if (!recheck.ok) throw new Error("recheck");

    const v = run.data;
    console.log(`\n${dialect}: load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores`);
    console.log(`${dialect}: ${v.totalRows.toLocaleString("en")} rows, ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB ${up.data.encoding} "${up.data.separator}"`);
    console.log(`  upload (decode, parse, store)  ${ms(uploadMs)}`);
    console.log(`  check (dry run)                ${ms(checkMs)}   would create ${checked.data.created}, update ${checked.data.updated}, unchanged ${checked.data.unchanged}, refused ${checked.data.refused}`);
    console.log(`  run (${chunks} chunks)              ${ms(runMs)}   created ${v.created}, updated ${v.updated}, unchanged ${v.unchanged}, refused ${v.refused}; ${Math.round(v.totalRows / (runMs / 1000)).toLocaleString("en")} rows/s`);
    console.log(`  check of the same file again   ${ms(recheckMs)}   unchanged ${recheck.data.unchanged}`);
    for (const [name, w] of [["during check", checkWaits], ["during run", runWaits]] as const) {
      console.log(`  probe ${name}: ${w.probes} queries every ${PROBE_MS} ms, wait median ${w.median.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms, max ${w.max.toFixed(1)} ms (due ${w.worstAt.toFixed(0)} ms after the start)`);
    }
  } finally {
    await handle.dispose();
  }
}

const bytes = excelCsv(ROWS);
for (const dialect of DIALECTS) {
  if (dialect === "postgres" && !(await postgresAvailable())) {
    console.log("\npostgres: skipped, Postgres does not answer");
    continue;
  }
  await bench(dialect, bytes);
}
