import { startDnsServer, type TestDnsServer } from "../lib/testing/dns-server";
import { E2E_DNS_PORT, E2E_GATEWAY_IP } from "../playwright.config";
import { expect, expectAccessible, signIn, test, islandsReady } from "./fixtures";

// The app resolves through DNS_SERVERS=127.0.0.1:E2E_DNS_PORT; this spec serves the
// test zone there. One server on a fixed port: the spec's tests run one after another.
test.describe.configure({ mode: "serial" });

const NOT_READY = "e2e-noinclude.example";
const READY = "e2e-ready.example";
// Slow enough that a check visibly runs for several seconds, even on a loaded machine.
const SLOW = "e2e-slow.example";

let dns: TestDnsServer;

test.beforeAll(async () => {
  dns = await startDnsServer(
    {
      "secure-mailgate.com": { TXT: [`v=spf1 ip4:${E2E_GATEWAY_IP.replace(/\.\d+$/, ".0")}/24 -all`] },
      // Every answer for this name is delayed, so the steps visibly arrive one by one even
      // when a busy machine makes each poll of the page slow.
      [NOT_READY]: { TXT: ["v=spf1 mx ~all"], MX: [{ priority: 10, exchange: `mx.${NOT_READY}` }], delayMs: 700 },
      [`mx.${NOT_READY}`]: { A: ["198.51.100.20"] },
      [SLOW]: { TXT: ["v=spf1 mx ~all"], MX: [{ priority: 10, exchange: `mx.${SLOW}` }], delayMs: 800 },
      [`mx.${SLOW}`]: { A: ["198.51.100.22"] },
      [READY]: { TXT: ["v=spf1 include:secure-mailgate.com ~all"], MX: [{ priority: 10, exchange: `mx.${READY}` }] },
      [`mx.${READY}`]: { A: ["198.51.100.21"] },
      [`_dmarc.${READY}`]: { TXT: ["v=DMARC1; p=none; rua=mailto:dmarc@e2e-ready.example"] },
    },
    { port: E2E_DNS_PORT },
  );
});

test.afterAll(async () => {
  await dns?.close();
});

