import { createTraining } from "../lib/reminders/queries";
import { getTenantBySlug } from "../lib/tenants/queries";
import { encodeWindows1252 } from "../lib/learners/csv/decode";
import { expect, expectAccessible, islandsReady, signIn, test } from "./fixtures";

// Issue 10, CSV import: a German admin imports the list as Excel saved it
// (semicolons, Windows-1252), with two rows that cannot be taken.

function excelFile(): Buffer {
  const lines = [
    "Personalnummer;Vorname;Nachname;E-Mail;Vorgesetzte(r);Schulung;Fällig am",
    "P-001;Jürgen;Müßig;juergen.muessig@example.com;Bärbel Groß;BS-1;31.05.2026",
    ...Array.from({ length: 20 }, (_, i) => `P-${String(i + 2).padStart(3, "0")};Anna ${i};Ährlich;anna${i}@example.com;;Brandschutz;30.06.26`),
    "P-100;Kein;Mailer;keine-adresse;;BS-1;31.05.2026",
    "P-101;Erika;Fremd;erika@example.com;;Erste Hilfe;31.05.2026",
  ];
  return Buffer.from(encodeWindows1252(lines.join("\r\n") + "\r\n"));
}

test("an admin imports a semicolon Windows-1252 CSV: detected, mapped, checked, imported with a report", async ({ page, seedTenant, db }) => {
  test.setTimeout(120_000);
  const seeded = await seedTenant("de");
  const tenant = (await getTenantBySlug(db, seeded.slug))!;
  await createTraining(db, { tenantId: tenant.id, name: "Brandschutz", externalId: "BS-1", linkUrl: null });
  await signIn(page, seeded.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${seeded.slug}$`));
  await page.goto(`/t/${seeded.slug}/learners/import`);
  await islandsReady(page);
  await expect(page.getByRole("heading", { name: "CSV-Import" })).toBeVisible();

  await page.getByLabel("CSV-Datei").setInputFiles({ name: "mitarbeiter.csv", mimeType: "text/csv", buffer: excelFile() });
  await page.getByRole("button", { name: "Hochladen" }).click();

  // Detected and previewed with the umlauts intact.
  await expect(page.getByTestId("import-encoding")).toHaveText("Windows-1252 (ANSI)");
  await expect(page.getByTestId("import-separator")).toHaveText("Semikolon (;)");
  const preview = page.getByRole("region", { name: "Vorschau der Datei" });
  await expect(preview.getByRole("columnheader", { name: "Fällig am" })).toBeVisible();
  await expect(preview.getByRole("cell", { name: "Müßig" })).toBeVisible();

  // The mapping is guessed from the German headings.
  await expect(page.getByLabel("E-Mail (Pflicht)")).toHaveValue("3");
  await expect(page.getByLabel("Vorname (Pflicht)")).toHaveValue("1");
  await expect(page.getByLabel("Nachname (Pflicht)")).toHaveValue("2");
  await expect(page.getByLabel("Externe ID (ohne: die E-Mail)")).toHaveValue("0");
  await expect(page.getByLabel("Vorgesetzte(r)")).toHaveValue("4");
  await expect(page.getByLabel("Schulung (externe ID oder Name)")).toHaveValue("5");
  await expect(page.getByLabel("Fällig am")).toHaveValue("6");
  await expect(page.getByLabel("Zugewiesen am")).toHaveValue("");
  await expectAccessible(page);

  // The dry run lists both bad rows with line and reason; nothing is saved yet.
  await page.getByRole("button", { name: "Prüfen (Probelauf)" }).click();
  await expect(page.getByRole("heading", { name: "3. Ergebnis der Probe" })).toBeFocused();
  await expect(page.getByTestId("check-summary")).toContainText("21 Lernende neu angelegt");
  const refused = page.getByTestId("refused-rows");
  await expect(refused.getByRole("row")).toHaveCount(3);
  await expect(refused.getByRole("row").nth(1)).toContainText("23");
  await expect(refused.getByRole("row").nth(1)).toContainText("Kein Mailer");
  await expect(refused.getByRole("row").nth(1)).toContainText("Spalte „E-Mail“: Bitte eine gültige E-Mail-Adresse eingeben.");
  await expect(refused.getByRole("row").nth(2)).toContainText("24");
  await expect(refused.getByRole("row").nth(2)).toContainText("Keine Schulung dieses Mandanten hat diese externe ID oder diesen Namen: Erste Hilfe.");
  await expectAccessible(page);

  // Import: the progress bar runs to the end, then the report.
  await page.getByRole("button", { name: "Importieren" }).click();
  const bar = page.getByRole("progressbar", { name: "Fortschritt des Imports" });
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute("aria-valuemax", "23");
  await expect(page.getByTestId("import-report")).toBeVisible();
  await expect(bar).toHaveAttribute("aria-valuenow", "23");
  await expect(page.getByTestId("import-progress")).toHaveText("23 von 23 Zeilen verarbeitet");
  const counts = page.getByTestId("import-report").getByTestId("import-counts");
  await expect(counts.locator('[data-count="created"]')).toHaveText("21");
  await expect(counts.locator('[data-count="updated"]')).toHaveText("0");
  await expect(counts.locator('[data-count="unchanged"]')).toHaveText("0");
  await expect(counts.locator('[data-count="refused"]')).toHaveText("2");
  await expectAccessible(page);

  // After a reload the list of imports shows it done.
  await page.reload();
  await expect(page.getByTestId("import-history").getByRole("row").nth(1)).toContainText("mitarbeiter.csv");
  await expect(page.getByTestId("import-history").getByRole("row").nth(1)).toContainText("fertig");
  await expect(page.getByTestId("import-history").getByRole("row").nth(1)).toContainText("21 / 0 / 0 / 2");
});

test("a long check and import show their progress; a reload during the import shows it again, then the report", async ({ page, seedTenant }) => {
  test.setTimeout(180_000);
  const seeded = await seedTenant("de");
  await signIn(page, seeded.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${seeded.slug}$`));
  await page.goto(`/t/${seeded.slug}/learners/import`);
  await islandsReady(page);
  const rows = 20_000;
  const lines = ["E-Mail;Vorname;Nachname", ...Array.from({ length: rows }, (_, i) => `person${i}@example.com;Person;Nummer ${i}`)];
  await page.getByLabel("CSV-Datei").setInputFiles({ name: "gross.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\r\n")) });
  await page.getByRole("button", { name: "Hochladen" }).click();
  await expect(page.getByTestId("import-encoding")).toHaveText("UTF-8");
  await page.getByRole("button", { name: "Prüfen (Probelauf)" }).click();
  // 20,000 rows take the server a few seconds to check (more than the page's first
  // poll after 500 ms): meanwhile the page shows how far it has come.
  await expect(page.getByRole("progressbar", { name: "Fortschritt der Probe" })).toHaveAttribute("aria-valuetext", /^[\d.]+ von 20\.000 Zeilen geprüft$/);
  await expect(page.getByTestId("check-summary")).toContainText("20.000 Lernende neu angelegt", { timeout: 60_000 });
  await page.getByRole("button", { name: "Importieren" }).click();
  await expect(page.getByRole("progressbar")).toBeVisible();

  await page.reload();
  await islandsReady(page);
  const bar = page.getByRole("progressbar", { name: "Fortschritt des Imports" });
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute("aria-valuemax", String(rows));
  await expect(page.getByTestId("import-report")).toBeVisible({ timeout: 120_000 });
  await expect(bar).toHaveAttribute("aria-valuenow", String(rows));
  await expect(page.getByTestId("import-report").locator('[data-count="created"]')).toHaveText("20.000");
});

test("a trainer cannot open the import", async ({ page, seedTenant }) => {
  const seeded = await seedTenant("de");
  await signIn(page, seeded.trainer.email);
  await expect(page).toHaveURL(new RegExp(`/t/${seeded.slug}$`));
  const response = await page.goto(`/t/${seeded.slug}/learners/import`);
  expect(response?.status()).toBe(404);
});
