import crypto from "node:crypto";
import { CLI_ACTOR } from "../lib/auth/policy";
import { countActiveLearners, findAssignment, getLearnerDetail } from "../lib/learners/queries";
import { applyLearnerRows, putLearner } from "../lib/learners/service";
import { saveTraining } from "../lib/reminders/service";
import { getTenantBySlug } from "../lib/tenants/queries";
import { expect, expectAccessible, islandsReady, signIn, test } from "./fixtures";

// The demo seed (playwright.config.ts runs `seed --demo`) gives each demo tenant a few
// dozen learners: the list pages, filters and detail actions have real data to show.
const DEMO_PASSWORD = "postillion-demo";

test.describe("learners", () => {
  test("an admin searches the demo learners, filters by overdue, pages, and withdraws an assignment", async ({ page, db }) => {
    await signIn(page, "admin@acme.example", DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/t\/acme$/);
    await page.getByRole("navigation", { name: "Bereiche" }).getByRole("link", { name: "Lernende", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Lernende", level: 1 })).toBeVisible();
    await expect(page.getByRole("link", { name: "Lernende aus CSV importieren" })).toBeVisible();
    await expect(page.getByRole("link", { name: "API-Schlüssel für die Lernplattform" })).toBeVisible();

    // Keyset paging: the next page is a different set, the first page link comes back.
    const rows = page.getByTestId("learner-row");
    await expect(rows).toHaveCount(25);
    const firstOnPageOne = await rows.first().getByRole("link").textContent();
    await page.getByRole("link", { name: "Nächste Seite" }).click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(rows.first()).not.toContainText(firstOnPageOne!);
    expect(await rows.count()).toBeGreaterThan(0);
    await page.getByRole("link", { name: "Erste Seite" }).click();
    await expect(page).not.toHaveURL(/cursor=/);
    await expect(rows.first().getByRole("link")).toHaveText(firstOnPageOne!);

    // Search by name: the URL holds the state, every row matches.
    await page.getByLabel("Name oder E-Mail").fill("weber");
    await page.getByRole("button", { name: "Anzeigen" }).click();
    await expect(page).toHaveURL(/[?&]q=weber/);
    await expect(rows.first()).toBeVisible();
    for (const row of await rows.all()) await expect(row).toContainText(/weber/i);

    // Filter by status, keyboard only: every learner shown has an overdue assignment.
    await page.getByLabel("Name oder E-Mail").fill("");
    await page.getByLabel("Status").focus();
    await page.getByLabel("Status").selectOption({ label: "Mit überfälliger Zuweisung" });
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/status=overdue/);
    await expect(rows.first()).toBeVisible();
    for (const row of await rows.all()) {
      const overdue = Number(await row.locator("td").nth(4).textContent());
      expect(overdue).toBeGreaterThan(0);
    }
    await expectAccessible(page);

    // Open a learner with an overdue assignment and withdraw it: question first, then the result.
    const [lastName, firstName] = (await rows.first().getByRole("link").textContent())!.split(", ");
    await rows.first().getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`${firstName} ${lastName}`);
    await expect(page.getByTestId("reminders-empty")).toBeVisible();

    // Two reminders wait in the outbox for the overdue assignment (as the planner would write them).
    const learnerId = new URL(page.url()).pathname.split("/").at(-1)!;
    const acme = (await getTenantBySlug(db, "acme"))!;
    const learner = (await getLearnerDetail(db, { tenantId: acme.id, id: learnerId, now: new Date() }))!;
    const overdue = learner.assignments.find((a) => a.status === "overdue")!;
    const assignment = (await findAssignment(db, { tenantId: acme.id, learnerExternalId: learner.externalId, trainingExternalId: overdue.trainingExternalId! }))!;
    await db.orm.insert(db.t.deliveries).values(
      [1, 2].map((occurrence) => ({
        id: crypto.randomUUID(),
        tenantId: acme.id,
        kind: "reminder" as const,
        planId: null,
        assignmentId: assignment.id,
        learnerId,
        occurrence,
        recipient: learner.email,
        dueAt: new Date(Date.now() + occurrence * 86_400_000),
        status: "planned" as const,
        attempts: 0,
      })),
    );
    await page.reload();
    await expect(page.getByTestId("delivery-row")).toHaveCount(2);
    await expect(page.getByTestId("delivery-row").first()).toContainText("Geplant");

    await islandsReady(page);
    const overdueRow = page.getByTestId("assignment-row").filter({ hasText: "Überfällig" }).first();
    const training = (await overdueRow.getByRole("rowheader").textContent())!.trim();
    expect(training).toBe(overdue.trainingName);
    await overdueRow.getByText("Zurückziehen …").click();
    await expect(overdueRow.getByText(`Die Zuweisung „${training}“ von`)).toBeVisible();
    await expectAccessible(page);
    await overdueRow.getByRole("button", { name: "Ja, zurückziehen" }).click();
    const result = page.getByTestId("learner-action-result");
    await expect(result).toContainText(`Die Zuweisung „${training}“ ist zurückgezogen.`);
    await expect(result).toContainText("2 wartende Erinnerungen wurden gestoppt.");
    await expect(result).toBeFocused();
    const withdrawnRow = page.getByTestId("assignment-row").filter({ hasText: training });
    await expect(withdrawnRow).toContainText("Zurückgezogen");
    await expect(withdrawnRow.getByText("Zurückziehen …")).toHaveCount(0);
    for (const row of await page.getByTestId("delivery-row").all()) {
      await expect(row).toContainText("Gestoppt");
      await expect(row).toContainText("weil die Zuweisung zurückgezogen wurde");
    }
    await expectAccessible(page);
  });

  test("without JavaScript the search form and a confirmed change still work", async ({ page, browser }) => {
    await signIn(page, "admin@acme.example", DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/t\/acme$/);
    const context = await browser.newContext({
      javaScriptEnabled: false,
      storageState: await page.context().storageState(),
      baseURL: test.info().project.use.baseURL,
      locale: "de-DE",
    });
    const plain = await context.newPage();
    await plain.goto("/t/acme/learners?status=open");
    await plain.getByLabel("Name oder E-Mail").fill("koch");
    await plain.getByRole("button", { name: "Anzeigen" }).click();
    await expect(plain).toHaveURL(/q=koch&training=&status=open/);
    await plain.getByTestId("learner-row").first().getByRole("link").click();
    const row = plain.getByTestId("assignment-row").filter({ hasText: "Offen" }).first();
    await row.getByText("Zurückziehen …").click();
    await row.getByRole("button", { name: "Ja, zurückziehen" }).click();
    await expect(plain.getByTestId("learner-action-result")).toContainText("ist zurückgezogen.");
    await context.close();
  });

  test("a trainer sees the list and a learner, with no import, no key link and no changes", async ({ page }) => {
    await signIn(page, "trainer@acme.example", DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/t\/acme$/);
    await page.goto("/t/acme/learners");
    await expect(page.getByRole("heading", { name: "Lernende", level: 1 })).toBeVisible();
    await expect(page.getByTestId("read-only-note")).toBeVisible();
    await expect(page.getByTestId("learner-row").first()).toBeVisible();
    await expect(page.getByRole("link", { name: /CSV/ })).toHaveCount(0);
    await expect(page.getByRole("link", { name: /API-Schlüssel/ })).toHaveCount(0);
    await expectAccessible(page);

    await page.getByLabel("Status").selectOption("inactive");
    await page.getByRole("button", { name: "Anzeigen" }).click();
    await expect(page.getByTestId("learner-row")).toHaveCount(1);
    await expect(page.getByTestId("learner-row")).toContainText("Inaktiv");
    await page.getByTestId("learner-row").getByRole("link").click();
    await expect(page.getByTestId("learner-active")).toHaveText("Inaktiv");
    await expect(page.getByTestId("assignment-row").first()).toBeVisible();
    for (const action of ["Wieder aktivieren", "Deaktivieren …", "Heute abgeschlossen", "Zurückziehen …"]) {
      await expect(page.getByText(action, { exact: true })).toHaveCount(0);
    }
    await expect(page.locator("main form")).toHaveCount(0);
    await expectAccessible(page);
  });

  test("an assignment to a training created in the app (no external id) is marked completed on the learner page", async ({ page, db, seedTenant }) => {
    const seeded = await seedTenant("de");
    const row0 = (await getTenantBySlug(db, seeded.slug))!;
    const tenant = { id: row0.id, timezone: row0.timezone };
    const training = await saveTraining(db, { tenant, actor: CLI_ACTOR, input: { name: "Erste Hilfe im Büro", externalId: "", linkUrl: "" } });
    const person = { email: `ida.ohne@${seeded.slug}.example`, firstName: "Ida", lastName: "Ohne-ID", locale: null, responsibleName: null, responsibleEmail: null, active: true };
    const learner = await putLearner(db, { tenant, actor: CLI_ACTOR, externalId: "e2e-no-external-id", input: person });
    if (!training.ok || !learner.ok) throw new Error("seed failed");
    const now = new Date();
    await db.transaction((tx) =>
      applyLearnerRows(tx, {
        tenantId: tenant.id,
        rows: [{ learner: { ...person, externalId: "e2e-no-external-id" }, assignment: { trainingId: training.data.id, assignedAt: now, dueAt: null } }],
        now,
      }),
    );
    const detail = (await getLearnerDetail(db, { tenantId: tenant.id, externalId: "e2e-no-external-id", now }))!;
    expect(detail.assignments.map((a) => a.trainingExternalId)).toEqual([null]);

    await signIn(page, seeded.admin.email);
    await expect(page).toHaveURL(new RegExp(`/t/${seeded.slug}$`));
    await page.goto(`/t/${seeded.slug}/learners/${detail.id}`);
    await islandsReady(page);
    const row = page.getByTestId("assignment-row").filter({ hasText: "Erste Hilfe im Büro" });
    await row.getByRole("button", { name: "Heute abgeschlossen: Erste Hilfe im Büro" }).click();
    const result = page.getByTestId("learner-action-result");
    await expect(result).toContainText("„Erste Hilfe im Büro“ ist als heute abgeschlossen vermerkt.");
    await expect(result).toBeFocused();
    await expect(row).toContainText("Abgeschlossen");
    await expect(row.getByText("Zurückziehen …")).toHaveCount(0);
    await expectAccessible(page);
  });

  // Its own tenant: the demo tenants' learners change under the tests running beside it.
  test("the reminders and sender pages count the tenant's active learners", async ({ page, db, seedTenant }) => {
    const seeded = await seedTenant("de");
    const row = (await getTenantBySlug(db, seeded.slug))!;
    const tenant = { id: row.id, timezone: row.timezone };
    for (const [n, active] of [[1, true], [2, true], [3, false]] as const) {
      const input = { email: `person${n}@${seeded.slug}.example`, firstName: "Person", lastName: `Nummer ${n}`, active };
      const saved = await putLearner(db, { tenant, actor: CLI_ACTOR, externalId: `p-${n}`, input });
      if (!saved.ok) throw new Error("seed failed");
    }
    expect(await countActiveLearners(db, { tenantId: row.id })).toBe(2);
    await signIn(page, seeded.admin.email);
    await expect(page).toHaveURL(new RegExp(`/t/${seeded.slug}$`));
    await page.goto(`/t/${seeded.slug}/reminders`);
    await expect(page.getByTestId("volume-statement")).toContainText("2 Lernende sind aktiv");
    await page.goto(`/t/${seeded.slug}/sender`);
    await islandsReady(page);
    await expect(page.getByTestId("wave-estimate")).toContainText("Je eine Erinnerung an Ihre 2 aktiven Lernenden: 2 Erinnerungen bei");
  });

  test("another tenant's learner id answers 404", async ({ page, db }) => {
    const acme = (await getTenantBySlug(db, "acme"))!;
    const learner = (await getLearnerDetail(db, { tenantId: acme.id, externalId: "demo-learner-001", now: new Date() }))!;
    await signIn(page, "admin@globex.example", DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/t\/globex$/);
    for (const path of [`/t/globex/learners/${learner.id}`, `/t/acme/learners/${learner.id}`, "/t/globex/learners/not-an-id"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByText(learner.email)).toHaveCount(0);
    }
  });
});
