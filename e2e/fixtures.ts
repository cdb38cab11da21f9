import crypto from "node:crypto";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { openDb, type Db } from "../lib/db/client";
import { createTenant } from "../lib/tenants/queries";
import { createUser } from "../lib/users/queries";

export const PASSWORD = "e2e-password-123";

export interface SeededTenant {
  slug: string;
  name: string;
  admin: { email: string };
  trainer: { email: string };
}

/** Each test seeds its own tenant with an admin and a trainer, in the server's database. */
export const test = base.extend<{ db: Db; seedTenant: (locale?: "de" | "en") => Promise<SeededTenant> }>({
  db: async ({}, provide) => {
    const db = await openDb({
      url: `file:${path.join(path.resolve(process.env.E2E_DATA_DIR ?? "test-results/e2e-data"), "postillion.db")}`,
      migrate: false,
    });
    await provide(db);
    await db.close();
  },
  seedTenant: async ({ db }, provide) => {
    await provide(async (locale = "de") => {
      const id = crypto.randomBytes(4).toString("hex");
      const slug = `t-${id}`;
      const name = `Testfirma ${id}`;
      const tenant = await createTenant(db, { slug, name, timezone: "Europe/Berlin", locale });
      const admin = { email: `admin-${id}@example.com` };
      const trainer = { email: `trainer-${id}@example.com` };
      await createUser(db, { ...admin, name: `Admin ${id}`, role: "admin", password: PASSWORD, tenantId: tenant.id });
      await createUser(db, { ...trainer, name: `Trainer ${id}`, role: "trainer", password: PASSWORD, tenantId: tenant.id });
      return { slug, name, admin, trainer };
    });
  },
});

export { expect };

/**
 * Signs in through the form. The submit button stays disabled until the form has
 * hydrated, and the click waits for it: no step depends on how fast the machine is.
 */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel(/E-Mail-Adresse|E-mail address/).fill(email);
  await page.getByLabel(/^(Passwort|Password)$/).fill(password);
  await page.getByRole("button", { name: /^(Anmelden|Sign in)$/ }).click();
}

/** axe-core: no serious or critical accessibility findings on the current page. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

/**
 * Waits until the page's lazily loaded islands (components/<area>/islands.tsx) have hydrated.
 * Their server-rendered forms work before that, but as plain form posts: a test that
 * watches live updates interacts only once the island's script runs.
 */
export async function islandsReady(page: Page) {
  await expect(page.locator('[data-island="pending"]')).toHaveCount(0);
}
