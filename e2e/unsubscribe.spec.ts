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

test("German learner: the page asks, nothing happens until the button; then it says so", async ({ page, db }) => {
  const slug = `uns-${Math.random().toString(36).slice(2, 8)}`;
  const f = await seedMailFixture(db, {
    slug,
    now,
    learners: [{ externalId: "maria", email: `maria@${slug}.example`, firstName: "Maria", locale: "de", assignedAt: "2026-11-27T09:00:00Z" }],
  });
  const row = await insertReminderRow(db, f, { learner: "maria", occurrence: 1, recipient: `maria@${slug}.example`, dueAt: now, status: "sent" });
  const token = unsubscribeToken(row.id);

  await page.goto(`/u/${token}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keine weiteren Erinnerungen erhalten?");
  await expect(page.getByText("„Erinnerungen Datenschutz“")).toBeVisible();
  await expectAccessible(page);
  // The list address's GET (what a scanner fetches) lands here too, and records nothing.
  await page.goto(`/api/unsubscribe/${token}`);
  await expect(page).toHaveURL(new RegExp(`/u/${token.replace(/[.]/g, "\\.")}$`));
  expect(await unsubscribesOf(db, f.tenant.id)).toHaveLength(0);

  await page.getByRole("group").getByText("Was genau passiert?").click();
  await expect(page.getByText(/RFC 8058/)).toBeVisible();
  await page.getByRole("button", { name: "Erinnerungen abbestellen" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sie sind abgemeldet");
  await expect(page.getByRole("status")).toContainText("Datenschutz-Grundlagen");
  await expectAccessible(page);
  expect((await unsubscribesOf(db, f.tenant.id)).map((u) => u.via)).toEqual(["page"]);
});

test("English learner, by keyboard; a broken link says so", async ({ page, db }) => {
  const slug = `uns-${Math.random().toString(36).slice(2, 8)}`;
  const f = await seedMailFixture(db, {
    slug,
    now,
    learners: [{ externalId: "sam", email: `sam@${slug}.example`, firstName: "Sam", locale: "en", assignedAt: "2026-11-27T09:00:00Z" }],
  });
  const row = await insertReminderRow(db, f, { learner: "sam", occurrence: 1, recipient: `sam@${slug}.example`, dueAt: now, status: "sent" });
  const token = unsubscribeToken(row.id);

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

  await page.goto(`/u/${row.id}.forged`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dieser Link funktioniert nicht");
  await expectAccessible(page);
});
