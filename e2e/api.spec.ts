import crypto from "node:crypto";
import { expect, expectAccessible, islandsReady, signIn, test } from "./fixtures";

// The learning platform's path end to end: an admin creates an API key on the keys page,
// a program uses it against the running server's /api/v1 (training, learner,
// assignment), and the learner appears on the tenant's learner list. The reference
// page renders from the generated document and passes axe.

test.describe("HTTP API v1", () => {
  test("a key created on the page works against the API, and what it sends appears in the app", async ({ page, request, seedTenant }) => {
    const tenant = await seedTenant();
    await signIn(page, tenant.admin.email);
    await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));

    await page.goto(`/t/${tenant.slug}/api-keys`);
    await islandsReady(page);
    await page.getByLabel("Name", { exact: true }).fill("LMS e2e");
    await page.getByRole("button", { name: "Schlüssel erstellen" }).click();
    const field = page.getByTestId("new-api-key").locator("#new-api-key-value");
    await expect(field).toHaveValue(/^pst_/);
    const key = await field.inputValue();
    const auth = { authorization: `Bearer ${key}` };

    // Without the key: 401 with a Bearer challenge, as a problem document.
    const refused = await request.get("/api/v1/learners");
    expect(refused.status()).toBe(401);
    expect(refused.headers()["www-authenticate"]).toMatch(/^Bearer/);
    expect(refused.headers()["content-type"]).toBe("application/problem+json");

    const id = crypto.randomBytes(3).toString("hex");
    const training = await request.put(`/api/v1/trainings/course-${id}`, { headers: auth, data: { name: "Datenschutz Grundlagen" } });
    expect(training.status()).toBe(201);
    const learner = await request.put(`/api/v1/learners/emp-${id}`, {
      headers: auth,
      data: { email: `anna.${id}@example.com`, firstName: "Anna", lastName: `Berger-${id}`, locale: "de" },
    });
    expect(learner.status()).toBe(201);
    const again = await request.put(`/api/v1/learners/emp-${id}`, {
      headers: auth,
      data: { email: `anna.${id}@example.com`, firstName: "Anna", lastName: `Berger-${id}`, locale: "de" },
    });
    expect(again.status()).toBe(200);
    expect((await again.json()).result).toBe("unchanged");
    const assignment = await request.put(`/api/v1/assignments/emp-${id}/course-${id}`, {
      headers: auth,
      data: { assignedAt: new Date().toISOString(), dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString() },
    });
    expect(assignment.status()).toBe(201);
    expect((await assignment.json()).assignment.status).toBe("open");

    // Through the real server: the body limit and the problem's field names.
    const bad = await request.post("/api/v1/learners/batch", {
      headers: auth,
      data: { learners: [{ externalId: "x-1", email: "nope", firstName: "A", lastName: "B" }] },
    });
    expect(bad.status()).toBe(422);
    expect((await bad.json()).errors[0].field).toBe("learners[0].email");
    const huge = await request.put(`/api/v1/learners/emp-${id}`, {
      headers: { ...auth, "content-type": "application/json" },
      data: JSON.stringify({ firstName: "x".repeat(2 * 1024 * 1024 + 10) }),
    });
    expect(huge.status()).toBe(413);

    const detail = await request.get(`/api/v1/learners/emp-${id}`, { headers: auth });
    expect((await detail.json()).assignments).toHaveLength(1);

    await page.goto(`/t/${tenant.slug}/learners`);
    await expect(page.getByText(`Berger-${id}, Anna`)).toBeVisible();
    await expect(page.getByText(`anna.${id}@example.com`)).toBeVisible();
  });

  test("the API reference renders from the generated document, in German and English, and passes axe", async ({ page, request, seedTenant }) => {
    const tenant = await seedTenant();
    await signIn(page, tenant.trainer.email);
    await expect(page).toHaveURL(new RegExp(`/t/${tenant.slug}$`));
    await page.goto("/docs/api");
    await expect(page.getByRole("heading", { name: "API-Referenz", level: 1 })).toBeVisible();
    const toc = page.getByRole("navigation", { name: "Inhalt" });
    await toc.getByRole("link", { name: "POST /api/v1/learners/batch" }).click();
    await expect(page).toHaveURL(/#upsertLearnerBatch$/);
    const batch = page.locator("#upsertLearnerBatch");
    await expect(batch.getByRole("heading", { level: 2 })).toContainText("/api/v1/learners/batch");
    await expect(batch.getByRole("cell", { name: "learners[].email" })).toBeVisible();
    await expect(batch.locator("pre code")).toContainText('curl -X POST "$POSTILLION_URL/api/v1/learners/batch"');
    await expectAccessible(page);

    const doc = await request.get("/api/v1/openapi.json");
    expect(doc.status()).toBe(200);
    expect((await doc.json()).openapi).toBe("3.1.0");

    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();
    await expect(page.locator("#putAssignment")).toContainText("Assign a training to a learner");
    await expectAccessible(page);
  });
});
