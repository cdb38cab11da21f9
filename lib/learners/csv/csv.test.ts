import { describe, expect, it } from "vitest";
import { decodeCsv, encodeWindows1252 } from "./decode";
import { parseSheetDate } from "./dates";
import { columnMappingSchema, guessMapping, type ColumnMapping } from "./mapping";
import { detectSeparator, parseCsv, withoutSepLine } from "./parse";
import { duplicateRows, rowOf, trainingLookup, type RowContext } from "./rows";

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("decoding", () => {
  it("reads UTF-8 with and without a byte-order mark", () => {
    expect(decodeCsv(utf8("Name;Müßig"))).toEqual({ text: "Name;Müßig", encoding: "utf-8" });
    expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8("Vorname;Jürgen")]))).toEqual({ text: "Vorname;Jürgen", encoding: "utf-8" });
  });

  it("reads Windows-1252 as German Excel writes it, including € and typographic quotes", () => {
    const bytes = new Uint8Array([0x4a, 0xfc, 0x72, 0x67, 0x65, 0x6e, 0x3b, 0x4d, 0xfc, 0xdf, 0x69, 0x67, 0x3b, 0x80, 0x3b, 0x84, 0x93]);
    expect(decodeCsv(bytes)).toEqual({ text: "Jürgen;Müßig;€;„“", encoding: "windows-1252" });
    expect(decodeCsv(encodeWindows1252("Fällig am;Straße – €"))).toEqual({ text: "Fällig am;Straße – €", encoding: "windows-1252" });
  });

  it("reads Excel's UTF-16 'Unicode text'", () => {
    const body = Buffer.from("Vorname\tNachname\r\nJürgen\tMüßig\r\n", "utf16le");
    expect(decodeCsv(new Uint8Array([0xff, 0xfe, ...body]))).toEqual({ text: "Vorname\tNachname\r\nJürgen\tMüßig\r\n", encoding: "utf-16le" });
  });
});

describe("separator and parser", () => {
  it("takes the separator of the header line, ignoring quoted ones", () => {
    expect(detectSeparator('"Name, Vorname";E-Mail;Sprache\r\na,b,c,d,e,f')).toBe(";");
    expect(detectSeparator("email,first name,last name\n")).toBe(",");
    expect(detectSeparator("email\tfirst\tlast")).toBe("\t");
    expect(detectSeparator("email")).toBe(",");
  });

  it("parses quotes, doubled quotes, separators and line breaks inside quotes, CRLF and LF", () => {
    const text = 'a;b;c\r\n"x;y";"he said ""hi""";"line 1\r\nline 2"\n1;;3\r\n\r\n;;\n"last";"";end\n';
    expect(parseCsv(text, ";")).toEqual([
      { line: 1, fields: ["a", "b", "c"] },
      { line: 2, fields: ["x;y", 'he said "hi"', "line 1\r\nline 2"] },
      { line: 4, fields: ["1", "", "3"] },
      { line: 7, fields: ["last", "", "end"] },
    ]);
  });

  it("follows Excel's sep= line and leaves it out of the records", () => {
    const text = "sep=,\r\nName;Vorname,E-Mail\r\nMüller;Jürgen,jm@example.com\r\n";
    expect(detectSeparator(text)).toBe(",");
    expect(withoutSepLine(parseCsv(text, ","))).toEqual([
      { line: 2, fields: ["Name;Vorname", "E-Mail"] },
      { line: 3, fields: ["Müller;Jürgen", "jm@example.com"] },
    ]);
    expect(withoutSepLine(parseCsv("a;b\n1;2", ";"))).toHaveLength(2);
  });

  it("keeps a last line without line break, and stops at a limit", () => {
    expect(parseCsv("a,b\n1,2", ",")).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["1", "2"] },
    ]);
    expect(parseCsv("h\n1\n2\n3\n", ",", 2)).toHaveLength(2);
  });
});

