import crypto from "node:crypto";
import { raiseAlert } from "../lib/delivery/alerts";
import { getTenantBySlug } from "../lib/tenants/queries";
import { createUser } from "../lib/users/queries";
import { expect, expectAccessible, PASSWORD, signIn, test } from "./fixtures";

// Alerts in the app: an alert raised for a tenant (the same raiseAlert the worker uses
// when a tenant's sending pauses) shows as a count in the header of that tenant's
// admins, lists on /alerts with its link to the fix, and goes once read; another
// tenant's admin never sees it.

test("an admin sees the alert badge, opens the list, follows the fix link, marks it read, and the badge goes", async ({ page, db, seedTenant }) => {
  const own = await seedTenant("en");
  const other = await seedTenant("en");
  const tenant = (await getTenantBySlug(db, own.slug))!;
  const pauseId = crypto.randomUUID();
  await raiseAlert(db, {
    tenantId: tenant.id,
    kind: "sending_paused",
    severity: "error",
    message: {
      de: { title: "Versand angehalten", text: "Der Mailserver hat alle Mails abgelehnt." },
      en: { title: "Sending paused", text: "The mail server refused every message." },
    },
    detail: "535 5.7.8 Authentication credentials invalid",
    link: `/t/${own.slug}/deliveries`,
    dedupeKey: `sending_paused:${tenant.id}:${pauseId}`,
    now: new Date(),
  });

  // Another tenant's admin: no badge, an empty list.
  await signIn(page, other.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${other.slug}$`));
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByTestId("alerts-link")).toBeVisible();
  await expect(page.getByTestId("alerts-badge")).toHaveCount(0);
  await page.getByTestId("alerts-link").click();
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  await expect(page.getByText("Sending paused")).toHaveCount(0);
  await page.context().clearCookies();

  await signIn(page, own.admin.email);
  // Switch the language only once the signed-in page is there: a click on the login
  // page's switch would be lost with the navigation.
  await expect(page).toHaveURL(new RegExp(`/t/${own.slug}$`));
  await page.getByRole("button", { name: "English" }).click();
  const badge = page.getByRole("link", { name: "1 unread alert" });
  await expect(badge).toBeVisible();
  await badge.click();
  await expect(page).toHaveURL(/\/alerts$/);
  const item = page.getByTestId("alert").filter({ hasText: "Sending paused" });
  await expect(item.getByTestId("alert-read")).toHaveText("Unread");
  await expect(item).toContainText("Error");
  await expect(item).toContainText(`Organisation: ${own.name}`);
  await expect(item).toContainText("The mail server refused every message.");
  await expect(item.getByTestId("alert-state")).toHaveText("Open");
  await item.getByText("The server's reply").click();
  await expect(item.getByText("535 5.7.8 Authentication credentials invalid")).toBeVisible();
  await expectAccessible(page);

  await item.getByRole("link", { name: "Fix it here" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${own.slug}/deliveries$`));
  await expect(page.getByRole("link", { name: "1 unread alert" })).toBeVisible();

  await page.goto("/alerts");
  await page.getByRole("button", { name: "Mark “Sending paused” read" }).click();
  await expect(page.getByTestId("alert").filter({ hasText: "Sending paused" }).getByTestId("alert-read")).toHaveText("Read");
  await expect(page.getByTestId("alerts-badge")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Alerts", exact: true })).toBeVisible();
  await expectAccessible(page);
});

