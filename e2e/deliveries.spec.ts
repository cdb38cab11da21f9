import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { DateTime } from "luxon";
import { SMTPServer } from "smtp-server";
import { eq } from "drizzle-orm";
import { CLI_ACTOR } from "../lib/auth/policy";
import type { Db } from "../lib/db/client";
import { putAssignment, putLearner, putTraining } from "../lib/learners/service";
import { putSenderSettings } from "../lib/sender/queries";
import { getTenantBySlug } from "../lib/tenants/queries";
import { E2E_DATA_DIR, E2E_RELAY_PORT } from "../playwright.config";
import { expect, expectAccessible, islandsReady, signIn, test } from "./fixtures";
import { createActivePlan } from "./reminder-plans";

// The deliveries page against real sends: the worker CLI (`postillion worker --once
// --now …`) plans and sends this tenant's reminders through the platform relay — a
// loopback SMTP server started here that accepts most recipients, answers 550 5.1.1 for
// one address that does not exist, and 535 (a sender-wide failure: the tenant pauses)
// for another while `broken` is set. The admin then sees sent, failed and paused
// mails, reads the failure's advice, and resumes; the waiting mail goes out after that.
// Fixed relay port: the tests of this file run one after another.
test.describe.configure({ mode: "serial" });

const execFileAsync = promisify(execFile);
const GONE = "weg";
const LATE = "carla";
let broken = false;
const delivered: string[] = [];
let relay: SMTPServer;

test.beforeAll(async () => {
  relay = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const local = address.address.split("@")[0]!;
      if (local === GONE) return callback(Object.assign(new Error("5.1.1 <" + address.address + ">: Recipient address rejected: User unknown"), { responseCode: 550 }));
      if (local === LATE && broken) return callback(Object.assign(new Error("5.7.8 Authentication credentials invalid"), { responseCode: 535 }));
      callback();
    },
    onData(stream, session, callback) {
      stream.on("data", () => undefined);
      stream.on("end", () => {
        delivered.push(...session.envelope.rcptTo.map((r) => r.address));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    relay.once("error", reject);
    relay.listen(E2E_RELAY_PORT, "127.0.0.1", () => resolve());
  });
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve()));
});

/** One worker pass at `now`, as the operator's scheduler (or `npm start`) would run it. */
async function runWorker(now: Date): Promise<Record<string, number>> {
  const { stdout } = await execFileAsync("node", ["lib/cli/postillion.mjs", "worker", "--once", "--now", now.toISOString(), "--json"], {
    env: {
      ...process.env,
      DATA_DIR: E2E_DATA_DIR,
      DATABASE_URL: `file:${path.join(E2E_DATA_DIR, "postillion.db")}`,
      SMTP_RELAY_URL: `smtp://127.0.0.1:${E2E_RELAY_PORT}`,
      SMTP_ALLOW_PRIVATE_HOSTS: "true",
      PUBLIC_URL: `http://localhost:${process.env.E2E_PORT ?? 3100}`,
    },
    timeout: 120_000,
  });
  return JSON.parse(stdout) as Record<string, number>;
}

/** A plan with one reminder at `at` (its local date and time in Berlin) for every assignment of the training. */
function oneReminderPlan(db: Db, p: { tenantId: string; trainingId: string; name: string; at: DateTime }) {
  return createActivePlan(db, p, { anchor: "fixed", startDate: p.at.toISODate(), sendTime: p.at.toFormat("HH:mm") });
}

