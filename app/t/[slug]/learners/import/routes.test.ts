import { beforeAll, expect, it } from "vitest";
import { setProcessDb } from "@/lib/db";
import { encodeWindows1252 } from "@/lib/learners/csv";
import { forEachDatabase } from "@/lib/testing/databases";
import { seedTwoTenants, type TwoTenants } from "@/lib/testing/tenants";
import { runWithTestSession } from "@/app/_server/request-context";
import { GET, POST } from "./[importId]/route";
import { POST as UPLOAD } from "./upload/route";

// The page's three requests as the browser sends them: multipart upload, JSON check
// and run, and the progress poll until the import is done.
forEachDatabase("learner import routes", (db) => {
  const ids = {} as TwoTenants;
  beforeAll(async () => {
    setProcessDb(db());
    Object.assign(ids, await seedTwoTenants(db(), { prefix: "imp" }));
  });

  const as = <T>(userId: string, fn: () => Promise<T>) => runWithTestSession({ userId, locale: "de" }, fn);
  const ctx = (slug: string, importId = "") => ({ params: Promise.resolve({ slug, importId }) });
  const upload = (slug: string, bytes: Uint8Array) => {
    const form = new FormData();
    form.set("file", new File([bytes as BlobPart], "liste.csv", { type: "text/csv" }));
    return UPLOAD(new Request(`http://localhost/t/${slug}/learners/import/upload`, { method: "POST", body: form }), ctx(slug));
  };
  const post = (slug: string, importId: string, body: unknown) =>
    POST(
      new Request(`http://localhost/t/${slug}/learners/import/${importId}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
      ctx(slug, importId),
    );
  const get = (slug: string, importId: string, query = "") => GET(new Request(`http://localhost/t/${slug}/learners/import/${importId}${query}`), ctx(slug, importId));

  it("upload → check → run → poll: a Windows-1252 file with a bad row is imported, the bad row reported in German", async () => {
    const bytes = encodeWindows1252("Vorname;Nachname;E-Mail;Fällig am\r\nJürgen;Müßig;jm@example.com;\r\nBad;Row;nope;\r\n");
    const up = await as(ids.adminA, () => upload("imp-a", bytes));
    expect(up.status).toBe(201);
    const detail = await up.json();
    expect(detail).toMatchObject({ encoding: "windows-1252", separator: ";", totalRows: 2, headers: ["Vorname", "Nachname", "E-Mail", "Fällig am"] });

    // Another tenant's admin and a trainer see nothing of it.
    expect((await as(ids.adminB, () => get("imp-a", detail.id))).status).toBe(404);
    expect((await as(ids.adminB, () => get("imp-b", detail.id))).status).toBe(404);
    expect((await as(ids.trainerA, () => get("imp-a", detail.id))).status).toBe(404);
    expect((await as(ids.adminB, () => post("imp-b", detail.id, { step: "run" }))).status).toBe(404);

    const checked = await as(ids.adminA, () => post("imp-a", detail.id, { step: "check", mapping: detail.mapping }));
    const check = await checked.json();
    expect(checked.status, JSON.stringify(check)).toBe(200);
    expect(check.import).toMatchObject({ status: "checked", created: 1, refused: 1 });
    expect(check.refused.items).toEqual([
      { line: 3, label: "Bad Row", reasons: [{ de: "Spalte „E-Mail“: Bitte eine gültige E-Mail-Adresse eingeben.", en: 'Column "E-Mail": Please enter a valid e-mail address.' }] },
    ]);

    const started = await as(ids.adminA, () => post("imp-a", detail.id, { step: "run" }));
    expect(started.status).toBe(202);
    let view: { status: string; processedRows: number; created: number } | undefined;
    for (let i = 0; i < 100; i++) {
      view = (await (await as(ids.adminA, () => get("imp-a", detail.id))).json()).import;
      if (view?.status === "done") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(view).toMatchObject({ status: "done", processedRows: 2, created: 1 });
    const page = await (await as(ids.adminA, () => get("imp-a", detail.id, "?refused=0"))).json();
    expect(page.refused.total).toBe(1);
  });

  it("refuses a mapping without e-mail with the field's words, and a body that is not a form", async () => {
    const up = await as(ids.adminA, () => upload("imp-a", new TextEncoder().encode("a,b\n1,2\n")));
    const detail = await up.json();
    const checked = await as(ids.adminA, () => post("imp-a", detail.id, { step: "check", mapping: { firstName: 0, lastName: 1 } }));
    expect(checked.status).toBe(400);
    expect((await checked.json()).fieldErrors).toEqual({ email: "Bitte die Spalte für dieses Feld wählen." });
    const notForm = await as(ids.adminA, () =>
      UPLOAD(new Request("http://localhost/t/imp-a/learners/import/upload", { method: "POST", body: "a;b\n1;2", headers: { "content-type": "text/csv" } }), ctx("imp-a")),
    );
    expect(notForm.status).toBe(415);
    const big = new FormData();
    big.set("file", new File([new Uint8Array(10 * 1024 * 1024 + 70 * 1024)], "big.csv"));
    const tooBig = await as(ids.adminA, () => UPLOAD(new Request("http://localhost/t/imp-a/learners/import/upload", { method: "POST", body: big }), ctx("imp-a")));
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json()).error).toBe("Die Datei ist größer als 10 MB.");
  });
});
