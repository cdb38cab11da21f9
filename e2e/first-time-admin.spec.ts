import type { Page } from "@playwright/test";
import { createTraining } from "../lib/reminders/queries";
import { getTenantBySlug } from "../lib/tenants/queries";
import { expect, expectAccessible, islandsReady, signIn, test } from "./fixtures";
import { createDuePlan } from "./reminder-plans";

// What a first-time customer admin meets (issue 9): the sender form after saving, honest
// "sending is blocked" and where the keyboard focus lands after a save. No SMTP server is
// needed: nothing here sends mail.

async function openSender(page: Page, slug: string) {
  await page.goto(`/t/${slug}/sender`);
  await islandsReady(page);
  await expect(page.getByRole("heading", { name: "Absender", level: 1 })).toBeVisible();
}

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const status = (page: Page) => page.getByTestId("sender-form").getByTestId("form-status");

test("after switching the mode and saving, the form shows exactly what was saved", async ({ page, seedTenant }) => {
  const tenant = await seedTenant();
  await signIn(page, tenant.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  await openSender(page, tenant.slug);

  await page.getByRole("radio", { name: /^Eigene Domain/ }).check();
  await page.getByLabel("Absenderadresse", { exact: true }).fill(`schulung@${tenant.slug}.example`);
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(status(page)).toContainText("Die Einstellungen sind gespeichert.");

  await page.getByRole("radio", { name: /^Plattform-Adresse/ }).check();
  await page.getByLabel("Antwortadresse (Reply-To)").fill(`antworten@${tenant.slug}.example`);
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByTestId("sender-status")).toContainText("Plattform-Adresse: bereit zum Versand");
  await expect(page.getByRole("radio", { name: /^Plattform-Adresse/ })).toBeChecked();
  await expect(page.getByRole("radio", { name: /^Eigene Domain/ })).not.toBeChecked();
  await expect(page.getByLabel("Antwortadresse (Reply-To)")).toHaveValue(`antworten@${tenant.slug}.example`);

  // Saving again unchanged saves the same thing — no error about a field that is not on screen.
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(status(page)).toContainText("Die Einstellungen sind gespeichert.");
  await expect(status(page)).not.toContainText("Bitte prüfen");
  await page.reload();
  await expect(page.getByRole("radio", { name: /^Plattform-Adresse/ })).toBeChecked();
});

test("an acknowledgement checkbox is not named as a field to fix", async ({ page, seedTenant }) => {
  const tenant = await seedTenant();
  await signIn(page, tenant.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  await openSender(page, tenant.slug);
  await page.getByLabel("Antwortadresse (Reply-To)").fill("");
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(status(page)).toHaveText("Bitte bestätigen Sie den markierten Hinweis.");
  // Focus lands on what needs the user's attention: the unticked confirmation.
  await expect(page.getByLabel("Ich möchte trotzdem ohne Antwortadresse speichern.")).toBeFocused();
});

test("focus moves to the first invalid field or to the message after a save", async ({ page, seedTenant }) => {
  const tenant = await seedTenant();
  await signIn(page, tenant.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  await openSender(page, tenant.slug);

  await page.getByLabel("Antwortadresse (Reply-To)").fill(`antworten@${tenant.slug}.example`);
  await page.getByLabel("Mails pro Minute").fill("0");
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByLabel("Mails pro Minute")).toBeFocused();

  await page.getByLabel("Mails pro Minute").fill("30");
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByText("Die Einstellungen sind gespeichert.")).toBeFocused();

  // The same on the users page: the success message of a new user takes the focus.
  await page.goto(`/t/${tenant.slug}/users`);
  await page.getByLabel("E-Mail-Adresse").fill(`neu-${tenant.slug}@example.com`);
  await page.getByLabel("Name").fill("Neue Trainerin");
  await page.getByLabel("Passwort").fill("ein-langes-passwort-123");
  await page.getByRole("button", { name: "Anlegen" }).click();
  await expect(page.getByTestId("form-status").locator("p")).toBeFocused();
});

test("while the tenant cannot send, the mode cards, the reminders page and each active plan say so", async ({ page, seedTenant, db }) => {
  const seeded = await seedTenant();
  const tenant = (await getTenantBySlug(db, seeded.slug))!;
  const training = await createTraining(db, { tenantId: tenant.id, name: "Brandschutz", externalId: null, linkUrl: null });
  await createDuePlan(db, { tenantId: tenant.id, trainingId: training.id, name: "Vor der Frist", endDate: isoDay(200) });
  await signIn(page, seeded.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${seeded.slug}$`));

  // Before choosing: each mode says whether this platform offers it (the e2e server has a relay).
  await openSender(page, seeded.slug);
  for (const mode of ["platform", "customer_domain", "custom_smtp"]) {
    await expect(page.getByTestId(`mode-card-${mode}`).getByTestId("mode-availability")).toHaveText("Auf dieser Plattform verfügbar");
  }

  await page.goto(`/t/${seeded.slug}/reminders`);
  const banner = page.getByTestId("sending-blocked");
  await expect(banner).toContainText("Es werden keine Erinnerungen verschickt");
  await expect(banner).toContainText("Es ist noch keine Versandart gespeichert.");
  await expect(page.getByTestId("plan-row-Vor der Frist")).toContainText("Aktiv, aber blockiert");
  await expectAccessible(page);
  await banner.getByRole("link", { name: "Versand einrichten" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${seeded.slug}/sender$`));

  // Own domain chosen but not yet checked and proven: still blocked, now with those reasons.
  await page.getByRole("radio", { name: /^Eigene Domain/ }).check();
  await page.getByLabel("Absenderadresse", { exact: true }).fill(`schulung@${seeded.slug}.example`);
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(status(page)).toContainText("Die Einstellungen sind gespeichert.");
  await page.goto(`/t/${seeded.slug}/reminders`);
  await expect(banner).toContainText(`Die Domain ${seeded.slug}.example wurde noch nicht geprüft`);
  await expect(banner).toContainText(`Die Absenderadresse schulung@${seeded.slug}.example ist noch nicht bestätigt`);
  await expect(page.getByTestId("plan-row-Vor der Frist")).toContainText("Aktiv, aber blockiert");
});
