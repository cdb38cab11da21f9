import crypto from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { CLI_ACTOR } from "../auth/policy";
import type { Db } from "../db";
import type { DeliveryRow } from "../delivery/compose";
import type { DeliveryEnvironment } from "../delivery/sender";
import { digestKey, isoWeekOf } from "../delivery/keys";
import type { Locale } from "../i18n/locale";
import { putAssignment, putLearner, putTraining } from "../learners/service";
import { defaultTemplateSet } from "../reminders/defaults";
import type { PlanSchedule } from "../reminders/plan-schema";
import { createPlan } from "../reminders/queries";
import { senderSettingsSchema } from "../sender/sender-schema";
import { saveSenderSettings } from "../sender/service";
import { createTenant } from "../tenants/queries";

/**
 * A tenant with one training, learners with assignments and a reminder plan with the
 * default templates, for the mail tests. The plan is written after the assignments
 * and through the query layer, so the planner hooked into the learner use cases has
 * nothing to plan yet; tests insert the rows they send (`insertReminderRow`) or run the
 * planner themselves.
 */

export interface MailFixtureLearner {
  externalId: string;
  email: string;
  firstName: string;
  lastName?: string;
  locale?: Locale | null;
  responsibleName?: string | null;
  responsibleEmail?: string | null;
  assignedAt: string;
  dueAt?: string | null;
}

export interface MailFixture {
  tenant: { id: string; name: string; timezone: string; locale: Locale };
  trainingId: string;
  planId: string;
  /** By the learner's external id. */
  learnerIds: Record<string, string>;
  assignmentIds: Record<string, string>;
}

export function fixtureSchedule(timezone: string, over: Partial<PlanSchedule> = {}): PlanSchedule {
  return {
    timezone,
    anchor: "assigned",
    offsetDays: 1,
    startDate: null,
    sendTime: "08:30",
    repeatEveryDays: 7,
    endDate: "2027-03-31",
    maxSends: 3,
    weekdaysOnly: false,
    escalateAfterSends: null,
    digestWeekday: null,
    digestTime: null,
    ...over,
  };
}

export async function seedMailFixture(
  db: Db,
  p: {
    slug: string;
    name?: string;
    timezone?: string;
    locale?: Locale;
    trainingName?: string;
    link?: string | null;
    learners: MailFixtureLearner[];
    schedule?: Partial<PlanSchedule>;
    now: Date;
  },
): Promise<MailFixture> {
  const timezone = p.timezone ?? "Europe/Berlin";
  const locale = p.locale ?? "de";
  const created = await createTenant(db, { slug: p.slug, name: p.name ?? "Beispiel GmbH", timezone, locale });
  const tenant = { id: created.id, timezone };
  const must = <T>(o: { ok: true; data: T } | { ok: false }) => {
    if (!o.ok) throw new Error(`fixture: ${JSON.stringify(o)}`);
    return o.data;
  };
  must(
    await putTraining(db, {
      tenant,
      actor: CLI_ACTOR,
      externalId: "T1",
      input: { name: p.trainingName ?? "Datenschutz-Grundlagen", link: p.link === undefined ? "https://learning.example.com/t/1" : p.link },
      now: p.now,
    }),
  );
  const learnerIds: Record<string, string> = {};
  const assignmentIds: Record<string, string> = {};
  for (const l of p.learners) {
    must(
      await putLearner(db, {
        tenant,
        actor: CLI_ACTOR,
        externalId: l.externalId,
        input: {
          email: l.email,
          firstName: l.firstName,
          lastName: l.lastName ?? "Muster",
          locale: l.locale ?? null,
          responsibleName: l.responsibleName ?? null,
          responsibleEmail: l.responsibleEmail ?? null,
        },
        now: p.now,
      }),
    );
    must(
      await putAssignment(db, {
        tenant,
        actor: CLI_ACTOR,
        learnerExternalId: l.externalId,
        trainingExternalId: "T1",
        input: { assignedAt: l.assignedAt, dueAt: l.dueAt ?? null },
        now: p.now,
      }),
    );
    const learnerId = (await db.orm.select({ id: db.t.learners.id }).from(db.t.learners).where(and(eq(db.t.learners.tenantId, created.id), eq(db.t.learners.externalId, l.externalId))))[0]!.id;
    learnerIds[l.externalId] = learnerId;
    const a = db.t.assignments;
    assignmentIds[l.externalId] = (await db.orm.select({ id: a.id }).from(a).where(eq(a.learnerId, learnerId)))[0]!.id;
  }
  const trainingId = (await db.orm.select({ id: db.t.trainings.id }).from(db.t.trainings).where(and(eq(db.t.trainings.tenantId, created.id), eq(db.t.trainings.externalId, "T1"))))[0]!.id;
  const plan = await createPlan(
    db,
    {
      tenantId: created.id,
      trainingId,
      name: "Erinnerungen Datenschutz",
      active: true,
      schedule: fixtureSchedule(timezone, p.schedule),
      templates: defaultTemplateSet(),
      spamRisk: "low",
      highRiskConfirmedAt: null,
      highRiskConfirmedBy: null,
    },
    p.now,
  );
  return { tenant: { id: created.id, name: p.name ?? "Beispiel GmbH", timezone, locale }, trainingId, planId: plan.id, learnerIds, assignmentIds };
}