test("'mark all read' clears the badge; German names the count in German", async ({ page, db, seedTenant }) => {
  const own = await seedTenant("de");
  const tenant = (await getTenantBySlug(db, own.slug))!;
  for (const n of [1, 2]) {
    await raiseAlert(db, {
      tenantId: tenant.id,
      kind: "test",
      severity: "warning",
      message: { de: { title: `Hinweis ${n}`, text: "Text" }, en: { title: `Alert ${n}`, text: "Text" } },
      detail: null,
      link: null,
      dedupeKey: `e2e:${tenant.id}:${n}`,
      now: new Date(),
    });
  }
  await signIn(page, own.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${own.slug}$`));
  await page.getByRole("button", { name: "Deutsch" }).click();
  await page.getByRole("link", { name: "2 ungelesene Hinweise" }).click();
  await expect(page.getByTestId("alert")).toHaveCount(2);
  await page.getByRole("button", { name: "Alle als gelesen markieren" }).click();
  await expect(page.getByTestId("alerts-badge")).toHaveCount(0);
  await expect(page.getByTestId("alert-read")).toHaveText(["Gelesen", "Gelesen"]);
  await expectAccessible(page);
});

test("a trainer has no alerts link and gets 404 on /alerts", async ({ page, seedTenant }) => {
  const own = await seedTenant("en");
  await signIn(page, own.trainer.email);
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
  await expect(page.getByTestId("alerts-link")).toHaveCount(0);
  const response = await page.goto("/alerts");
  expect(response?.status()).toBe(404);
});

test("a consultant follows a tenant's alerts cell from the board: only that tenant's alerts, marked read alone; an admin of another tenant gets 404", async ({ page, db, seedTenant }) => {
  const own = await seedTenant("de");
  const other = await seedTenant("de");
  for (const t of [own, other]) {
    const tenant = (await getTenantBySlug(db, t.slug))!;
    await raiseAlert(db, {
      tenantId: tenant.id,
      kind: "test",
      severity: "error",
      message: { de: { title: `Versand angehalten bei ${t.name}`, text: "Text" }, en: { title: `Sending paused at ${t.name}`, text: "Text" } },
      detail: null,
      link: `/t/${t.slug}/deliveries`,
      dedupeKey: `e2e-board:${tenant.id}`,
      now: new Date(),
    });
  }
  const id = crypto.randomBytes(4).toString("hex");
  const consultant = { email: `consultant-alerts-${id}@example.com`, name: `Berater ${id}` };
  await createUser(db, { ...consultant, role: "consultant", password: PASSWORD });

  await signIn(page, consultant.email);
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
  await page.goto(`/review?q=${own.slug}`);
  const cell = page.locator(`[data-testid="review-row"][data-slug="${own.slug}"]`).getByTestId("review-cell-alerts");
  await expect(cell).toContainText("1");
  await cell.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/alerts\\?tenant=${own.slug}$`));
  await expect(page.getByRole("heading", { level: 1, name: `Hinweise zu ${own.name}` })).toBeVisible();
  await expect(page.getByTestId("alert")).toHaveCount(1);
  await expect(page.getByTestId("alert")).toContainText(`Versand angehalten bei ${own.name}`);
  await expectAccessible(page);

  await page.getByRole("button", { name: `Alle zu ${own.name} als gelesen markieren` }).click();
  await expect(page.getByTestId("alert-read")).toHaveText(["Gelesen"]);
  await expect(page).toHaveURL(new RegExp(`/alerts\\?tenant=${own.slug}$`));

  // The whole list: the other tenant's alert is still unread.
  await page.getByRole("link", { name: "Hinweise aller Organisationen zeigen" }).click();
  await expect(page).toHaveURL(/\/alerts$/);
  await expect(page.getByTestId("alert").filter({ hasText: `Versand angehalten bei ${other.name}` }).getByTestId("alert-read")).toHaveText("Ungelesen");
  await expect(page.getByTestId("alert").filter({ hasText: `Versand angehalten bei ${own.name}` }).getByTestId("alert-read")).toHaveText("Gelesen");
  await page.context().clearCookies();

  // An admin of the other tenant: the first tenant's narrowed list is not found.
  await signIn(page, other.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${other.slug}$`));
  const response = await page.goto(`/alerts?tenant=${own.slug}`);
  expect(response?.status()).toBe(404);
});