describe("column guesses", () => {
  it("maps German headers, the responsible person's e-mail apart from the learner's", () => {
    const headers = ["Personalnummer", "Vorname", "Nachname", "E-Mail", "Sprache", "Vorgesetzte(r)", "Vorgesetzte(r) E-Mail", "Schulung", "Zugewiesen am", "Fällig am", "Aktiv"];
    expect(guessMapping(headers)).toEqual({
      externalId: 0, firstName: 1, lastName: 2, email: 3, locale: 4, responsibleName: 5, responsibleEmail: 6,
      training: 7, assignedAt: 8, dueAt: 9, active: 10,
    });
  });

  it("maps English headers and leaves what is missing unmapped", () => {
    expect(guessMapping(["Email", "First name", "Last name", "Manager", "Manager email", "Course", "Due date"])).toEqual({
      email: 0, firstName: 1, lastName: 2, responsibleName: 3, responsibleEmail: 4, training: 5, dueAt: 6,
      externalId: null, locale: null, active: null, assignedAt: null,
    });
    expect(guessMapping(["Mail", "Vorname", "Name", "Verantwortlich", "Kurs", "Fällig"])).toMatchObject({
      email: 0, firstName: 1, lastName: 2, responsibleName: 3, training: 4, dueAt: 5,
    });
  });

  it("guesses no dates when the file has no training column", () => {
    expect(guessMapping(["E-Mail", "Vorname", "Nachname", "Fällig am"])).toMatchObject({ email: 0, dueAt: null, training: null });
  });

  it("the chosen mapping needs e-mail and names, and dates need the training", () => {
    const r = columnMappingSchema.safeParse({ email: "0", firstName: "", lastName: "2", dueAt: "3" });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["firstName", "learnerImport.columnRequired"],
      ["dueAt", "learnerImport.needsTraining"],
    ]);
    expect(columnMappingSchema.parse({ email: "0", firstName: 1, lastName: "2" })).toMatchObject({ email: 0, firstName: 1, lastName: 2, training: null });
  });
});

describe("dates in the tenant's zone", () => {
  const z = "Europe/Berlin";
  it("reads German and ISO dates; a due date without time is the end of that day", () => {
    expect(parseSheetDate("31.05.2026", z, "start")?.toISOString()).toBe("2026-05-30T22:00:00.000Z");
    expect(parseSheetDate("31.05.26", z, "end")?.toISOString()).toBe("2026-05-31T21:59:59.000Z");
    expect(parseSheetDate("2026-05-31", z, "start")?.toISOString()).toBe("2026-05-30T22:00:00.000Z");
    expect(parseSheetDate("1.2.2027 08:30", z, "end")?.toISOString()).toBe("2027-02-01T07:30:00.000Z");
    expect(parseSheetDate("2026-05-31 14:30:15", z, "start")?.toISOString()).toBe("2026-05-31T12:30:15.000Z");
    expect(parseSheetDate("2026-05-31T12:00:00Z", z, "start")?.toISOString()).toBe("2026-05-31T12:00:00.000Z");
    expect(parseSheetDate("31.05.2026", "UTC", "start")?.toISOString()).toBe("2026-05-31T00:00:00.000Z");
  });

  it("refuses what is not a day of the calendar", () => {
    for (const bad of ["31.02.2026", "2026-13-01", "morgen", "31/05/2026", "31.05.2026 25:00", ""]) {
      expect(parseSheetDate(bad, z, "start"), bad).toBeNull();
    }
  });
});