test("an admin sees sent, failed and paused mails, reads the advice, resumes, and the waiting mail goes out", async ({ page, db, seedTenant }) => {
  const seeded = await seedTenant();
  const tenantRow = (await getTenantBySlug(db, seeded.slug))!;
  const tenant = { id: tenantRow.id, timezone: tenantRow.timezone };
  const domain = `${seeded.slug}.example`;
  const realNow = DateTime.now().setZone("Europe/Berlin").startOf("minute");
  // Two sending moments in the recent past (within the planner's late grace).
  const first = realNow.minus({ hours: 2 });
  const second = realNow.minus({ hours: 1 });
  const assignedAt = realNow.minus({ days: 1 }).toUTC().toISO();

  await putSenderSettings(db, {
    tenantId: tenant.id,
    values: {
      mode: "platform",
      displayName: seeded.name,
      replyTo: `hr@${domain}`,
      noreplyAddress: "noreply@reflact.com",
      fromAddress: null,
      smtpHost: null,
      smtpPort: null,
      smtpSecurity: null,
      smtpUser: null,
      smtpPasswordBox: null,
      ratePerMinute: 60,
      dailyQuota: 1000,
      noReplyToConfirmedAt: null,
      freeMailAcknowledgedAt: null,
      noTlsAcknowledgedAt: null,
      lastTest: null,
      updatedAt: new Date(),
      updatedBy: null,
    },
  });
  for (const [ext, name] of [["BS", "Brandschutz"], ["DS", "Datenschutz"]] as const) {
    await putTraining(db, { tenant, actor: CLI_ACTOR, externalId: ext, input: { name }, now: new Date() });
  }
  const t = db.t.trainings;
  const trainings = Object.fromEntries(
    (await db.orm.select({ id: t.id, ext: t.externalId }).from(t).where(eq(t.tenantId, tenant.id))).map((r) => [r.ext!, r.id]),
  );
  await oneReminderPlan(db, { tenantId: tenant.id, trainingId: trainings.BS!, name: "Brandschutz erinnern", at: first });
  await oneReminderPlan(db, { tenantId: tenant.id, trainingId: trainings.DS!, name: "Datenschutz erinnern", at: second });
  const people = [
    { ext: "P1", first: "Anna", last: "Berg", local: "anna", training: "BS" },
    { ext: "P2", first: "Ben", last: "Kurz", local: "ben", training: "BS" },
    { ext: "P3", first: "Wera", last: "Weg", local: GONE, training: "BS" },
    { ext: "P4", first: "Carla", last: "Spät", local: LATE, training: "DS" },
  ];
  for (const p of people) {
    await putLearner(db, { tenant, actor: CLI_ACTOR, externalId: p.ext, input: { email: `${p.local}@${domain}`, firstName: p.first, lastName: p.last }, now: new Date() });
    await putAssignment(db, { tenant, actor: CLI_ACTOR, learnerExternalId: p.ext, trainingExternalId: p.training, input: { assignedAt }, now: new Date() });
  }

  // First moment: Anna and Ben get theirs, Wera's address does not exist.
  await runWorker(first.plus({ minutes: 1 }).toJSDate());
  expect(delivered.filter((a) => a.endsWith(domain)).sort()).toEqual([`anna@${domain}`, `ben@${domain}`]);
  // Second moment: the relay refuses the sender (535): the tenant's sending pauses.
  broken = true;
  await runWorker(second.plus({ minutes: 1 }).toJSDate());
  expect(delivered.filter((a) => a.endsWith(domain))).toHaveLength(2);

  await signIn(page, seeded.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${seeded.slug}$`));
  await page.getByRole("navigation", { name: "Bereiche" }).getByRole("link", { name: "Zustellungen", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Zustellungen", level: 1 })).toBeVisible();

  // Paused: what happened, what to do, the server's reply one click away.
  const banner = page.getByTestId("pause-banner");
  await expect(banner.getByRole("heading", { name: "Der Versand ist angehalten" })).toBeVisible();
  await expect(page.getByTestId("pause-advice")).toContainText("Der Mailserver hat die Anmeldung abgelehnt");
  await expect(banner.getByText("535 5.7.8 Authentication credentials invalid")).toBeHidden();
  await banner.getByText("Die Antwort des Servers (für Ihre IT)").click();
  await expect(banner.getByText(/535 5\.7\.8 Authentication credentials invalid/)).toBeVisible();
  await expect(page.getByTestId("queue-wait")).toContainText("weil der Versand angehalten ist");

  await expect(page.getByTestId("count-sent")).toContainText("2");
  await expect(page.getByTestId("count-failed")).toContainText("1");
  await expect(page.getByTestId("delivery-chart")).toBeVisible();

  // The failed mail says in plain words what is wrong and what happens now.
  const failed = page.locator(`[data-testid="delivery-row"][data-recipient="${GONE}@${domain}"]`);
  await expect(failed).toContainText("Fehlgeschlagen");
  await expect(failed.getByTestId("failure-advice")).toContainText("Diese E-Mail-Adresse gibt es beim Empfänger nicht");
  await failed.getByText("Details", { exact: true }).click();
  await expect(failed.getByText(/550 5\.1\.1/)).toBeVisible();
  await expect(failed).toContainText("Versuch 1");
  // … and its address is blocked now, visibly.
  await expect(page.locator(`[data-testid="suppression-row"][data-address="${GONE}@${domain}"]`)).toContainText("Vom Server abgewiesen");

  const waiting = page.locator(`[data-testid="delivery-row"][data-recipient="${LATE}@${domain}"]`);
  await expect(waiting).toContainText("Neuer Versuch folgt");
  await expect(waiting).toContainText("Wartet, bis der Versand fortgesetzt wird.");
  for (const local of ["anna", "ben"]) {
    await expect(page.locator(`[data-testid="delivery-row"][data-recipient="${local}@${domain}"]`)).toContainText("Verschickt");
  }
  await expectAccessible(page);

  // Filter by state (a plain GET form: the URL is the state).
  await page.getByLabel("Zustand", { exact: true }).selectOption({ label: "Fehlgeschlagen" });
  await page.getByRole("button", { name: "Anzeigen" }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByTestId("delivery-row")).toHaveCount(1);
  await page.getByRole("link", { name: "Alle zeigen" }).click();
  await expect(page.getByTestId("delivery-row")).toHaveCount(4);
  // … and by the kind of failure: the refused address (the review board's "bounced" link).
  await page.getByLabel("Art des Fehlers").selectOption({ label: "Adresse abgelehnt (Bounce)" });
  await page.getByRole("button", { name: "Anzeigen" }).click();
  await expect(page).toHaveURL(/failure=recipient/);
  await expect(page.getByTestId("delivery-row")).toHaveCount(1);
  await expect(page.getByTestId("delivery-row")).toHaveAttribute("data-recipient", `${GONE}@${domain}`);
  await page.getByRole("link", { name: "Alle zeigen" }).click();
  await expect(page.getByTestId("delivery-row")).toHaveCount(4);

  // Resume, after the cause is fixed.
  broken = false;
  await islandsReady(page);
  await banner.getByRole("button", { name: "Versand fortsetzen" }).click();
  await expect(page.getByTestId("resume-result")).toHaveText("Der Versand läuft wieder. Die wartenden Mails gehen jetzt raus.");
  await expect(page.getByTestId("resume-result")).toBeFocused();
  await expect(page.getByTestId("pause-banner")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("pause-banner")).toHaveCount(0);

  await runWorker(second.plus({ minutes: 5 }).toJSDate());
  expect(delivered).toContain(`${LATE}@${domain}`);
  await page.reload();
  await expect(page.getByTestId("count-sent")).toContainText("3");
  await expect(waiting).toContainText("Verschickt");
  await page.getByText("Zahlen als Tabelle zeigen").click();
  await expect(page.getByTestId("delivery-chart-table")).toBeVisible();
  await expectAccessible(page);

  // A hand-edited URL with nonsense filters still shows the page (the bad ones are left out).
  await page.goto(`/t/${seeded.slug}/deliveries?status=lost&from=2026-13-45&plan=x&cursor=!!&blocked=%7B`);
  await expect(page.getByRole("heading", { name: "Zustellungen", level: 1 })).toBeVisible();
  await expect(page.getByTestId("filter-ignored")).toHaveText("Einige Suchangaben in der Adresse waren ungültig und wurden weggelassen.");
  await expect(page.getByTestId("delivery-row")).toHaveCount(4);
  await page.goBack();

  // The learner page shows that person's mail with the same words.
  await failed.getByRole("link", { name: "Wera Weg" }).click();
  await expect(page.getByRole("heading", { name: "Wera Weg", level: 1 })).toBeVisible();
  await expect(page.getByTestId("delivery-row")).toHaveCount(1);
  await expect(page.getByTestId("failure-advice")).toContainText("Diese E-Mail-Adresse gibt es beim Empfänger nicht");
  await expectAccessible(page);
});

test("a trainer does not get the deliveries page", async ({ page, seedTenant }) => {
  const seeded = await seedTenant();
  await signIn(page, seeded.trainer.email);
  await expect(page).toHaveURL(new RegExp(`/t/${seeded.slug}$`));
  const response = await page.goto(`/t/${seeded.slug}/deliveries`);
  expect(response?.status()).toBe(404);
});
