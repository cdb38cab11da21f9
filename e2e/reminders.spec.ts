import type { Page } from "@playwright/test";
import { createTraining } from "../lib/reminders/queries";
import { getTenantBySlug } from "../lib/tenants/queries";
import { expect, expectAccessible, islandsReady, signIn, test } from "./fixtures";
import { createDuePlan, fillDailyPlan } from "./reminder-plans";

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function reminderCount(page: Page) {
  return page.getByTestId("timeline").locator('[data-kind="reminder"]').count();
}

test.describe("reminder plans", () => {
  test("an admin creates a training and a plan and the preview follows the fields", async ({ page, seedTenant }) => {
    const tenant = await seedTenant();
    await signIn(page, tenant.admin.email);
    await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
    await page.getByRole("navigation", { name: "Bereiche" }).getByRole("link", { name: "Erinnerungen" }).click();
    await expect(page.getByRole("heading", { name: "Erinnerungen", level: 1 })).toBeVisible();
    await expect(page.getByTestId("volume-statement")).toContainText("sobald es Lernende");
    await expectAccessible(page);

    // A bad link names the field; nothing is created.
    await page.getByLabel("Name", { exact: true }).fill("Brandschutz");
    await page.getByLabel("Link zur Schulung (optional)").fill("javascript:alert(1)");
    await page.getByRole("button", { name: "Schulung anlegen" }).click();
    await expect(page.getByText("Bitte eine vollständige Webadresse eingeben, die mit https:// oder http:// beginnt.")).toBeVisible();
    await page.getByLabel("Link zur Schulung (optional)").fill("https://lms.example.com/brandschutz");
    await page.getByRole("button", { name: "Schulung anlegen" }).click();
    await expect(page.getByTestId("form-status")).toContainText("Die Schulung „Brandschutz“ wurde angelegt.");

    await page.getByRole("link", { name: "Neuer Plan für Brandschutz" }).click();
    await expect(page.getByRole("heading", { name: "Neuer Erinnerungsplan", level: 1 })).toBeVisible();
    await islandsReady(page);
    await expect(page.getByTestId("preview-summary")).toContainText("Diese Person erhält 5 Erinnerungen");
    await expectAccessible(page);

    // Without a cap, weekly for 12 weeks: 12 reminders — and the meter says high.
    await page.getByLabel("Höchstens … Erinnerungen (optional)").fill("");
    await expect(page.getByTestId("preview-summary")).toContainText("12 Erinnerungen");
    await expect.poll(() => reminderCount(page)).toBe(12);
    await expect(page.getByTestId("spam-meter")).toHaveAttribute("data-level", "high");

    // Every 14 days instead of 7: half as many sends.
    await page.getByLabel("Wiederholen alle … Tage").fill("14");
    await expect(page.getByTestId("preview-summary")).toContainText("6 Erinnerungen");
    await expect.poll(() => reminderCount(page)).toBe(6);
    await expect(page.getByTestId("spam-meter")).toHaveAttribute("data-level", "low");

    // Escalation shows up in the timeline with the digests.
    await page.getByLabel("An die verantwortliche Person eskalieren").check();
    await page.getByLabel("Eskalieren nach … Erinnerungen").fill("2");
    await expect(page.getByTestId("timeline").locator('[data-kind="escalation"]')).toHaveCount(1);
    await expect(page.getByTestId("timeline").locator('[data-kind="digest"]').first()).toBeVisible();
    await expect.poll(() => reminderCount(page)).toBe(2);

    // An unknown placeholder is named with the likely one, live and on saving.
    const subject = page.getByLabel("Betreff, Variante 1 (Deutsch)");
    await subject.fill("Hallo {{lernerFirstName}}");
    await expect(page.getByText("Den Platzhalter {{lernerFirstName}} gibt es nicht. Meinten Sie {{learnerFirstName}}?").first()).toBeVisible();
    await subject.fill("Hallo ");
    await subject.focus();
    await page.getByRole("button", { name: /\{\{learnerFirstName\}\} einfügen$/ }).click();
    await expect(subject).toHaveValue("Hallo {{learnerFirstName}}");
    await expect(page.getByTestId("mail-subject")).toHaveText("Hallo Maria");
    await page.getByRole("button", { name: "HTML-Teil zeigen" }).click();
    const html = page.locator('iframe[title="HTML-Teil der Mail"]');
    await expect(html).toHaveAttribute("sandbox", "");
    await expect(html.contentFrame().getByRole("link", { name: "Zur Schulung" })).toBeVisible();

    // The end date cannot be dropped while repeating.
    await page.getByLabel("Enddatum (Pflicht)").fill("");
    await expect(page.getByText("Eine wiederholte Erinnerung braucht ein Enddatum, damit sie aufhört.").first()).toBeVisible();
    await page.getByLabel("Enddatum (Pflicht)").fill(isoDay(84));

    await page.getByLabel("Name des Plans").fill("Alle zwei Wochen");
    await page.getByRole("button", { name: "Plan speichern" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}/reminders/plans/[0-9a-f-]{36}`));
    await expect(page.getByText("Der Plan „Alle zwei Wochen“ wurde angelegt.")).toBeVisible();

    await page.getByRole("link", { name: "Zurück zu den Erinnerungen" }).click();
    const row = page.getByTestId("plan-row-Alle zwei Wochen");
    await expect(row).toContainText("Aktiv");
    await expect(row.getByTestId("spam-risk-level")).toHaveAttribute("data-level", "low");
  });

  test("every day for 60 days with one variant is high risk and needs a confirmation", async ({ page, seedTenant, db }) => {
    const seeded = await seedTenant();
    const tenant = (await getTenantBySlug(db, seeded.slug))!;
    const training = await createTraining(db, { tenantId: tenant.id, name: "Datenschutz", externalId: null, linkUrl: null });
    await signIn(page, seeded.admin.email);
    await expect(page).toHaveURL(new RegExp(`/t/${seeded.slug}$`));
    await page.goto(`/t/${seeded.slug}/reminders/plans/new?training=${training.id}`);
    await islandsReady(page);

    await fillDailyPlan(page);
    const meter = page.getByTestId("spam-meter");
    await expect(meter).toHaveAttribute("data-level", "high");
    await expect(meter.getByRole("heading", { name: "Spam-Risiko: hoch" })).toBeVisible();
    await expect(page.getByTestId("spam-remedies")).toContainText("Eine Variante hinzufügen");

    await page.getByRole("button", { name: "Plan speichern" }).click();
    await expect(page.getByText(/Dieser Plan hat ein hohes Spam-Risiko./)).toHaveCount(1);
    await expect(page).toHaveURL(/\/plans\/new/);

    await page.getByLabel(/Ich habe das Spam-Risiko gelesen/).check();
    await page.getByRole("button", { name: "Plan speichern" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${seeded.slug}/reminders/plans/[0-9a-f-]{36}`));
    await expect(page.getByTestId("high-risk-confirmed")).toContainText("Hohes Spam-Risiko bestätigt am");
  });

  test("a trainer sees the plan and its preview but nothing to change", async ({ page, seedTenant, db }) => {
    const seeded = await seedTenant();
    const tenant = (await getTenantBySlug(db, seeded.slug))!;
    const training = await createTraining(db, { tenantId: tenant.id, name: "Erste Hilfe", externalId: "EH-1", linkUrl: "https://lms.example.com/eh" });
    const plan = await createDuePlan(db, { tenantId: tenant.id, trainingId: training.id, name: "Vor der Frist", endDate: isoDay(200) });

    await signIn(page, seeded.trainer.email);
    await expect(page).toHaveURL(new RegExp(`/t/${seeded.slug}$`));
    await page.goto(`/t/${seeded.slug}/reminders`);
    await expect(page.getByTestId("read-only-note")).toBeVisible();
    await expect(page.getByTestId("plan-row-Vor der Frist")).toBeVisible();
    await expect(page.getByRole("link", { name: /Neuer Plan/ })).toHaveCount(0);
    await expect(page.getByRole("link", { name: /bearbeiten/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Schulung anlegen" })).toHaveCount(0);
    await expectAccessible(page);

    await page.getByRole("link", { name: "Vor der Frist" }).click();
    await expect(page).toHaveURL(new RegExp(`/plans/${plan.id}$`));
    await expect(page.getByRole("heading", { name: "Erinnerungsplan: Vor der Frist", level: 1 })).toBeVisible();
    await expect(page.getByTestId("preview-summary")).toContainText("Diese Person erhält 3 Erinnerungen");
    await expect(page.getByRole("button", { name: /speichern/i })).toHaveCount(0);
    await expect(page.getByLabel("Name des Plans")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /einfügen|entfernen|hinzufügen/ })).toHaveCount(0);
    await expectAccessible(page);

    // The preview itself is theirs to use: no due date, no reminders (with the reason).
    await page.getByLabel("Fällig nach (Tagen)").fill("");
    await expect(page.getByTestId("preview-summary")).toHaveText("Diese Person erhält keine Erinnerung.");
    await expect(page.getByTestId("preview-notes")).toContainText("Fälligkeitsdatum");

    // Editing pages are not theirs.
    expect((await page.goto(`/t/${seeded.slug}/reminders/plans/new?training=${training.id}`))?.status()).toBe(404);
    expect((await page.goto(`/t/${seeded.slug}/reminders/trainings/${training.id}`))?.status()).toBe(404);
  });

  test("an admin of another tenant gets 404 for a plan id of this tenant", async ({ page, seedTenant, db }) => {
    const a = await seedTenant();
    const b = await seedTenant();
    const tenantB = (await getTenantBySlug(db, b.slug))!;
    const training = await createTraining(db, { tenantId: tenantB.id, name: "B", externalId: null, linkUrl: null });
    await signIn(page, a.admin.email);
    await expect(page).toHaveURL(new RegExp(`/t/${a.slug}$`));
    expect((await page.goto(`/t/${a.slug}/reminders/trainings/${training.id}`))?.status()).toBe(404);
    expect((await page.goto(`/t/${b.slug}/reminders`))?.status()).toBe(404);
  });
});
