import fs from "node:fs";
import { expect, expectAccessible, islandsReady, signIn, test } from "./fixtures";

// The audit trail end to end: an admin changes the sender and creates an API key, finds
// both in the trail with before/after, filters by area, downloads the CSV (German Excel:
// BOM, ";"), and a trainer gets 404.

test("an admin sees a change with before/after, filters by area and downloads the CSV", async ({ page, seedTenant }) => {
  const tenant = await seedTenant();
  await signIn(page, tenant.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  const sections = page.getByRole("navigation", { name: "Bereiche" });

  // A change: the sender's display name and Reply-To, saved.
  await sections.getByRole("link", { name: "Absender", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}/sender$`));
  await expect(page.getByRole("heading", { name: "Absender", level: 1 })).toBeVisible();
  await islandsReady(page);
  await page.getByLabel("Anzeigename").fill("Akademie Süd");
  await page.getByLabel("Antwortadresse (Reply-To)").fill(`team@${tenant.slug}.example`);
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByTestId("sender-form").getByTestId("form-status")).toContainText("Die Einstellungen sind gespeichert.");

  // Another area: an API key.
  await sections.getByRole("link", { name: "API-Schlüssel", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}/api-keys$`));
  await expect(page.getByRole("heading", { name: "API-Schlüssel", level: 1 })).toBeVisible();
  await islandsReady(page);
  await page.getByLabel("Name").fill("Moodle");
  await page.getByRole("button", { name: "Schlüssel erstellen" }).click();
  await expect(page.getByTestId("new-api-key")).toBeVisible();
  const key = await page.getByLabel("API-Schlüssel", { exact: true }).inputValue();

  await sections.getByRole("link", { name: "Protokoll", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}/audit$`));
  await expect(page.getByRole("heading", { name: "Protokoll", level: 1 })).toBeVisible();
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("API-Schlüssel angelegt");
  const senderRow = rows.nth(1);
  await expect(senderRow).toContainText("Absender-Einstellungen gespeichert");
  await expect(senderRow).toContainText(`Admin ${tenant.slug.slice(2)}`);
  await expect(senderRow).toContainText("Absender");
  // Before/after one click away, by keyboard.
  const details = senderRow.getByText("Details");
  await details.focus();
  await page.keyboard.press("Enter");
  await expect(senderRow.getByRole("term").filter({ hasText: "displayName:" })).toBeVisible();
  await expect(senderRow.getByRole("definition").filter({ hasText: /^vorher — → nachher Akademie Süd$/ })).toBeVisible();
  expect(await page.content()).not.toContain(key.slice(12));
  await expectAccessible(page);

  // Filter by area (a GET form: the address says what is shown).
  await page.getByLabel("Bereich", { exact: true }).selectOption("apikeys");
  await page.getByRole("button", { name: "Anzeigen" }).click();
  await expect(page).toHaveURL(/area=apikeys/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("API-Schlüssel angelegt");

  // The CSV of what is shown.
  const downloading = page.waitForEvent("download");
  await page.getByTestId("audit-export").click();
  const download = await downloading;
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(csv.startsWith("\uFEFF")).toBe(true);
  const lines = csv.slice(1).split("\r\n").filter(Boolean);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toBe('"Zeit";"Wer";"Bereich";"Was";"Aktion";"Betrifft";"Details"');
  expect(lines[1]).toMatch(new RegExp(`^"\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}";"Admin ${tenant.slug.slice(2)}";"API-Schlüssel";"API-Schlüssel angelegt";"apikey.create";`));
  expect(csv).not.toContain(key.slice(12));

  // Back to everything: the sender change is in the unfiltered CSV too.
  await page.getByRole("link", { name: "Filter zurücksetzen" }).click();
  await expect(rows).toHaveCount(2);
  const all = await page.request.get(`/t/${tenant.slug}/audit/export`);
  expect(all.status()).toBe(200);
  expect(all.headers()["content-type"]).toContain("text/csv");
  expect(await all.text()).toContain('"sender.save"');
});

test("a trainer gets 404 for the audit trail and its CSV, and no navigation entry", async ({ page, seedTenant }) => {
  const tenant = await seedTenant();
  await signIn(page, tenant.trainer.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  await expect(page.getByRole("link", { name: "Protokoll" })).toHaveCount(0);
  const response = await page.goto(`/t/${tenant.slug}/audit`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Nicht gefunden" })).toBeVisible();
  await expectAccessible(page);
  expect((await page.request.get(`/t/${tenant.slug}/audit/export`)).status()).toBe(404);
});