test("an admin checks a domain, watches the steps arrive and gets the merged SPF record", async ({ page, seedTenant }) => {
  const tenant = await seedTenant();
  await signIn(page, tenant.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  await page.getByRole("navigation", { name: "Bereiche" }).getByRole("link", { name: "Domain", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Absenderdomain", level: 1 })).toBeVisible();

  // Bad input names the field.
  await page.getByLabel("Domain", { exact: true }).fill("info@firma.de");
  await islandsReady(page);
  await page.getByRole("button", { name: "Jetzt prüfen" }).click();
  await expect(page.getByText("Bitte nur die Domain eingeben – den Teil nach dem @, z. B. firma.de.")).toBeVisible();

  await page.getByLabel("Domain", { exact: true }).fill(NOT_READY);
  await page.getByRole("button", { name: "Jetzt prüfen" }).click();
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toContainText(`${NOT_READY} wird geprüft`);
  // The first step is done while later ones still wait.
  await expect(page.getByTestId("step-txt")).toHaveAttribute("data-status", "ok");
  await expect(page.getByTestId("step-dkim")).toHaveAttribute("data-status", /waiting|running/);

  await expect(verdict).toContainText(/Noch nicht bereit: \d+ Probleme?/, { timeout: 30_000 });
  await expect(page.getByTestId("step-spf-records")).toHaveAttribute("data-status", "error");
  await expect(page.getByTestId("step-spf-records")).toContainText("Die Plattform fehlt noch im SPF-Eintrag");
  await expect(page.getByTestId("step-mx")).toHaveAttribute("data-status", "ok");
  const record = page.getByTestId("spf-record");
  await expect(record).toHaveText("v=spf1 mx include:secure-mailgate.com ~all");
  await expect(page.getByTestId("spf-suggestion")).toContainText("2 der 10 erlaubten DNS-Abfragen");

  // The technical detail is one click away.
  const details = page.getByTestId("step-spf-records").getByText("Technische Details");
  await details.click();
  await expect(page.getByTestId("step-spf-records")).toContainText("DNS lookups: 1/10");

  // The page now remembers the domain and lists the check.
  await expect(page).toHaveURL(new RegExp(`domain=${NOT_READY}`));
  await expect(page.getByTestId("history-row")).toHaveCount(1);
  await expectAccessible(page);
});

test("a domain with the include and MX is ready to send", async ({ page, seedTenant }) => {
  const tenant = await seedTenant("en");
  await signIn(page, tenant.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  await page.goto(`/t/${tenant.slug}/domain`);
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Sending domain", level: 1 })).toBeVisible();
  await page.getByLabel("Domain", { exact: true }).fill(READY);
  await islandsReady(page);
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByTestId("verdict")).toContainText(`Ready to send from ${READY}`, { timeout: 15_000 });
  await expect(page.getByTestId("spf-suggestion")).toHaveCount(0);
  for (const step of ["txt", "spf-records", "spf-evaluation", "mx"]) {
    await expect(page.getByTestId(`step-${step}`)).toHaveAttribute("data-status", "ok");
  }
  await expectAccessible(page);
});

test("a trainer and another tenant's admin get 404", async ({ page, seedTenant, browser }) => {
  const tenant = await seedTenant();
  const other = await seedTenant();
  await signIn(page, tenant.trainer.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  const response = await page.goto(`/t/${tenant.slug}/domain`);
  expect(response?.status()).toBe(404);

  const context = await browser.newContext();
  const otherPage = await context.newPage();
  await signIn(otherPage, other.admin.email);
  await expect(otherPage).toHaveURL(new RegExp(`/t/${other.slug}$`));
  expect((await otherPage.goto(`/t/${tenant.slug}/domain`))?.status()).toBe(404);
  const api = await otherPage.request.get(`/t/${tenant.slug}/domain/checks/00000000-0000-4000-8000-000000000000`);
  expect(api.status()).toBe(404);
  await context.close();
});

// Issue 9, point 2: what was typed stays while a check runs; one check at a time; "what
// changed" only compares checks of the same domain. Point 5: a name that does not resolve.
test("a check keeps the typed domain, blocks a second click and compares only checks of the same domain", async ({ page, seedTenant }) => {
  const tenant = await seedTenant();
  await signIn(page, tenant.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  await page.goto(`/t/${tenant.slug}/domain`);
  await islandsReady(page);
  const field = page.getByLabel("Domain", { exact: true });
  const verdict = page.getByTestId("verdict");
  for (let i = 0; i < 2; i++) {
    await field.fill(READY);
    await page.getByRole("button", { name: "Jetzt prüfen" }).click();
    await expect(verdict).toContainText(`Bereit zum Senden von ${READY}`, { timeout: 15_000 });
    await expect(page.getByRole("button", { name: "Jetzt prüfen" })).toBeEnabled();
  }
  await page.goto(`/t/${tenant.slug}/domain?domain=${READY}`);
  await expect(page.getByTestId("check-diff")).toBeVisible();

  await field.fill(SLOW);
  await page.getByRole("button", { name: "Jetzt prüfen" }).click();
  await expect(verdict).toContainText(`${SLOW} wird geprüft`);
  await expect(page.getByRole("button", { name: /Prüfung läuft|Wird gestartet|Jetzt prüfen/ })).toBeDisabled();
  // The button is disabled while the check runs: the focus moves to the result, not to <body>.
  await expect(page.getByTestId("check-result-region")).toBeFocused();
  await expect(field).toHaveValue(SLOW);
  await expect(page.getByRole("button", { name: /Prüfung läuft|Wird gestartet|Jetzt prüfen/ })).toBeDisabled();
  // The READY domain's changes do not belong under the SLOW result.
  await expect(page.getByTestId("check-diff")).toHaveCount(0);
  await expect(verdict).toContainText(/Noch nicht bereit/, { timeout: 40_000 });
  await expect(field).toHaveValue(SLOW);
  await expect(page.getByRole("button", { name: "Jetzt prüfen" })).toBeEnabled();
  await expect(page.getByTestId("check-diff")).toHaveCount(0);
  await expectAccessible(page);
});

test("a domain that does not resolve gets one root cause; the follow-on steps are collapsed", async ({ page, seedTenant }) => {
  const tenant = await seedTenant();
  const typo = "e2e-tippfehler.example";
  await signIn(page, tenant.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  await page.goto(`/t/${tenant.slug}/domain`);
  await islandsReady(page);
  await page.getByLabel("Domain", { exact: true }).fill(typo);
  await page.getByRole("button", { name: "Jetzt prüfen" }).click();
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toHaveAttribute("data-root-cause", "domain.not-found", { timeout: 15_000 });
  await expect(verdict).toContainText(`Unser DNS-Server findet ${typo} nicht`);
  await expect(verdict).toContainText(`Prüfen Sie die Schreibweise oder fragen Sie Ihre IT, ob die Domain ${typo} öffentlich ist.`);
  await expect(page.getByTestId("step-mx")).toBeHidden();
  await expect(page.getByTestId("spf-suggestion")).toHaveCount(0);
  // The check is over (the page has reloaded its parts) before the user opens the fold.
  await expect(page.getByRole("button", { name: "Jetzt prüfen" })).toBeEnabled();
  // A late refresh of the check's parts can re-create the fold closed; a user would open it again.
  const fold = page.getByTestId("follow-on-steps");
  await expect(async () => {
    if (!(await fold.evaluate((d) => (d as HTMLDetailsElement).open))) await fold.getByText(/Die übrigen Schritte \(5\)/).click();
    await expect(page.getByTestId("step-mx")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expectAccessible(page);
});
