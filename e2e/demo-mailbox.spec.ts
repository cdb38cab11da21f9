import crypto from "node:crypto";
import nodemailer from "nodemailer";
import { startCatcher } from "../lib/demo/catcher";
import { E2E_DEMO_MAILBOX } from "../playwright.config";
import { expect, expectAccessible, signIn, test } from "./fixtures";

// The suite's server runs with the demo mailbox on (playwright.config.ts); this spec is
// the demo's catcher: it keeps what it accepts in that directory, as under `npm run demo`.
test("a signed-in admin reads the mails addressed to them in the demo mailbox, with the text and every header", async ({ page, seedTenant }) => {
  const tenant = await seedTenant("en");
  const catcher = await startCatcher({ dir: E2E_DEMO_MAILBOX });
  const id = crypto.randomBytes(3).toString("hex");
  try {
    const mail = nodemailer.createTransport({ host: catcher.host, port: catcher.port, secure: false, ignoreTLS: true });
    await mail.sendMail({
      from: `"${tenant.name}" <noreply@reflact.com>`,
      to: tenant.admin.email,
      subject: `Sending paused ${id}`,
      text: `Hello,\nsending for ${tenant.name} is paused (${id}).`,
      headers: { "Auto-Submitted": "auto-generated" },
    });
    await mail.sendMail({ from: "noreply@reflact.com", to: `someone-else-${id}@example.com`, subject: `Not yours ${id}`, text: "x" });
    mail.close();
  } finally {
    await catcher.close();
  }

  await signIn(page, tenant.admin.email);
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/demo/mailbox");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Demo-Postfach|Demo mailbox/);
  const link = page.getByRole("link", { name: `Sending paused ${id}` });
  await expect(link).toBeVisible();
  await expect(page.getByText(`Not yours ${id}`)).toHaveCount(0);
  await expectAccessible(page);

  await link.click();
  await expect(page.getByTestId("mail-text")).toContainText(`is paused (${id})`);
  await page.getByText(/Alle Kopfzeilen|All headers/).click();
  await expect(page.getByText("auto-generated")).toBeVisible();
  await expectAccessible(page);
});
