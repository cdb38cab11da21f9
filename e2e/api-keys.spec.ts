import fs from "node:fs";
import { authenticateApiKey } from "../lib/api-keys/service";
import { E2E_SERVER_LOG } from "../playwright.config";
import { expect, expectAccessible, islandsReady, signIn, test } from "./fixtures";

// The API keys page end to end: a key is shown once, copied, works, is gone after a
// reload, and is revoked after a confirmation; trainers do not get the page at all.

test("an admin creates a key, copies it once, and revokes it after confirming", async ({ page, context, db, seedTenant }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const tenant = await seedTenant();
  await signIn(page, tenant.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  await page.getByRole("navigation", { name: "Bereiche" }).getByRole("link", { name: "API-Schlüssel", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}/api-keys$`));
  await expect(page.getByRole("heading", { name: "API-Schlüssel", level: 1 })).toBeVisible();
  await expect(page.getByText("Es gibt noch keinen Schlüssel.")).toBeVisible();
  await expect(page.getByTestId("api-base-url")).toHaveText(/^http:\/\/localhost:\d+\/api\/v1$/);
  await expect(page.getByRole("link", { name: "Zur API-Beschreibung" })).toHaveAttribute("href", "/docs/api");
  await islandsReady(page);

  // A missing name is a field error, not a key.
  await page.getByRole("button", { name: "Schlüssel erstellen" }).click();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);

  await page.getByLabel("Name").fill("Moodle Produktion");
  await page.getByLabel("Gültig bis (freiwillig)").fill("2099-12-31");
  await page.getByRole("button", { name: "Schlüssel erstellen" }).click();
  const box = page.getByTestId("new-api-key");
  await expect(box).toContainText("Schlüssel „Moodle Produktion“ wurde erstellt.");
  await expect(box).toContainText("Er wird nicht noch einmal angezeigt");
  await expect(box).toBeFocused();
  const field = page.getByLabel("API-Schlüssel", { exact: true });
  const key = await field.inputValue();
  expect(key).toMatch(/^pst_[A-Za-z0-9_-]{43}$/);

  await box.getByRole("button", { name: "Schlüssel kopieren" }).click();
  await expect(page.getByTestId("copy-status")).toHaveText("In die Zwischenablage kopiert.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  const row = page.getByTestId(`api-key-${key.slice(0, 12)}`);
  await expect(row).toContainText(`${key.slice(0, 12)}…`);
  await expect(row).toContainText("aktiv");
  await expect(row).toContainText(`Admin ${tenant.slug.slice(2)}`);
  await expect(row).toContainText("Ende des 31.12.2099");
  await expect(row).toContainText("nie");
  await expectAccessible(page);

  // The key works for this tenant's API.
  const auth = await authenticateApiKey(db, { authorization: `Bearer ${key}`, now: new Date() });
  expect(auth).toMatchObject({ ok: true, tenant: { slug: tenant.slug } });

  // Never again: not after a reload, not in the server's log.
  await page.reload();
  await expect(page.getByRole("heading", { name: "API-Schlüssel", level: 1 })).toBeVisible();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  expect(await page.content()).not.toContain(key.slice(12));
  await expect(row).not.toContainText("nie");
  expect(fs.readFileSync(E2E_SERVER_LOG, "utf8")).not.toContain(key.slice(12));
  await islandsReady(page);

  // Revoking asks first; cancelling keeps the key.
  await row.getByRole("button", { name: "Schlüssel „Moodle Produktion“ widerrufen" }).click();
  await expect(row.getByText("Schlüssel „Moodle Produktion“ widerrufen? Programme, die ihn benutzen")).toBeFocused();
  await row.getByRole("button", { name: "Abbrechen" }).click();
  await expect(row.getByRole("button", { name: "Schlüssel „Moodle Produktion“ widerrufen" })).toBeFocused();
  await expect(row).toContainText("aktiv");

  await row.getByRole("button", { name: "Schlüssel „Moodle Produktion“ widerrufen" }).click();
  await row.getByRole("button", { name: "Ja, widerrufen" }).click();
  await expect(row.getByRole("status")).toHaveText("Schlüssel „Moodle Produktion“ wurde widerrufen.");
  await expect(row).toContainText("widerrufen");
  await expect(row.getByRole("button")).toHaveCount(0);
  expect(await authenticateApiKey(db, { authorization: `Bearer ${key}`, now: new Date() })).toEqual({ ok: false, reason: "revoked" });
  await expectAccessible(page);

  await page.reload();
  await expect(row).toContainText("widerrufen");
  await expect(row).toContainText(`${key.slice(0, 12)}…`);
});

test("a trainer gets 404 for the API keys page and no navigation entry", async ({ page, seedTenant }) => {
  const tenant = await seedTenant();
  await signIn(page, tenant.trainer.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  await expect(page.getByRole("navigation", { name: "Bereiche" }).getByRole("link", { name: "Erinnerungen", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "API-Schlüssel" })).toHaveCount(0);
  const response = await page.goto(`/t/${tenant.slug}/api-keys`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Nicht gefunden" })).toBeVisible();
  await expectAccessible(page);
});
