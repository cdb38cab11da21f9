import { expect, expectAccessible, PASSWORD, signIn, test } from "./fixtures";

test.describe("sign-in and roles", () => {
  test("the sign-in page is accessible and in German by default", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "Anmelden" })).toBeVisible();
    await expectAccessible(page);
  });

  test("a consultant signs in and sees the tenant list and consultant navigation", async ({ page, seedTenant }) => {
    const tenant = await seedTenant();
    await signIn(page, "consultant@postillion.example", "postillion-demo");
    await expect(page).toHaveURL(/\/tenants$/);
    await expect(page.getByRole("heading", { name: "Mandanten", level: 1 })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Hauptnavigation" });
    await expect(nav.getByRole("link", { name: "Mandanten" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Beratung" })).toBeVisible();
    await page.getByLabel("Mandanten suchen").fill(tenant.slug);
    await page.getByRole("button", { name: "Suchen" }).click();
    // The overview shows at a glance what needs the consultant: a new tenant cannot send yet.
    const row = page.getByTestId(`tenant-row-${tenant.slug}`);
    await expect(row).toContainText("Braucht Aufmerksamkeit");
    await expect(row).toContainText("Nicht eingerichtet");
    await expect(row).toContainText("keine aktiv");
    await page.getByRole("link", { name: tenant.name }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
    const tenantNav = page.getByRole("navigation", { name: "Bereiche" });
    for (const item of ["Absender", "Domain", "Erinnerungen", "Lernende", "Zustellungen", "Benutzer"]) {
      await expect(tenantNav.getByRole("link", { name: item })).toBeVisible();
    }
    await expectAccessible(page);
  });

  test("an admin lands on their tenant with the full tenant navigation", async ({ page, seedTenant }) => {
    const tenant = await seedTenant();
    await signIn(page, tenant.admin.email);
    await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
    await expect(page.getByTestId("tenant-name")).toHaveText(tenant.name);
    const sections = page.getByRole("navigation", { name: "Bereiche" });
    for (const item of ["Übersicht", "Absender", "Domain", "Erinnerungen", "Lernende", "Zustellungen", "Benutzer"]) {
      await expect(sections.getByRole("link", { name: item, exact: true })).toBeVisible();
    }
    await expect(page.getByRole("link", { name: "Mandanten", exact: true })).toHaveCount(0);
    await sections.getByRole("link", { name: "Lernende", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Lernende", level: 1 })).toBeVisible();
    await expect(page.getByTestId("learners-empty")).toContainText("Noch keine Lernenden");
    await expectAccessible(page);
  });

  test("a trainer sees only the overview, reminders and learners", async ({ page, seedTenant }) => {
    const tenant = await seedTenant();
    await signIn(page, tenant.trainer.email);
    await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
    const sections = page.getByRole("navigation", { name: "Bereiche" });
    await expect(sections.getByRole("link", { name: "Erinnerungen", exact: true })).toBeVisible();
    await expect(sections.getByRole("link", { name: "Lernende", exact: true })).toBeVisible();
    await expect(sections.getByRole("link")).toHaveCount(3);
    for (const item of ["Absender", "Domain", "Benutzer", "Zustellungen"]) {
      await expect(page.getByRole("link", { name: item, exact: true })).toHaveCount(0);
    }
  });

  test("a wrong password gives a clear error that does not reveal the account", async ({ page, seedTenant }) => {
    const tenant = await seedTenant();
    await signIn(page, tenant.admin.email, "not-the-password");
    const error = page.getByTestId("login-error");
    await expect(error).toHaveText("E-Mail-Adresse oder Passwort stimmen nicht. Bitte prüfen Sie Ihre Eingabe.");
    await signIn(page, "nobody-here@example.com", "not-the-password");
    await expect(error).toHaveText("E-Mail-Adresse oder Passwort stimmen nicht. Bitte prüfen Sie Ihre Eingabe.");
    await expect(page).toHaveURL(/\/login/);
  });

  test("the sixth rapid failure is throttled, even with the right password", async ({ page, seedTenant }) => {
    const tenant = await seedTenant();
    const error = page.getByTestId("login-error");
    for (let i = 1; i <= 5; i++) {
      await signIn(page, tenant.admin.email, `wrong-${i}`);
      await expect(error).toContainText("stimmen nicht");
    }
    await signIn(page, tenant.admin.email, PASSWORD);
    await expect(error).toContainText(/Zu viele fehlgeschlagene Versuche\. Bitte warten Sie \d+ Sekunden/);
    await expect(page).toHaveURL(/\/login/);
  });

  test("sign-out ends the session", async ({ page, seedTenant }) => {
    const tenant = await seedTenant();
    await signIn(page, tenant.admin.email);
    await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
    await page.getByRole("button", { name: "Abmelden" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto(`/t/${tenant.slug}`);
    await expect(page).toHaveURL(/\/login/);
  });
});

test.describe("tenant isolation", () => {
  test("an admin of tenant A who opens tenant B gets 404", async ({ page, seedTenant }) => {
    const a = await seedTenant();
    const b = await seedTenant();
    await signIn(page, a.admin.email);
    await expect(page).toHaveURL(new RegExp(`/t/${a.slug}$`));
    for (const path of [`/t/${b.slug}`, `/t/${b.slug}/users`, `/t/${b.slug}/sender`, "/t/does-not-exist"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { name: "Nicht gefunden" })).toBeVisible();
      await expect(page.getByText(b.name)).toHaveCount(0);
    }
  });

  test("a trainer opening user management gets 404", async ({ page, seedTenant }) => {
    const tenant = await seedTenant();
    await signIn(page, tenant.trainer.email);
    await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
    const response = await page.goto(`/t/${tenant.slug}/users`);
    expect(response?.status()).toBe(404);
    const consultants = await page.goto("/consultants");
    expect(consultants?.status()).toBe(404);
  });
});

test.describe("user management", () => {
  test("an admin creates a trainer who can then sign in", async ({ page, seedTenant, browser }) => {
    const tenant = await seedTenant();
    await signIn(page, tenant.admin.email);
    await page.getByRole("navigation", { name: "Bereiche" }).getByRole("link", { name: "Benutzer" }).click();
    await expect(page.getByRole("heading", { name: "Benutzer", level: 1 })).toBeVisible();
    await expectAccessible(page);
    const email = `neu-${tenant.slug}@example.com`;

    // Bad input names the field and saves nothing.
    await page.getByLabel("E-Mail-Adresse").fill("kein-at-zeichen");
    await page.getByLabel("Anfangspasswort").fill("kurz");
    await page.getByRole("button", { name: "Anlegen" }).click();
    await expect(page.getByText("Bitte eine gültige E-Mail-Adresse eingeben.")).toBeVisible();
    await expect(page.getByText("Das Passwort braucht mindestens 12 Zeichen.")).toBeVisible();

    await page.getByLabel("E-Mail-Adresse").fill(email);
    await page.getByLabel("Name").fill("Neue Trainerin");
    await page.getByLabel("Rolle").selectOption("trainer");
    await page.getByLabel("Anfangspasswort").fill("ein-langes-passwort");
    await page.getByRole("button", { name: "Anlegen" }).click();
    await expect(page.getByTestId("form-status")).toContainText(`${email} wurde angelegt`);
    await expect(page.getByTestId(`user-row-${email}`)).toContainText("Trainer/in");

    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signIn(otherPage, email, "ein-langes-passwort");
    await expect(otherPage).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
    await expect(otherPage.getByTestId("signed-in-as")).toContainText("Neue Trainerin");
    await other.close();

    // Disabling the trainer ends their access.
    await page.getByRole("button", { name: `Sperren: ${email}` }).click();
    await expect(page.getByTestId(`user-row-${email}`)).toContainText("Gesperrt");
    const third = await browser.newContext();
    const thirdPage = await third.newPage();
    await signIn(thirdPage, email, "ein-langes-passwort");
    await expect(thirdPage.getByTestId("login-error")).toContainText("stimmen nicht");
    await third.close();
  });

  test("a consultant creates a tenant", async ({ page }) => {
    await signIn(page, "consultant@postillion.example", "postillion-demo");
    await expect(page).toHaveURL(/\/tenants$/);
    const slug = `neu-${Date.now().toString(36)}`;
    await page.getByLabel("Name", { exact: true }).fill("Neue Firma AG");
    await page.getByLabel("Kürzel (für die Adresse)").fill("1 ungültig");
    await page.getByRole("button", { name: "Anlegen" }).click();
    await expect(page.getByText("Nur Kleinbuchstaben, Ziffern und Bindestriche")).toBeVisible();
    await page.getByLabel("Kürzel (für die Adresse)").fill(slug);
    await page.getByRole("button", { name: "Anlegen" }).click();
    await expect(page.getByTestId("form-status")).toContainText("Mandant „Neue Firma AG“ wurde angelegt.");
    await page.goto(`/t/${slug}`);
    await expect(page.getByRole("heading", { name: "Neue Firma AG", level: 1 })).toBeVisible();
  });
});

test.describe("language", () => {
  test("the language switch changes the UI", async ({ page, seedTenant }) => {
    const tenant = await seedTenant();
    await signIn(page, tenant.admin.email);
    await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
    await expect(page.getByRole("navigation", { name: "Bereiche" }).getByRole("link", { name: "Absender" })).toBeVisible();
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Sender" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.reload();
    await expect(page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Reminders" })).toBeVisible();
    await page.getByRole("button", { name: "Deutsch" }).click();
    await expect(page.getByRole("navigation", { name: "Bereiche" }).getByRole("link", { name: "Erinnerungen" })).toBeVisible();
  });

  test("an English browser gets English by default", async ({ browser }) => {
    const context = await browser.newContext({ locale: "en-GB" });
    const page = await context.newPage();
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await context.close();
  });
});

test.describe("keyboard and accessibility", () => {
  test("signing in works with the keyboard alone", async ({ page, seedTenant }) => {
    const tenant = await seedTenant();
    await page.goto("/login");
    // Tab from the top of the page to the e-mail field, past the language switch.
    await page.keyboard.press("Tab");
    while (!(await page.getByLabel("E-Mail-Adresse").evaluate((el) => el === document.activeElement))) {
      await page.keyboard.press("Tab");
    }
    await page.keyboard.type(tenant.admin.email);
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
    // The skip link is the first stop and jumps to the content.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Zum Inhalt springen" })).toBeFocused();
  });

  test("the consultant pages pass the accessibility check", async ({ page }) => {
    await signIn(page, "consultant@postillion.example", "postillion-demo");
    await expect(page).toHaveURL(/\/tenants$/);
    await expectAccessible(page);
    await page.goto("/consultants");
    await expect(page.getByRole("heading", { name: "Beratung (Plattform)", level: 1 })).toBeVisible();
    await expectAccessible(page);
  });
});
