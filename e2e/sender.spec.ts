import crypto from "node:crypto";
import fs from "node:fs";
import type { Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { startTestSmtpServer, type TestSmtpServer } from "../lib/testing/smtp-server";
import { E2E_RELAY_PORT, E2E_SERVER_LOG } from "../playwright.config";
import { expect, expectAccessible, signIn, test, islandsReady } from "./fixtures";

// The sender page end to end against real SMTP servers on loopback: the platform relay
// on the port the app is configured with (E2E_RELAY_PORT), and a tenant's own server
// on 2525 — a port below 32768 that the default SMTP_ALLOWED_PORTS already allows.
// Fixed ports: the tests of this file run one after another in one worker.
test.describe.configure({ mode: "serial" });

const CUSTOM_PORT = 2525;
const SMTP_PASSWORD = `Geheim-${crypto.randomBytes(6).toString("hex")}+Pa55`;

let relay: TestSmtpServer;
let custom: TestSmtpServer;

test.beforeAll(async () => {
  relay = await startTestSmtpServer({ port: E2E_RELAY_PORT, starttls: false });
  custom = await startTestSmtpServer({ port: CUSTOM_PORT, starttls: false, users: { mailer: SMTP_PASSWORD } });
});

test.afterAll(async () => {
  await Promise.all([relay?.close(), custom?.close()]);
});

async function openSender(page: Page, slug: string) {
  await page.getByRole("navigation", { name: "Bereiche" }).getByRole("link", { name: "Absender", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${slug}/sender$`));
  await expect(page.getByRole("heading", { name: "Absender", level: 1 })).toBeVisible();
}

test("a trainer cannot open the sender page", async ({ page, seedTenant }) => {
  const tenant = await seedTenant();
  await signIn(page, tenant.trainer.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  const response = await page.goto(`/t/${tenant.slug}/sender`);
  await islandsReady(page);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Nicht gefunden" })).toBeVisible();
});

test("an admin sets up the platform address, confirming the missing Reply-To", async ({ page, seedTenant }) => {
  const tenant = await seedTenant();
  await signIn(page, tenant.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  await openSender(page, tenant.slug);
  const status = page.getByTestId("sender-status");
  await expect(status).toContainText("Noch nicht eingerichtet");
  for (const mode of ["platform", "customer_domain", "custom_smtp"]) await expect(page.getByTestId(`mode-card-${mode}`)).toBeVisible();
  await expect(page.getByTestId("mode-card-platform")).toContainText("Antworten gehen verloren");
  await expect(page.getByTestId("wave-estimate")).toHaveText("Noch keine aktiven Lernenden, darum ein Beispiel: 1.800 Erinnerungen bei 60/min dauern etwa 30 min.");
  await expectAccessible(page);

  await expect(page.getByRole("radio", { name: /^Plattform-Adresse/ })).toBeChecked();
  await expect(page.getByLabel("Anzeigename")).toHaveValue(tenant.name);
  await page.getByLabel("Antwortadresse (Reply-To)").fill("");
  await expect(page.getByTestId("no-reply-to-warning")).toBeVisible();
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByTestId("sender-form").getByTestId("form-status")).toHaveText("Bitte bestätigen Sie den markierten Hinweis.");
  await expect(page.getByText("Ohne Antwortadresse landen Antworten im unbeachteten Noreply-Postfach")).toBeVisible();
  await page.getByLabel("Ich möchte trotzdem ohne Antwortadresse speichern.").check();
  await page.getByLabel("Mails pro Minute").fill("30");
  await expect(page.getByTestId("wave-estimate")).toHaveText("Noch keine aktiven Lernenden, darum ein Beispiel: 1.800 Erinnerungen bei 30/min dauern etwa 1 h.");
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByTestId("sender-form").getByTestId("form-status")).toContainText("Die Einstellungen sind gespeichert.");
  await expect(status).toContainText("Plattform-Adresse: bereit zum Versand");
  await expect(status).toContainText("keine Antwortadresse");
  await expect(page.getByTestId("mode-card-platform")).toContainText("Aktiv");
  await expect(page.getByTestId("history-row").first()).toContainText("Einstellungen gespeichert");
});

test("an admin sets up the own domain and proves the address with the mailed code", async ({ page, seedTenant, db }) => {
  const tenant = await seedTenant();
  const from = `schulung@${tenant.slug}.example`;
  await signIn(page, tenant.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  await openSender(page, tenant.slug);

  await page.getByRole("radio", { name: /^Eigene Domain/ }).check();
  await page.getByLabel("Absenderadresse", { exact: true }).fill("schulung@gmx.de");
  await page.getByLabel("Antwortadresse (Reply-To)").fill(`team@${tenant.slug}.example`);
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByText("GMX ist ein privater E-Mail-Dienst: Dessen Domain kann nicht").first()).toBeVisible();
  await page.getByLabel("Absenderadresse", { exact: true }).fill(from);
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByTestId("sender-form").getByTestId("form-status")).toContainText("Die Einstellungen sind gespeichert.");
  const status = page.getByTestId("sender-status");
  await expect(status).toContainText("Eigene Domain: noch nicht bereit");
  await expect(status).toContainText(`Die Domain ${tenant.slug}.example wurde noch nicht geprüft`);
  await expect(status).toContainText(`Die Absenderadresse ${from} ist noch nicht bestätigt`);

  const count = relay.received.length;
  await page.getByRole("button", { name: "Code senden" }).click();
  await expect(page.getByText(`Ein 6-stelliger Code ist an ${from} unterwegs.`)).toBeVisible();
  const mail = await relay.waitForMail(count + 1, 10_000);
  expect(mail.envelope.to).toEqual([from]);
  const code = /Ihr Bestätigungscode: (\d{3}) (\d{3})/.exec(mail.parsed.text ?? "")!.slice(1).join("");

  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
  await page.getByLabel("Bestätigungscode").fill(wrong);
  await page.getByRole("button", { name: "Bestätigen", exact: true }).click();
  await expect(page.getByText("Der Code stimmt nicht. Sie haben noch 4 Versuche.")).toBeVisible();
  await page.getByLabel("Bestätigungscode").fill(code);
  await page.getByRole("button", { name: "Bestätigen", exact: true }).click();
  await expect(page.getByTestId("proof-state")).toContainText(`${from} ist bestätigt`);
  await expect(status).not.toContainText("ist noch nicht bestätigt");
  await expect(status).toContainText("noch nicht geprüft");

  // The domain check (its own section) turns green: now the mode is ready.
  const t = db.t.tenants;
  const [row] = await db.orm.select({ id: t.id }).from(t).where(eq(t.slug, tenant.slug));
  const now = new Date();
  await db.orm.insert(db.t.domainChecks).values({
    id: crypto.randomUUID(),
    tenantId: row!.id,
    domain: `${tenant.slug}.example`,
    status: "done",
    verdict: "green",
    findings: [],
    startedAt: now,
    finishedAt: now,
  });
  await page.reload();
  await expect(page.getByTestId("sender-status")).toContainText("Eigene Domain: bereit zum Versand");
  await expectAccessible(page);
});

test("an admin sets up an own SMTP server: gmail warning, connection test, test mail, no password anywhere", async ({ page, seedTenant }) => {
  const tenant = await seedTenant();
  const bodies: Promise<string>[] = [];
  page.on("response", (response) => {
    bodies.push(response.text().catch(() => ""));
  });
  await signIn(page, tenant.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
  await openSender(page, tenant.slug);

  await page.getByRole("radio", { name: /^Eigener SMTP-Server/ }).check();
  await page.getByLabel("Servername (Host)").fill("127.0.0.1");
  await page.getByLabel("Port", { exact: true }).fill(String(CUSTOM_PORT));
  await page.getByLabel("Verschlüsselung").selectOption("none");
  await expect(page.getByTestId("no-tls-warning")).toBeVisible();
  await page.getByLabel("Ich habe verstanden, dass ohne Verschlüsselung gesendet wird.").check();
  await page.getByLabel("Benutzername").fill("mailer");
  await page.getByLabel("Passwort", { exact: true }).fill(SMTP_PASSWORD);
  await page.getByLabel("Absenderadresse", { exact: true }).fill("acme.schulung@gmail.com");
  const warning = page.getByTestId("free-mail-warning");
  await expect(warning).toContainText("Nicht für den Massenversand geeignet");
  await expect(warning).toContainText("Gmail ist ein privater E-Mail-Dienst");
  await page.getByLabel("Antwortadresse (Reply-To)").fill(`team@${tenant.slug}.example`);
  await page.getByLabel("Vorlage").selectOption({ label: "Microsoft 365 (Exchange Online)" });
  await expect(page.getByLabel("Mails pro Minute")).toHaveValue("30");

  // Saving without acknowledging the warning is refused, naming the field.
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByTestId("sender-form").getByTestId("form-status")).toHaveText("Bitte bestätigen Sie den markierten Hinweis.");
  await expect(page.getByLabel("Passwort", { exact: true })).toHaveValue("");
  await page.getByLabel("Ich habe den Hinweis gelesen und möchte trotzdem speichern.").check();
  await page.getByLabel("Passwort", { exact: true }).fill(SMTP_PASSWORD);
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByTestId("sender-form").getByTestId("form-status")).toContainText("Die Einstellungen sind gespeichert.");
  await expect(page.getByTestId("sender-status")).toContainText("Eigener SMTP-Server: noch nicht bereit");
  await expect(page.getByLabel("Passwort", { exact: true })).toHaveValue("");

  await page.getByRole("button", { name: "Verbindung testen" }).click();
  const result = page.getByTestId("connection-result");
  await expect(result).toContainText("Die Verbindung klappt");
  await result.getByText("Details (Antwort des Servers)").click();
  await expect(result.locator("pre")).toContainText("220 ");
  await expect(page.getByTestId("sender-status")).toContainText("Eigener SMTP-Server: bereit zum Versand");

  const count = custom.received.length;
  await page.getByLabel("Testmail an").fill(`pruefung@${tenant.slug}.example`);
  await page.getByRole("button", { name: "Testmail senden" }).click();
  await expect(page.getByTestId("test-mail-result")).toContainText("Die Testmail wurde vom Server angenommen");
  const mail = await custom.waitForMail(count + 1, 10_000);
  expect(mail.parsed.from?.value).toEqual([{ address: "acme.schulung@gmail.com", name: tenant.name }]);
  expect(mail.parsed.replyTo?.value[0]?.address).toBe(`team@${tenant.slug}.example`);
  await expectAccessible(page);

  // The password is nowhere the browser or the log can see it.
  await page.reload();
  await expect(page.getByTestId("history-row").first()).toBeVisible();
  const base64 = Buffer.from(SMTP_PASSWORD).toString("base64");
  const html = await page.content();
  expect(html).not.toContain(SMTP_PASSWORD);
  const all = await Promise.all(bodies);
  expect(all.length).toBeGreaterThan(5);
  for (const body of all) {
    expect(body).not.toContain(SMTP_PASSWORD);
    expect(body).not.toContain(base64);
  }
  const log = fs.existsSync(E2E_SERVER_LOG) ? fs.readFileSync(E2E_SERVER_LOG, "utf8") : "";
  expect(log).not.toContain(SMTP_PASSWORD);
  expect(log).not.toContain(base64);
});
