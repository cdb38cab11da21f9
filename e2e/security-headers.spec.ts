import type { Page, Response } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";

// The security headers on the pages a visitor sees first and on the signed-in pages
// with the most client code, and the proof that the Content-Security-Policy blocks
// nothing the app itself does: every violation the browser reports fails the test.

/** Collects CSP violations: the DOM event (registered before any page script) and the console. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("__reportCsp", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportCsp: (t: string) => void }).__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

function expectSecurityHeaders(response: Response | null) {
  expect(response, "no response").not.toBeNull();
  const headers = response!.headers();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).not.toContain("unsafe-inline");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // The e2e server runs on http://localhost: HSTS there would pin the browser to https.
  expect(headers["strict-transport-security"]).toBeUndefined();
  return csp;
}

test("the sign-in page carries the headers, a fresh nonce per request, and a favicon", async ({ page, request }) => {
  const violations = await watchCsp(page);
  const first = expectSecurityHeaders(await page.goto("/login"));
  await expect(page.getByRole("button", { name: /^(Anmelden|Sign in)$/ })).toBeVisible();
  const second = expectSecurityHeaders(await page.goto("/login"));
  expect(second).not.toBe(first);

  // The nonce Next put on its scripts is the one in this response's header.
  const nonce = /'nonce-([^']+)'/.exec(second)![1];
  const scriptNonces = await page.locator("script[src]").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([nonce]));

  const icon = page.locator('link[rel="icon"]').first();
  const href = await icon.getAttribute("href");
  expect(href).toBeTruthy();
  expect((await request.get(href!)).status()).toBe(200);
  const favicon = await request.get("/favicon.svg");
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()["content-type"]).toContain("image/svg+xml");
  expect(favicon.headers()["x-content-type-options"]).toBe("nosniff");

  // Next's build files have their own headers (they skip the proxy).
  const script = await page.locator("script[src]").first().getAttribute("src");
  const asset = await request.get(script!);
  expect(asset.headers()["x-content-type-options"]).toBe("nosniff");
  expect(asset.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");

  // A redirect to sign-in and a route handler's answer carry them too.
  const redirected = await request.get("/tenants", { maxRedirects: 0 });
  expect(redirected.status()).toBe(307);
  expect(redirected.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  const api = await request.get("/api/auth/csrf");
  expect(api.status()).toBe(200);
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(violations).toEqual([]);

  // The watcher sees what the policy blocks: an injected inline handler does not run.
  await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", '<img src="/nope.png" onerror="window.__injected = 1">'));
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(violations.join("\n")).toContain("script-src");
  expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
});

test("the sender and reminders pages work under the policy without a single violation", async ({ page, seedTenant }) => {
  // Two signed-in pages and a dozen debounced previews: more than the default 30 s under load.
  test.setTimeout(120_000);
  const violations = await watchCsp(page);
  const tenant = await seedTenant();
  await signIn(page, tenant.admin.email);
  await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));

  expectSecurityHeaders(await page.goto(`/t/${tenant.slug}/sender`));
  await expect(page.getByRole("heading", { name: "Absender", level: 1 })).toBeVisible();
  // The client form reacts (hydrated scripts run): choosing another mode shows its fields.
  await page.getByRole("radio", { name: /^Eigener SMTP-Server/ }).check();
  await page.getByLabel("Verschlüsselung").selectOption("none");
  await expect(page.getByTestId("no-tls-warning")).toBeVisible();

  await page.getByRole("navigation", { name: "Bereiche" }).getByRole("link", { name: "Erinnerungen" }).click();
  await expect(page.getByRole("heading", { name: "Erinnerungen", level: 1 })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Brandschutz");
  await page.getByRole("button", { name: "Schulung anlegen" }).click();
  await expect(page.getByTestId("form-status")).toContainText("Die Schulung „Brandschutz“ wurde angelegt.");
  await page.getByRole("link", { name: "Neuer Plan für Brandschutz" }).click();
  // The live preview is fetched from the route handler by client code.
  await expect(page.getByTestId("preview-summary")).toContainText("Diese Person erhält 5 Erinnerungen");
  await page.getByLabel("Höchstens … Erinnerungen (optional)").fill("3");
  await expect(page.getByTestId("preview-summary")).toContainText("3 Erinnerungen");

  expectSecurityHeaders(await page.reload());
  await expect(page.getByTestId("preview-summary")).toBeVisible();
  expect(violations).toEqual([]);
});
