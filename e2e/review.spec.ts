import crypto from "node:crypto";
import { parseEncryptionKeys } from "../lib/crypto/secret-box";
import { senderSettingsSchema } from "../lib/sender/sender-schema";
import { saveSenderSettings } from "../lib/sender/service";
import { createTenant, getTenantBySlug } from "../lib/tenants/queries";
import { createUser } from "../lib/users/queries";
import { expect, expectAccessible, PASSWORD, signIn, test } from "./fixtures";

// Issue 12 end to end: the review board and a tenant's review page are the consultants'
// (an admin gets 404); a consultant filters the board to "not ready", opens a tenant
// from its sending cell, fixes the sender, sees it ready, marks it reviewed with a note,
// and a later sender change shows as "changed since review" with the values before/after.

test("an admin gets 404 on the review board and on a review page", async ({ page, seedTenant }) => {
  const tenant = await seedTenant();
  await signIn(page, tenant.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  await expect(page.getByRole("link", { name: "Durchsicht", exact: true })).toHaveCount(0);
  for (const path of ["/review", `/review/${tenant.slug}`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Nicht gefunden" })).toBeVisible();
  }
});

test("a consultant finds a not-ready tenant on the board, fixes it, marks it reviewed, and sees a later change with its diff", async ({ page, db, seedTenant }) => {
  const tenant = await seedTenant();
  const row = (await getTenantBySlug(db, tenant.slug))!;
  // Own SMTP server, never tested: not ready, fixed on the sender page.
  const input = senderSettingsSchema({ noreplyAddresses: [], allowedPorts: [2525] }).parse({
    mode: "custom_smtp", host: "127.0.0.1", port: "2525", security: "none", acknowledgeNoTls: "on",
    fromAddress: `schulung@${tenant.slug}.example`, displayName: tenant.name, replyTo: "", ratePerMinute: "60", dailyQuota: "1000",
  });
  const keys = parseEncryptionKeys(`k1:${crypto.randomBytes(32).toString("base64")}`);
  await saveSenderSettings(db, { tenantId: row.id, actorUserId: null, via: "cli", input, keys, now: new Date() });
  const id = crypto.randomBytes(4).toString("hex");
  const consultant = { email: `consultant-${id}@example.com`, name: `Rita Berater ${id}` };
  await createUser(db, { ...consultant, role: "consultant", password: PASSWORD });

  await signIn(page, consultant.email);
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
  await page.getByRole("link", { name: "Durchsicht", exact: true }).click();
  await expect(page).toHaveURL(/\/review$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectAccessible(page);

  // Filter: this tenant, not ready.
  await page.getByLabel("Name oder Kürzel").fill(tenant.slug);
  await page.getByLabel("Versand", { exact: true }).selectOption("not_ready");
  await page.getByRole("button", { name: "Anwenden" }).click();
  await expect(page).toHaveURL(/ready=not_ready/);
  const boardRow = page.locator(`[data-testid="review-row"][data-slug="${tenant.slug}"]`);
  await expect(boardRow).toHaveCount(1);
  await expect(page.getByTestId("review-row")).toHaveCount(1);
  const sending = boardRow.getByTestId("review-cell-sending");
  await expect(sending).toContainText("Nicht bereit");
  await expect(boardRow.getByTestId("review-cell-review")).toHaveText("Nicht durchgesehen");

  // The sending cell links to where it is fixed: the sender page.
  await sending.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}/sender$`));
  await page.getByRole("radio", { name: /^Plattform-Adresse/ }).check();
  await page.getByLabel("Antwortadresse (Reply-To)").fill(`team@${tenant.slug}.example`);
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByTestId("sender-form").getByTestId("form-status")).toContainText("Die Einstellungen sind gespeichert.");
  await expect(page.getByTestId("sender-status")).toContainText("Plattform-Adresse: bereit zum Versand");

  // Back on the board: ready now, so the "not ready" filter no longer lists it.
  await page.goto(`/review?q=${tenant.slug}&ready=not_ready`);
  await expect(page.getByTestId("review-empty")).toBeVisible();
  await page.goto(`/review?q=${tenant.slug}`);
  await expect(boardRow.getByTestId("review-cell-sending")).toContainText("Bereit");
  await expect(boardRow.getByTestId("review-cell-sending")).not.toContainText("Nicht bereit");

  // Its review page, from the board's review cell.
  await boardRow.getByTestId("review-cell-review").getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/review/${tenant.slug}$`));
  await expect(page.getByRole("heading", { level: 1, name: `Durchsicht: ${tenant.name}` })).toBeVisible();
  await expect(page.getByTestId("review-state")).toHaveText("Noch nicht durchgesehen.");
  // The tenant's current row of the board: ready now; not yet reviewed still costs its points.
  await expect(page.getByTestId("review-now-sending")).toContainText("Bereit · Plattform-Adresse");
  await expect(page.getByTestId("review-now-health")).toContainText("95 – gut");
  await expect(page.getByTestId("review-now-health").locator('[data-rule="review"]')).toBeVisible();
  await expectAccessible(page);

  // A note that is too long is refused with the field named, and nothing is recorded.
  const note = page.getByLabel("Notiz (optional)");
  await note.fill("x".repeat(2001));
  await page.getByRole("button", { name: "Als durchgesehen markieren" }).click();
  await expect(page.getByText("Die Notiz darf höchstens 2000 Zeichen lang sein.")).toBeVisible();
  await expect(page.getByTestId("review-state")).toHaveText("Noch nicht durchgesehen.");

  await note.fill("Absender auf Plattform-Adresse umgestellt, Antwortadresse gesetzt.");
  await page.getByRole("button", { name: "Als durchgesehen markieren" }).click();
  await expect(page.getByTestId("mark-reviewed-form").getByTestId("form-status")).toHaveText("Als durchgesehen markiert.");
  await expect(page.getByTestId("review-state")).toContainText(`Durchgesehen von ${consultant.name} am`);
  await expect(page.getByTestId("review-now-health")).toContainText("100 – gut");
  await expect(page.getByTestId("review-history")).toContainText("Absender auf Plattform-Adresse umgestellt, Antwortadresse gesetzt.");
  await expect(page.getByTestId("review-changes")).toContainText("Seitdem hat sich nichts geändert");

  // A later sender change: the board and the review page say "changed since review", with the diff.
  await page.getByRole("link", { name: "Absender", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}/sender$`));
  const newName = `Akademie ${id}`;
  await page.getByLabel("Anzeigename").fill(newName);
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByTestId("sender-form").getByTestId("form-status")).toContainText("Die Einstellungen sind gespeichert.");

  await page.goto(`/review?q=${tenant.slug}`);
  await expect(boardRow.getByTestId("review-cell-review")).toHaveText("Seit der Durchsicht geändert (1 Änderung)");
  await boardRow.getByTestId("review-cell-review").getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/review/${tenant.slug}$`));
  const state = page.getByTestId("review-state");
  await expect(state).toHaveAttribute("data-status", "changed");
  await expect(state).toContainText(`Seit der Durchsicht geändert: 1 Änderung nach der Durchsicht durch ${consultant.name}`);
  const change = page.locator('[data-testid="review-change"][data-kind="sender"]');
  await expect(change.getByRole("heading", { name: "Absender-Einstellungen" })).toBeVisible();
  const field = change.locator('[data-testid="review-field"][data-field="displayName"]');
  await expect(field.getByRole("rowheader")).toHaveText("Anzeigename");
  await expect(field.getByTestId("review-before")).toHaveText(tenant.name);
  await expect(field.getByTestId("review-after")).toHaveText(newName);
  await expect(change).toContainText(`Geändert von: ${consultant.name},`);
  await expectAccessible(page);
});

