import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../audit/log";
import { appActor, type UseCaseActor } from "../auth/policy";
import type { Db } from "../db";
import { saveTraining, type TenantRef } from "../reminders/service";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { encodeWindows1252 } from "./csv";
import { checkImport, getImport, getImportDetail, getRefusedRows, listImports, MAX_IMPORT_ROWS, runImport, uploadImport } from "./import";

const now = new Date("2026-05-04T08:00:00Z");
const utf8 = (s: string) => new TextEncoder().encode(s);

/** A file as German Excel saves "CSV (Trennzeichen-getrennt)": semicolons, CRLF, Windows-1252. */
function excelCsv(lines: string[]): Uint8Array {
  return encodeWindows1252(lines.join("\r\n") + "\r\n");
}

const HEADER = "Personalnummer;Vorname;Nachname;E-Mail;Vorgesetzte(r);Vorgesetzte(r) E-Mail;Schulung;Zugewiesen am;Fällig am";

async function learnersOf(db: Db, tenantId: string) {
  const l = db.t.learners;
  return db.orm
    .select({ externalId: l.externalId, firstName: l.firstName, lastName: l.lastName, email: l.email, responsibleName: l.responsibleName })
    .from(l)
    .where(eq(l.tenantId, tenantId))
    .orderBy(asc(l.externalId));
}

async function assignmentOf(db: Db, tenantId: string, externalId: string) {
  const l = db.t.learners;
  const a = db.t.assignments;
  const [row] = await db.orm
    .select({ trainingId: a.trainingId, assignedAt: a.assignedAt, dueAt: a.dueAt })
    .from(a)
    .innerJoin(l, eq(l.id, a.learnerId))
    .where(and(eq(a.tenantId, tenantId), eq(l.externalId, externalId)));
  return row;
}

/** upload → check with the guessed mapping → run; each step must succeed. */
async function importFile(
  db: Db,
  tenant: TenantRef,
  actor: UseCaseActor,
  bytes: Uint8Array,
  fileName = "mitarbeiter.csv",
) {
  const up = await uploadImport(db, { tenant, actor, fileName, bytes, now });
  if (!up.ok) throw new Error(JSON.stringify(up));
  const checked = await checkImport(db, { tenant, actor, importId: up.data.id, mapping: up.data.mapping, now });
  if (!checked.ok) throw new Error(JSON.stringify(checked));
  const run = await runImport(db, { tenant, actor, importId: up.data.id, clock: () => now });
  if (!run.ok) throw new Error(JSON.stringify(run));
  return { upload: up.data, check: checked.data, run: run.data };
}

