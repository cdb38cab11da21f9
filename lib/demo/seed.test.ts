import { expect, it } from "vitest";
import { authenticate } from "../users/sign-in";
import { listPlans, listTrainings } from "../reminders/queries";
import { getTenantBySlug } from "../tenants/queries";
import { forEachDatabase } from "../testing/databases";
import { DEMO_PASSWORD, DEMO_USERS, isEmpty, seedDemo } from "./seed";

forEachDatabase("demo data", (db) => {
  it("gives two tenants, five sign-ins that work, and a calm reminder plan each; a second run adds nothing", async () => {
    expect(await isEmpty(db())).toBe(true);
    const first = await seedDemo(db(), new Date("2026-11-26T10:00:00Z"));
    expect(first.created).toHaveLength(2 + 2 + DEMO_USERS.length);
    expect(await isEmpty(db())).toBe(false);

    for (const user of DEMO_USERS) {
      const result = await authenticate(db(), { email: user.email, password: DEMO_PASSWORD, address: undefined, now: new Date() });
      expect(result.ok, user.email).toBe(true);
    }
    for (const slug of ["acme", "globex"]) {
      const tenant = (await getTenantBySlug(db(), slug))!;
      const trainings = await listTrainings(db(), { tenantId: tenant.id });
      expect(trainings.rows).toHaveLength(1);
      const plans = await listPlans(db(), { tenantId: tenant.id, trainingIds: [trainings.rows[0]!.id] });
      expect(plans.map((p) => [p.active, p.spamRisk])).toEqual([[true, "low"]]);
      expect(plans[0]!.schedule.timezone).toBe(tenant.timezone);
    }
    expect((await seedDemo(db())).created).toEqual([]);
  });
});
