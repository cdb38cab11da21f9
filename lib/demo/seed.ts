import { eq } from "drizzle-orm";
import { config } from "../config/platform-profile";
import type { Db } from "../db";
import { planScheduleSchema } from "../reminders/plan-schema";
import { createPlan, createTraining } from "../reminders/queries";
import { assessSpamRisk } from "../reminders/spam-risk";
import { defaultTemplates, distinctVariantCount } from "../reminders/templates";
import { countTenants, createTenant } from "../tenants/queries";
import { createUser, findUserByEmail } from "../users/queries";
import { DEMO_TRAININGS, seedDemoLearners } from "./learners";
import { insertRecentMails, putTenantInState, type TenantState } from "./tenant-states";

/** The demo's sign-ins (documented in the README). */
export const DEMO_PASSWORD = "postillion-demo";
export const DEMO_USERS = [
  { email: "consultant@postillion.example", name: "Conny Consultant", role: "consultant", tenant: null },
  { email: "admin@acme.example", name: "Anna Admin", role: "admin", tenant: "acme" },
  { email: "trainer@acme.example", name: "Tim Trainer", role: "trainer", tenant: "acme" },
  { email: "admin@globex.example", name: "Grace Admin", role: "admin", tenant: "globex" },
  { email: "trainer@globex.example", name: "George Trainer", role: "trainer", tenant: "globex" },
] as const;
export const DEMO_TENANTS = [
  { slug: "acme", name: "Acme Schulungen GmbH", timezone: "Europe/Berlin", locale: "de" },
  { slug: "globex", name: "Globex Learning Ltd", timezone: "Europe/London", locale: "en" },
] as const;

/**
 * Tenants that give the consultants' review board (/review) something to look at, each
 * in another state; no users of their own (a consultant opens them). The live demo
 * (lib/demo/live.ts) leaves them alone.
 */
export const DEMO_REVIEW_TENANTS: readonly { slug: string; name: string; timezone: string; locale: "de" | "en"; state: TenantState; mails?: { sent: number; failed: number; bounced: number } }[] = [
  { slug: "initech", name: "Initech Akademie", timezone: "Europe/Berlin", locale: "de", state: "smtp_failed" },
  { slug: "umbrella", name: "Umbrella Training AG", timezone: "Europe/Zurich", locale: "de", state: "domain_red" },
  { slug: "stark", name: "Stark Weiterbildung GmbH", timezone: "Europe/Berlin", locale: "de", state: "domain_green", mails: { sent: 180, failed: 2, bounced: 1 } },
  { slug: "hooli", name: "Hooli Learning Inc.", timezone: "America/New_York", locale: "en", state: "high_risk", mails: { sent: 240, failed: 21, bounced: 14 } },
  { slug: "wayne", name: "Wayne Academy Ltd", timezone: "Europe/London", locale: "en", state: "paused", mails: { sent: 35, failed: 3, bounced: 0 } },
  { slug: "vandelay", name: "Vandelay Industries", timezone: "Europe/London", locale: "en", state: "not_configured" },
];

export async function isEmpty(db: Db): Promise<boolean> {
  if ((await countTenants(db)) > 0) return false;
  const [anyUser] = await db.orm.select({ id: db.t.users.id }).from(db.t.users).limit(1);
  return !anyUser;
}

/** Creates the demo tenants and users; existing ones are left as they are. */
export async function seedDemo(db: Db, now = new Date()): Promise<{ created: string[] }> {
  const created: string[] = [];
  const tenantIds = new Map<string, string>();
  for (const tenant of DEMO_TENANTS) {
    const [existing] = await db.orm
      .select({ id: db.t.tenants.id })
      .from(db.t.tenants)
      .where(eq(db.t.tenants.slug, tenant.slug));
    if (existing) tenantIds.set(tenant.slug, existing.id);
    else {
      const row = await createTenant(db, { ...tenant });
      tenantIds.set(tenant.slug, row.id);
      created.push(`tenant ${tenant.slug}`);
    }
  }
  for (const tenant of DEMO_TENANTS) {
    if (created.includes(`tenant ${tenant.slug}`)) {
      await seedDemoPlan(db, tenantIds.get(tenant.slug)!, tenant.timezone, tenant.locale, now);
      created.push(`training and reminder plan for ${tenant.slug}`);
    }
  }
  for (const tenant of DEMO_TENANTS) {
    // After the plan's training exists: the learners are assigned to it, among others.
    if (await seedDemoLearners(db, { id: tenantIds.get(tenant.slug)!, timezone: tenant.timezone, locale: tenant.locale }, now)) {
      created.push(`learners and assignments for ${tenant.slug}`);
    }
  }
  for (const tenant of DEMO_REVIEW_TENANTS) {
    if (await seedReviewTenant(db, tenant, now)) created.push(`tenant ${tenant.slug} (${tenant.state.replace(/_/g, " ")})`);
  }
  for (const user of DEMO_USERS) {
    if (await findUserByEmail(db, user.email)) continue;
    await createUser(db, {
      email: user.email,
      name: user.name,
      role: user.role,
      password: DEMO_PASSWORD,
      tenantId: user.tenant ? tenantIds.get(user.tenant) : undefined,
    });
    created.push(`user ${user.email}`);
  }
  return { created };
}

async function seedReviewTenant(db: Db, tenant: (typeof DEMO_REVIEW_TENANTS)[number], now: Date): Promise<boolean> {
  const [existing] = await db.orm.select({ id: db.t.tenants.id }).from(db.t.tenants).where(eq(db.t.tenants.slug, tenant.slug));
  if (existing) return false;
  const { state, mails, ...fields } = tenant;
  const row = await createTenant(db, fields);
  const domain = `${tenant.slug}.example`;
  await putTenantInState(db, { tenantId: row.id, slug: tenant.slug, name: tenant.name, state, domain, noreply: config().PLATFORM_NOREPLY_ADDRESSES[0]!, now });
  if (state !== "not_configured") await seedDemoPlan(db, row.id, tenant.timezone, tenant.locale, now);
  if (mails) await insertRecentMails(db, { tenantId: row.id, domain, ...mails, now });
  return true;
}

/** One training with a calm weekly plan: three reminders, escalation to the digest after them. */
async function seedDemoPlan(db: Db, tenantId: string, timezone: string, locale: "de" | "en", now: Date) {
  const de = locale === "de";
  const privacy = DEMO_TRAININGS.privacy;
  const training = await createTraining(
    db,
    { tenantId, name: privacy[locale], externalId: privacy.externalId, linkUrl: privacy.link },
    now,
  );
  const endDate = new Date(now.getTime() + 90 * 86_400_000).toISOString().slice(0, 10);
  const schedule = planScheduleSchema.parse({
    timezone,
    anchor: "assigned",
    offsetDays: 3,
    startDate: null,
    sendTime: "09:00",
    repeatEveryDays: 7,
    endDate,
    maxSends: 3,
    weekdaysOnly: true,
    escalateAfterSends: 3,
    digestWeekday: 1,
    digestTime: "08:00",
  });
  const templates = defaultTemplates;
  await createPlan(
    db,
    {
      tenantId,
      trainingId: training.id,
      name: de ? "Wöchentliche Erinnerung" : "Weekly reminder",
      active: true,
      schedule,
      templates,
      spamRisk: assessSpamRisk(schedule, distinctVariantCount(templates), { now }).level,
      highRiskConfirmedAt: null,
      highRiskConfirmedBy: null,
    },
    now,
  );
}
