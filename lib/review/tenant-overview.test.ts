import { beforeAll, expect, it } from "vitest";
import { createPlan, createTraining } from "../reminders/queries";
import { planScheduleSchema } from "../reminders/plan-schema";
import { defaultTemplates } from "../reminders/templates";
import { putSenderSettings } from "../sender/queries";
import { forEachDatabase } from "../testing/databases";
import { tenantStatuses } from "./tenant-overview";
import { createTenant } from "../tenants/queries";

forEachDatabase("consultants' tenant overview", (db) => {
  const ids = {} as Record<"calm" | "risky" | "fresh", string>;

  beforeAll(async () => {
    for (const key of ["calm", "risky", "fresh"] as const) {
      ids[key] = (await createTenant(db(), { slug: `ov-${key}`, name: key, timezone: "Europe/Berlin", locale: "de" })).id;
    }
    const schedule = (repeat: number | null, maxSends: number | null) =>
      planScheduleSchema.parse({
        timezone: "Europe/Berlin", anchor: "assigned", offsetDays: 0, startDate: null, sendTime: "09:00",
        repeatEveryDays: repeat, endDate: repeat ? "2027-03-01" : null, maxSends, weekdaysOnly: false, escalateAfterSends: null,
      });
    for (const [key, level, active] of [["calm", "low", true], ["risky", "high", true], ["risky", "high", false], ["risky", "low", true]] as const) {
      const training = await createTraining(db(), { tenantId: ids[key], name: `${key} ${level} ${active}`, externalId: null, linkUrl: null });
      await createPlan(db(), {
        tenantId: ids[key], trainingId: training.id, name: "p", active, schedule: schedule(level === "high" ? 1 : null, null),
        templates: defaultTemplates, spamRisk: level, highRiskConfirmedAt: null, highRiskConfirmedBy: null,
      });
    }
    for (const key of ["calm", "risky"] as const) {
      await putSenderSettings(db(), {
        tenantId: ids[key],
        values: {
          mode: "platform", displayName: key, replyTo: "hr@example.com", noreplyAddress: "noreply@reflact.com", fromAddress: null,
          smtpHost: null, smtpPort: null, smtpSecurity: null, smtpUser: null, smtpPasswordBox: null,
          ratePerMinute: 60, dailyQuota: 10_000, noReplyToConfirmedAt: null, freeMailAcknowledgedAt: null, noTlsAcknowledgedAt: null,
          lastTest: null, updatedAt: new Date(), updatedBy: null,
        },
      });
    }
  });

  it("tells, per tenant, whether it can send and how many active and high-risk plans it has", async () => {
    const map = await tenantStatuses(db(), { tenantIds: Object.values(ids), relayConfigured: true, now: new Date() });
    expect(map.get(ids.calm)).toMatchObject({ sender: { status: "ready" }, activePlans: 1, highRiskPlans: 0, needsAttention: false });
    expect(map.get(ids.risky)).toMatchObject({ sender: { status: "ready" }, activePlans: 2, highRiskPlans: 1, needsAttention: true });
    expect(map.get(ids.fresh)).toMatchObject({ sender: { status: "not_configured" }, activePlans: 0, highRiskPlans: 0, needsAttention: true });
  });

  it("counts only the tenants asked for, and nothing without a relay is ready on the platform", async () => {
    const map = await tenantStatuses(db(), { tenantIds: [ids.calm], relayConfigured: false, now: new Date() });
    expect([...map.keys()]).toEqual([ids.calm]);
    expect(map.get(ids.calm)?.sender).toMatchObject({ status: "not_ready", reasons: ["relay_missing"] });
  });
});