forEachDatabase("CSV import of learners", (db) => {
  let ids: TwoTenants;
  let tenantA: TenantRef;
  let tenantB: TenantRef;
  let admin: UseCaseActor;
  let trainingId = "";

  beforeAll(async () => {
    ids = await seedTwoTenants(db(), { prefix: "csv" });
    tenantA = { id: ids.a, timezone: "Europe/Berlin" };
    tenantB = { id: ids.b, timezone: "UTC" };
    admin = appActor({ id: ids.adminA, role: "admin" });
    const t = await saveTraining(db(), { tenant: tenantA, actor: admin, input: { name: "Brandschutz", externalId: "BS-1" }, now });
    if (!t.ok) throw new Error(t.code);
    trainingId = t.data.id;
  });

  it("imports a semicolon Windows-1252 file with umlauts: names, responsible person and due date as written", async () => {
    const bytes = excelCsv([
      HEADER,
      "P-1;Jürgen;Müßig;juergen.muessig@example.com;Bärbel Groß;b.gross@example.com;BS-1;04.05.2026;31.05.2026",
      'P-2;Zoë;"O\'Brien; Jr.";zoe@example.com;;;brandschutz;2026-05-04 09:30;',
    ]);
    const { upload, check, run } = await importFile(db(), tenantA, admin, bytes);
    expect(upload).toMatchObject({
      encoding: "windows-1252",
      separator: ";",
      totalRows: 2,
      status: "uploaded",
      headers: HEADER.split(";"),
      mapping: { externalId: 0, firstName: 1, lastName: 2, email: 3, responsibleName: 4, responsibleEmail: 5, training: 6, assignedAt: 7, dueAt: 8 },
    });
    expect(upload.preview[0]!.slice(0, 3)).toEqual(["P-1", "Jürgen", "Müßig"]);
    expect(check).toMatchObject({ status: "checked", created: 2, updated: 0, unchanged: 0, refused: 0 });
    expect(run).toMatchObject({ status: "done", processedRows: 2, created: 2, updated: 0, unchanged: 0, refused: 0 });

    expect(await learnersOf(db(), ids.a)).toEqual([
      { externalId: "P-1", firstName: "Jürgen", lastName: "Müßig", email: "juergen.muessig@example.com", responsibleName: "Bärbel Groß" },
      { externalId: "P-2", firstName: "Zoë", lastName: "O'Brien; Jr.", email: "zoe@example.com", responsibleName: null },
    ]);
    // "Fällig am 31.05.2026" in Berlin: still in time until the end of that day (CEST).
    expect(await assignmentOf(db(), ids.a, "P-1")).toEqual({
      trainingId,
      assignedAt: new Date("2026-05-03T22:00:00Z"),
      dueAt: new Date("2026-05-31T21:59:59Z"),
    });
    expect(await assignmentOf(db(), ids.a, "P-2")).toEqual({ trainingId, assignedAt: new Date("2026-05-04T07:30:00Z"), dueAt: null });

    const audit = await listAudit(db(), { tenantId: ids.a, action: "learner.import" });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: ids.adminA,
      targetId: upload.id,
      details: { fileName: "mitarbeiter.csv", rows: 2, created: 2, updated: 0, unchanged: 0, refused: 0 },
    });
  });

  it("re-importing the same file changes nothing: the check and the run say unchanged", async () => {
    const bytes = excelCsv([
      HEADER,
      "P-1;Jürgen;Müßig;juergen.muessig@example.com;Bärbel Groß;b.gross@example.com;BS-1;04.05.2026;31.05.2026",
      'P-2;Zoë;"O\'Brien; Jr.";zoe@example.com;;;brandschutz;2026-05-04 09:30;',
    ]);
    const { check, run } = await importFile(db(), tenantA, admin, bytes);
    expect(check).toMatchObject({ created: 0, updated: 0, unchanged: 2, refused: 0 });
    expect(run).toMatchObject({ status: "done", created: 0, updated: 0, unchanged: 2, refused: 0 });
  });

  it("lists every bad row with its line and reason, and imports the good ones", async () => {
    const bytes = utf8(
      [
        "E-Mail,Vorname,Nachname,Schulung,Fällig am",
        "anna@example.com,Anna,Alt,BS-1,30.06.2026",
        "kein-mail,Bernd,Bau,BS-1,30.06.2026",
        "carla@example.com,Carla,Chen,,",
        "dora@example.com,Dora,Dorn,Erste Hilfe,32.06.2026",
        "anna@example.com,Anna,Zweimal,BS-1,",
      ].join("\n"),
    );
    const up = await uploadImport(db(), { tenant: tenantA, actor: admin, fileName: "C:\\Users\\hr\\neu.csv", bytes, now });
    expect(up.ok && up.data).toMatchObject({ encoding: "utf-8", separator: ",", fileName: "neu.csv", totalRows: 5 });
    if (!up.ok) return;
    const checked = await checkImport(db(), { tenant: tenantA, actor: admin, importId: up.data.id, mapping: up.data.mapping, now });
    expect(checked.ok && checked.data).toMatchObject({ created: 2, updated: 0, unchanged: 0, refused: 3 });
    const refused = await getRefusedRows(db(), { tenantId: ids.a, importId: up.data.id });
    expect(refused.total).toBe(3);
    expect(refused.items.map((r) => [r.line, r.label, r.reasons.map((x) => x.en)])).toEqual([
      [3, "Bernd Bau", ['Column "E-Mail": Please enter a valid e-mail address.']],
      [
        5,
        "Dora Dorn",
        [
          'Column "Schulung": No training of this tenant has this external ID or name: Erste Hilfe.',
          'Column "Fällig am": Not a date we can read (e.g. 31.05.2026 or 2026-05-31).',
        ],
      ],
      [6, "Anna Zweimal", ['Column "E-Mail": The same person with the same training is already in line 2; only the first line is taken.']],
    ]);
    expect(refused.items[0]!.reasons[0]!.de).toBe("Spalte „E-Mail“: Bitte eine gültige E-Mail-Adresse eingeben.");
    // Paged.
    expect((await getRefusedRows(db(), { tenantId: ids.a, importId: up.data.id, offset: 2, limit: 10 })).items.map((r) => r.line)).toEqual([6]);

    const run = await runImport(db(), { tenant: tenantA, actor: admin, importId: up.data.id, clock: () => now });
    expect(run.ok && run.data).toMatchObject({ status: "done", processedRows: 5, created: 2, updated: 0, unchanged: 0, refused: 3 });
    const emails = (await learnersOf(db(), ids.a)).map((l) => l.email);
    expect(emails).toEqual(expect.arrayContaining(["anna@example.com", "carla@example.com"]));
    expect(emails).not.toContain("dora@example.com");
    expect((await learnersOf(db(), ids.a)).find((l) => l.email === "anna@example.com")!.lastName).toBe("Alt");
  });

  it("one learner with several trainings, rows far apart: each assignment is taken, counted as the run counts it", async () => {
    const ds = await saveTraining(db(), { tenant: tenantA, actor: admin, input: { name: "Datenschutz", externalId: "DS-1" }, now });
    if (!ds.ok) throw new Error(ds.code);
    const bytes = utf8(
      ["Email;Vorname;Nachname;Kurs;Zugewiesen am", "multi@example.com;Mia;Multi;BS-1;01.05.2026", "x1@example.com;X;Eins;;", "x2@example.com;X;Zwei;;", "multi@example.com;Mia;Multi;Datenschutz;02.05.2026"].join("\n"),
    );
    const up = await uploadImport(db(), { tenant: tenantA, actor: admin, fileName: "multi.csv", bytes, now });
    if (!up.ok) throw new Error("upload");
    // Small chunks: each dry-run chunk is rolled back, so Mia's two rows must share one.
    const checked = await checkImport(db(), { tenant: tenantA, actor: admin, importId: up.data.id, mapping: up.data.mapping, now, chunkRows: 2 });
    expect(checked.ok && checked.data).toMatchObject({ created: 3, updated: 1, unchanged: 0, refused: 0 });
    const run = await runImport(db(), { tenant: tenantA, actor: admin, importId: up.data.id, clock: () => now, chunkRows: 2 });
    expect(run.ok && run.data).toMatchObject({ status: "done", processedRows: 4, created: 3, updated: 1, unchanged: 0, refused: 0 });
    expect(await assignmentOf(db(), ids.a, "multi@example.com")).toBeDefined();
    const a = db().t.assignments;
    const l = db().t.learners;
    const trainings = await db()
      .orm.select({ trainingId: a.trainingId })
      .from(a)
      .innerJoin(l, eq(l.id, a.learnerId))
      .where(and(eq(a.tenantId, ids.a), eq(l.externalId, "multi@example.com")))
      .orderBy(asc(a.assignedAt));
    expect(trainings.map((t) => t.trainingId)).toEqual([trainingId, ds.data.id]);
  });

  it("a file with Excel's sep= line: the header is the line after it, line numbers stay the file's", async () => {
    const bytes = utf8("sep=;\nE-Mail;Vorname;Nachname\nsep1@example.com;S;Eins\nkaputt;S;Zwei\n");
    const up = await uploadImport(db(), { tenant: tenantA, actor: admin, fileName: "sep.csv", bytes, now });
    if (!up.ok) throw new Error("upload");
    expect(up.data).toMatchObject({ separator: ";", totalRows: 2, headers: ["E-Mail", "Vorname", "Nachname"], preview: [["sep1@example.com", "S", "Eins"], ["kaputt", "S", "Zwei"]] });
    expect(await getImportDetail(db(), { tenantId: ids.a, importId: up.data.id })).toMatchObject({ headers: ["E-Mail", "Vorname", "Nachname"], preview: up.data.preview });
    await checkImport(db(), { tenant: tenantA, actor: admin, importId: up.data.id, mapping: up.data.mapping, now });
    expect((await getRefusedRows(db(), { tenantId: ids.a, importId: up.data.id })).items.map((r) => r.line)).toEqual([4]);
  });

  it("a running check says how far it has come; when done, the progress is the run's again (zero)", async () => {
    const rows = Array.from({ length: 9 }, (_, i) => `p${i}@example.com;V;N`);
    const up = await uploadImport(db(), { tenant: tenantA, actor: admin, fileName: "p.csv", bytes: utf8(["Email;Vorname;Nachname", ...rows].join("\n")), now });
    if (!up.ok) throw new Error("upload");
    const seen = new Set<number>();
    let checking = true;
    const poll = (async () => {
      while (checking) {
        seen.add((await getImport(db(), { tenantId: ids.a, importId: up.data.id }))!.processedRows);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const checked = await checkImport(db(), { tenant: tenantA, actor: admin, importId: up.data.id, mapping: up.data.mapping, now, chunkRows: 2 });
    checking = false;
    await poll;
    expect([...seen].filter((n) => n > 0 && n < 9).length).toBeGreaterThan(0);
    expect(checked.ok && checked.data).toMatchObject({ status: "checked", processedRows: 0, created: 9 });
  });

  it("a mapping without e-mail or names is refused field by field", async () => {
    const up = await uploadImport(db(), { tenant: tenantA, actor: admin, fileName: "x.csv", bytes: utf8("a;b\n1;2\n"), now });
    if (!up.ok) throw new Error("upload");
    expect(up.data.mapping).toMatchObject({ email: null, firstName: null, lastName: null });
    const checked = await checkImport(db(), { tenant: tenantA, actor: admin, importId: up.data.id, mapping: up.data.mapping, now });
    expect(checked.ok ? [] : Object.keys(checked.fieldErrors ?? {})).toEqual(["email", "firstName", "lastName"]);
    const outside = await checkImport(db(), { tenant: tenantA, actor: admin, importId: up.data.id, mapping: { email: 0, firstName: 1, lastName: 5 }, now });
    expect(outside.ok ? null : outside.fieldErrors?.lastName?.en).toBe("The file has no such column.");
    expect(await runImport(db(), { tenant: tenantA, actor: admin, importId: up.data.id })).toMatchObject({ ok: false, code: "invalid" });
  });

  it("resumes an interrupted run once its lease has run out, without counting a row twice", async () => {
    const rows = Array.from({ length: 7 }, (_, i) => `r${i}@example.com;Vor${i};Nach${i}`);
    const up = await uploadImport(db(), { tenant: tenantA, actor: admin, fileName: "resume.csv", bytes: utf8(["Email;First name;Last name", ...rows].join("\n")), now });
    if (!up.ok) throw new Error("upload");
    const importId = up.data.id;
    await checkImport(db(), { tenant: tenantA, actor: admin, importId, mapping: up.data.mapping, now });

    // The process dies after its second chunk has committed.
    let t = now.getTime();
    const clock = () => new Date(t);
    await expect(
      runImport(db(), {
        tenant: tenantA, actor: admin, importId, clock, chunkRows: 2, leaseMs: 10_000,
        afterChunk: ({ processedRows }) => {
          if (processedRows === 4) throw new Error("process died");
        },
      }),
    ).rejects.toThrow("process died");
    expect(await getImport(db(), { tenantId: ids.a, importId, now: clock() })).toMatchObject({ status: "running", processedRows: 4, created: 4, stalled: false });

    // While the lease holds, nobody else works on it.
    t += 5_000;
    const busy = await runImport(db(), { tenant: tenantA, actor: admin, importId, clock, chunkRows: 2 });
    expect(busy.ok && busy.data).toMatchObject({ status: "running", processedRows: 4 });

    // Once it has run out, the poll sees it stalled and the next run finishes it.
    t += 10_000;
    expect(await getImport(db(), { tenantId: ids.a, importId, now: clock() })).toMatchObject({ stalled: true });
    const resumed = await runImport(db(), { tenant: tenantA, actor: admin, importId, clock, chunkRows: 2 });
    expect(resumed.ok && resumed.data).toMatchObject({ status: "done", processedRows: 7, created: 7, updated: 0, unchanged: 0, stalled: false });
    expect((await learnersOf(db(), ids.a)).filter((l) => l.email.startsWith("r"))).toHaveLength(7);
    const audit = (await listAudit(db(), { tenantId: ids.a, action: "learner.import", limit: 50 })).filter((e) => e.targetId === importId);
    expect(audit).toHaveLength(1);
  });

  it("a process whose lease was taken over stops; the rows are counted once", async () => {
    const rows = Array.from({ length: 6 }, (_, i) => `s${i}@example.com;Vor${i};Nach${i}`);
    const up = await uploadImport(db(), { tenant: tenantA, actor: admin, fileName: "takeover.csv", bytes: utf8(["Email;First name;Last name", ...rows].join("\n")), now });
    if (!up.ok) throw new Error("upload");
    const importId = up.data.id;
    await checkImport(db(), { tenant: tenantA, actor: admin, importId, mapping: up.data.mapping, now });
    let t = now.getTime();
    const clock = () => new Date(t);
    let other: unknown;
    const first = await runImport(db(), {
      tenant: tenantA, actor: admin, importId, clock, chunkRows: 2, leaseMs: 1_000,
      // The first process stalls after one chunk; its lease runs out and a second one finishes.
      afterChunk: async ({ processedRows }) => {
        if (processedRows !== 2 || other) return;
        t += 5_000;
        other = await runImport(db(), { tenant: tenantA, actor: admin, importId, clock, chunkRows: 2 });
      },
    });
    expect(other).toMatchObject({ ok: true, data: { status: "done", processedRows: 6, created: 6 } });
    expect(first.ok && first.data).toMatchObject({ status: "done", processedRows: 6, created: 6, updated: 0, unchanged: 0 });
  });

  it("another tenant can neither see nor check nor run the import; a trainer may not import", async () => {
    const up = await uploadImport(db(), { tenant: tenantA, actor: admin, fileName: "a.csv", bytes: utf8("Email;Vorname;Nachname\nx@example.com;X;Y\n"), now });
    if (!up.ok) throw new Error("upload");
    const adminB = appActor({ id: ids.adminB, role: "admin" });
    expect(await getImport(db(), { tenantId: ids.b, importId: up.data.id })).toBeUndefined();
    expect(await getRefusedRows(db(), { tenantId: ids.b, importId: up.data.id })).toEqual({ total: 0, offset: 0, items: [] });
    expect((await listImports(db(), { tenantId: ids.b })).map((i) => i.id)).not.toContain(up.data.id);
    expect(await checkImport(db(), { tenant: tenantB, actor: adminB, importId: up.data.id, mapping: up.data.mapping, now })).toEqual({ ok: false, code: "notFound" });
    expect(await runImport(db(), { tenant: tenantB, actor: adminB, importId: up.data.id })).toEqual({ ok: false, code: "notFound" });
    expect(await getImport(db(), { tenantId: ids.a, importId: up.data.id })).toMatchObject({ status: "uploaded" });

    const trainer = appActor({ id: ids.trainerA, role: "trainer" });
    expect(await uploadImport(db(), { tenant: tenantA, actor: trainer, fileName: "a.csv", bytes: utf8("a\n1"), now })).toEqual({ ok: false, code: "forbidden" });
    expect(await runImport(db(), { tenant: tenantA, actor: trainer, importId: up.data.id })).toEqual({ ok: false, code: "forbidden" });
  });

  describe("limits", () => {
    const header = "Email;Vorname;Nachname\n";
    it("takes 50,000 rows, refuses 50,001, files over 10 MB and files without rows", async () => {
      const line = (i: number) => `l${i}@example.com;V;N\n`;
      const rows = (n: number) => header + Array.from({ length: n }, (_, i) => line(i)).join("");
      const exact = await uploadImport(db(), { tenant: tenantA, actor: admin, fileName: "max.csv", bytes: utf8(rows(MAX_IMPORT_ROWS)), now });
      expect(exact.ok && exact.data.totalRows).toBe(50_000);
      const over = await uploadImport(db(), { tenant: tenantA, actor: admin, fileName: "over.csv", bytes: utf8(rows(MAX_IMPORT_ROWS + 1)), now });
      expect(over.ok ? null : over.fieldErrors?.file?.en).toBe("The file has more than 50.000 rows. Please split it into several files.");
      const big = new Uint8Array(10 * 1024 * 1024 + 1).fill(0x61);
      const tooBig = await uploadImport(db(), { tenant: tenantA, actor: admin, fileName: "big.csv", bytes: big, now });
      expect(tooBig.ok ? null : tooBig.fieldErrors?.file?.en).toBe("The file is larger than 10 MB.");
      const empty = await uploadImport(db(), { tenant: tenantA, actor: admin, fileName: "e.csv", bytes: utf8(header + ";;\r\n\r\n"), now });
      expect(empty.ok ? null : empty.fieldErrors?.file?.en).toBe("The file has no row below its header line.");
    });
  });
});