describe("rows", () => {
  const headers = ["E-Mail", "Vorname", "Nachname", "Sprache", "Aktiv", "Schulung", "Fällig am"];
  const mapping = guessMapping(headers);
  const ctx: RowContext = {
    headers,
    mapping,
    timezone: "Europe/Berlin",
    trainings: trainingLookup([
      { id: "t1", externalId: "FS-1", name: "Brandschutz" },
      { id: "t2", externalId: null, name: "Datenschutz" },
    ]),
    now: new Date("2026-05-01T08:00:00Z"),
  };
  const record = (line: number, fields: string[]) => ({ line, fields });

  it("without an external-id column the e-mail is the external id; trainings by id or name", () => {
    expect(rowOf(record(2, ["Juergen.Mueller@Example.com", "Jürgen", "Müßig", "Deutsch", "ja", "FS-1", "31.05.2026"]), ctx)).toEqual({
      ok: true,
      row: {
        learner: {
          externalId: "juergen.mueller@example.com",
          email: "juergen.mueller@example.com",
          firstName: "Jürgen",
          lastName: "Müßig",
          locale: "de",
          responsibleName: null,
          responsibleEmail: null,
          active: true,
        },
        assignment: { trainingId: "t1", assignedAt: new Date("2026-05-01T08:00:00Z"), dueAt: new Date("2026-05-31T21:59:59Z") },
      },
    });
    const byName = rowOf(record(3, ["a@example.com", "A", "B", "", "", "datenschutz", ""]), ctx);
    expect(byName.ok && byName.row.assignment).toEqual({ trainingId: "t2", assignedAt: ctx.now, dueAt: null });
    const noTraining = rowOf(record(4, ["a@example.com", "A", "B", "en", "nein", "", ""]), ctx);
    expect(noTraining.ok && noTraining.row).toEqual({
      learner: expect.objectContaining({ locale: "en", active: false }),
    });
  });

  it("refuses a row with every reason, each naming its column in German and English", () => {
    const result = rowOf(record(5, ["kein-mail", "", "Muster", "fr", "vielleicht", "Erste Hilfe", "31.02.2026"]), ctx);
    expect(result).toEqual({
      ok: false,
      refused: {
        line: 5,
        label: "Muster",
        reasons: [
          { de: "Spalte „Aktiv“: Bitte ja oder nein (auch 1 / 0, x oder leer für ja).", en: 'Column "Aktiv": Please yes or no (also 1 / 0, x, or empty for yes).' },
          { de: "Spalte „E-Mail“: Bitte eine gültige E-Mail-Adresse eingeben.", en: 'Column "E-Mail": Please enter a valid e-mail address.' },
          { de: "Spalte „Vorname“: Bitte ausfüllen.", en: 'Column "Vorname": Please fill this in.' },
          { de: "Spalte „Sprache“: Bitte eine der angebotenen Möglichkeiten wählen.", en: 'Column "Sprache": Please choose one of the offered options.' },
          {
            de: "Spalte „Schulung“: Keine Schulung dieses Mandanten hat diese externe ID oder diesen Namen: Erste Hilfe.",
            en: 'Column "Schulung": No training of this tenant has this external ID or name: Erste Hilfe.',
          },
          {
            de: "Spalte „Fällig am“: Kein Datum, das wir lesen können (z. B. 31.05.2026 oder 2026-05-31).",
            en: 'Column "Fällig am": Not a date we can read (e.g. 31.05.2026 or 2026-05-31).',
          },
        ],
      },
    });
  });

  it("a learner twice with the same training: the later lines are refused, pointing at the first", () => {
    const dup = duplicateRows(
      [
        record(2, ["a@example.com", "A", "B", "", "", "FS-1"]),
        record(3, ["b@example.com", "C", "D"]),
        record(4, ["a@example.com", "A", "B", "", "", "Datenschutz"]),
        record(5, ["A@example.com ", "A", "Again", "", "", "fs-1"]),
      ],
      ctx,
    );
    expect([...dup.values()]).toEqual([
      {
        line: 5,
        label: "A Again",
        reasons: [
          {
            de: "Spalte „E-Mail“: Dieselbe Person mit derselben Schulung steht schon in Zeile 2; nur die erste Zeile wird übernommen.",
            en: 'Column "E-Mail": The same person with the same training is already in line 2; only the first line is taken.',
          },
        ],
      },
    ]);
  });

  it("a mapping with an external-id column keys by it", () => {
    const m: ColumnMapping = { ...mapping, externalId: 7 };
    const r = rowOf(record(2, ["a@example.com", "A", "B", "", "", "", "", "P-100"]), { ...ctx, headers: [...headers, "ID"], mapping: m });
    expect(r.ok && r.row.learner.externalId).toBe("P-100");
  });
});
