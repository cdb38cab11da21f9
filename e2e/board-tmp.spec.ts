import { expect, expectAccessible, signIn, test } from "./fixtures";

test("board renders (temporary check, not committed)", async ({ page }) => {
  await signIn(page, "consultant@postillion.example", "postillion-demo");
  await page.goto("/review");
  await expect(page.getByRole("heading", { level: 1, name: "Prüfübersicht" })).toBeVisible();
  await expectAccessible(page);
  await page.setViewportSize({ width: 1600, height: 1400 });
  await page.screenshot({ path: "test-results/board-all.png", fullPage: true });
  await page.getByLabel("Versand").selectOption({ label: "Nicht bereit" });
  await page.getByTestId("review-filter-apply").click();
  await expect(page).toHaveURL(/ready=not_ready/);
  await expect(page.getByTestId("review-row")).toHaveCount(5);
  await page.getByTestId("review-sort-name").getByRole("link").click();
  await expect(page.getByTestId("review-sort-name")).toHaveAttribute("aria-sort", "ascending");
  await page.screenshot({ path: "test-results/board-notready.png", fullPage: true });
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Review board" })).toBeVisible();
  await expectAccessible(page);
  await page.goto("/review?sort=name");
  await page.screenshot({ path: "test-results/board-en.png", fullPage: true });
});
