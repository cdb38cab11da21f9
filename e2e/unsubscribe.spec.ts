import { E2E_DATA_DIR } from "../playwright.config";
import { expect, expectAccessible, test } from "./fixtures";

// The learner's unsubscribe page, as a learner reaches it from a reminder: no sign-in,
// in the learner's language; opening it changes nothing (link scanners open links), the
// button unsubscribes, the page then says so. Tokens are signed with the server's
// secret, which the embedded default keeps in its DATA_DIR.
process.env.DATA_DIR = E2E_DATA_DIR;

const { unsubscribeToken } = await import("../lib/delivery/unsubscribe");
const { insertReminderRow, seedMailFixture, unsubscribesOf } = await import("../lib/testing/mail-fixture");

const now = new Date("2026-11-29T07:30:00Z");

/** A tenant with one learner who got a reminder; the token of that reminder's links. */
async function learnerWithReminder(db: Parameters<typeof seedMailFixture>[0], firstName: string, locale: "de" | "en") {
  const slug = `uns-${Math.random().toString(36).slice(2, 8)}`;
  const email = `${firstName.toLowerCase()}@${slug}.example`;
  const f = await seedMailFixture(db, { slug, now, learners: [{ externalId: "l", email, firstName, locale, assignedAt: "2026-11-27T09:00:00Z" }] });
  const row = await insertReminderRow(db, f, { learner: "l", occurrence: 1, recipient: email, dueAt: now, status: "sent" });
  return { tenantId: f.tenant.id, rowId: row.id, token: unsubscribeToken(row.id) };
}

test("German learner: the page asks, nothing happens until the button; then it says so", async ({ page, db }) => {
  const { tenantId, token } = await learnerWithReminder(db, "Maria", "de");

  await page.goto(`/u/${token}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keine weiteren Erinnerungen erhalten?");
  await expect(page.getByText("„Erinnerungen Datenschutz“")).toBeVisible();
  await expectAccessible(page);
  // The list address's GET (what a scanner fetches) lands here too, and records nothing.
  await page.goto(`/api/unsubscribe/${token}`);
  await expect(page).toHaveURL(new RegExp(`/u/${token.replace(/[.]/g, "\\.")}$`));
  expect(await unsubscribesOf(db, tenantId)).toHaveLength(0);

  await page.getByRole("group").getByText("Was genau passiert?").click();
  await expect(page.getByText(/RFC 8058/)).toBeVisible();
  await page.getByRole("button", { name: "Erinnerungen abbestellen" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sie sind abgemeldet");
  await expect(page.getByRole("status")).toContainText("Datenschutz-Grundlagen");
  await expectAccessible(page);
  expect((await unsubscribesOf(db, tenantId)).map((u) => u.via)).toEqual(["page"]);
});

test("English learner, by keyboard; a broken link says so", async ({ page, db }) => {
  const { rowId, token } = await learnerWithReminder(db, "Sam", "en");

  await page.goto(`/u/${token}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Stop receiving these reminders?");
  await expect(page.locator("main")).toHaveAttribute("lang", "en");
  const button = page.getByRole("button", { name: "Stop these reminders" });
  for (let i = 0; i < 10 && !(await button.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(button).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("You are unsubscribed");
  await page.goto(`/u/${token}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("You are already unsubscribed");

  await page.goto(`/u/${rowId}.forged`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dieser Link funktioniert nicht");
  await expectAccessible(page);
});