/** One outbox row as the planner writes it, here as a worker holds it (status sending) unless told. */
export async function insertReminderRow(
  db: Db,
  f: MailFixture,
  p: { learner: string; occurrence: number; recipient: string; dueAt: Date; status?: DeliveryRow["status"]; attempts?: number },
): Promise<DeliveryRow> {
  return insertRow(db, {
    tenantId: f.tenant.id,
    kind: "reminder",
    planId: f.planId,
    assignmentId: f.assignmentIds[p.learner]!,
    learnerId: f.learnerIds[p.learner]!,
    digestKey: null,
    occurrence: p.occurrence,
    recipient: p.recipient,
    dueAt: p.dueAt,
    status: p.status,
    attempts: p.attempts,
  });
}

/** A responsible person's digest row of the ISO week of `dueAt`. */
export async function insertDigestRow(
  db: Db,
  f: MailFixture,
  p: { responsibleEmail: string; dueAt: Date; status?: DeliveryRow["status"] },
): Promise<DeliveryRow> {
  return insertRow(db, {
    tenantId: f.tenant.id,
    kind: "digest",
    planId: null,
    assignmentId: null,
    learnerId: null,
    occurrence: null,
    digestKey: digestKey(p.responsibleEmail, isoWeekOf(p.dueAt, f.tenant.timezone)),
    recipient: p.responsibleEmail,
    dueAt: p.dueAt,
    status: p.status,
  });
}

async function insertRow(
  db: Db,
  p: Pick<DeliveryRow, "tenantId" | "kind" | "planId" | "assignmentId" | "learnerId" | "occurrence" | "digestKey" | "recipient" | "dueAt"> & {
    status?: DeliveryRow["status"];
    attempts?: number;
  },
): Promise<DeliveryRow> {
  const row: DeliveryRow = {
    id: crypto.randomUUID(),
    tenantId: p.tenantId,
    kind: p.kind,
    planId: p.planId,
    assignmentId: p.assignmentId,
    learnerId: p.learnerId,
    occurrence: p.occurrence,
    digestKey: p.digestKey,
    recipient: p.recipient,
    dueAt: p.dueAt,
    status: p.status ?? "sending",
    cancelReason: null,
    attempts: p.attempts ?? 1,
    sentAt: null,
    createdAt: p.dueAt,
    updatedAt: p.dueAt,
    nextAttemptAt: p.dueAt,
    messageId: null,
    leaseOwner: null,
    leaseUntil: null,
    firstAttemptAt: null,
    lastAttemptAt: null,
    failureClass: null,
    lastErrorKind: null,
    lastReply: null,
    subject: null,
    locale: null,
    variantIndex: null,
  };
  await db.orm.insert(db.t.deliveries).values(row);
  return row;
}

/** The fixture tenant sends in platform mode through the environment's relay (as `postillion sender set` would store it). */
export async function usePlatformSender(db: Db, f: MailFixture, env: DeliveryEnvironment, now: Date): Promise<void> {
  const input = senderSettingsSchema(env.sender.profile).parse({
    mode: "platform",
    noreplyAddress: env.sender.profile.noreplyAddresses[0],
    displayName: f.tenant.name,
    replyTo: "schulung@beispiel.example",
    ratePerMinute: "600",
    dailyQuota: "10000",
  });
  await saveSenderSettings(db, { tenantId: f.tenant.id, actorUserId: null, via: "cli", input, keys: env.keys, now });
}

/** A row's status and cancel reason (tests under app/ read through lib/). */
export async function deliveryState(db: Db, id: string): Promise<{ status: DeliveryRow["status"]; reason: string | null } | undefined> {
  const d = db.t.deliveries;
  return (await db.orm.select({ status: d.status, reason: d.cancelReason }).from(d).where(eq(d.id, id)))[0];
}

/** A tenant's rows, oldest due first. */
export async function deliveriesOf(db: Db, tenantId: string): Promise<DeliveryRow[]> {
  const d = db.t.deliveries;
  return db.orm.select().from(d).where(eq(d.tenantId, tenantId)).orderBy(asc(d.dueAt), asc(d.recipient));
}

export async function unsubscribesOf(db: Db, tenantId: string) {
  const u = db.t.unsubscribes;
  return db.orm.select().from(u).where(eq(u.tenantId, tenantId));
}

export async function auditEntries(db: Db, tenantId: string, action: string) {
  const a = db.t.auditLog;
  return db.orm.select().from(a).where(and(eq(a.tenantId, tenantId), eq(a.action, action)));
}