test("the board pages by 50: 51 matching organisations are two pages, and paging keeps the filter", async ({ page, db }) => {
  const id = crypto.randomBytes(4).toString("hex");
  const prefix = `pg${id}`;
  for (let i = 0; i < 51; i++) {
    await createTenant(db, { slug: `${prefix}-${String(i).padStart(2, "0")}`, name: `Seitenfirma ${id} ${i}`, timezone: "Europe/Berlin", locale: "de" });
  }
  const consultant = { email: `consultant-pages-${id}@example.com`, name: `Berater ${id}` };
  await createUser(db, { ...consultant, role: "consultant", password: PASSWORD });
  await signIn(page, consultant.email);
  await expect(page.getByTestId("signed-in-as")).toBeVisible();

  await page.goto(`/review?q=${prefix}`);
  const pager = page.getByRole("navigation", { name: "Seiten der Durchsicht" });
  await expect(page.getByTestId("review-row")).toHaveCount(50);
  await expect(pager).toContainText("Seite 1 von 2");
  await expect(pager.getByRole("link", { name: "Zurück" })).toHaveCount(0);
  await pager.getByRole("link", { name: "Weiter" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${prefix}.*page=2`));
  await expect(page.getByTestId("review-row")).toHaveCount(1);
  await expect(pager).toContainText("Seite 2 von 2");
  await expect(pager.getByRole("link", { name: "Weiter" })).toHaveCount(0);
  await pager.getByRole("link", { name: "Zurück" }).click();
  await expect(page).toHaveURL(new RegExp(`/review\\?q=${prefix}$`));
  await expect(page.getByTestId("review-row")).toHaveCount(50);
});
