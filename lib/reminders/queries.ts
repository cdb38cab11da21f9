import crypto from "node:crypto";
import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db";
import { DuplicateError } from "../errors";
import { planScheduleSchema, templateSetSchema, type PlanSchedule, type TemplateSet } from "./plan-schema";
import type { SpamRiskLevel } from "./spam-risk";

/**
 * Trainings and reminder plans. Every statement carries the tenant predicate, reads
 * and writes by id included: an id of another tenant behaves exactly like a missing one.
 */

export interface Training {
  id: string;
  tenantId: string;
  name: string;
  externalId: string | null;
  linkUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TrainingFields {
  name: string;
  externalId: string | null;
  linkUrl: string | null;
}

export interface ReminderPlan {
  id: string;
  tenantId: string;
  trainingId: string;
  name: string;
  active: boolean;
  schedule: PlanSchedule;
  templates: TemplateSet;
  spamRisk: SpamRiskLevel;
  highRiskConfirmedAt: Date | null;
  highRiskConfirmedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PlanFields {
  trainingId: string;
  name: string;
  active: boolean;
  schedule: PlanSchedule;
  templates: TemplateSet;
  spamRisk: SpamRiskLevel;
  highRiskConfirmedAt: Date | null;
  highRiskConfirmedBy: string | null;
}

// ── Trainings ────────────────────────────────────────────────────────────────

async function externalIdTaken(db: Db, tenantId: string, externalId: string | null, exceptId?: string) {
  if (!externalId) return false;
  const t = db.t.trainings;
  const [row] = await db.orm
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.tenantId, tenantId), eq(t.externalId, externalId)));
  return Boolean(row && row.id !== exceptId);
}

export async function createTraining(db: Db, params: { tenantId: string } & TrainingFields, now = new Date()): Promise<Training> {
  if (await externalIdTaken(db, params.tenantId, params.externalId)) throw new DuplicateError("externalId");
  const row: Training = {
    id: crypto.randomUUID(),
    tenantId: params.tenantId,
    name: params.name,
    externalId: params.externalId,
    linkUrl: params.linkUrl,
    createdAt: now,
    updatedAt: now,
  };
  await db.orm.insert(db.t.trainings).values(row);
  return row;
}

/** Changes a training of this tenant; false when there is none with this id here. */
export async function updateTraining(
  db: Db,
  params: { tenantId: string; trainingId: string } & TrainingFields,
  now = new Date(),
): Promise<boolean> {
  if (await externalIdTaken(db, params.tenantId, params.externalId, params.trainingId)) throw new DuplicateError("externalId");
  const t = db.t.trainings;
  const changed = await db.orm
    .update(t)
    .set({ name: params.name, externalId: params.externalId, linkUrl: params.linkUrl, updatedAt: now })
    .where(and(eq(t.tenantId, params.tenantId), eq(t.id, params.trainingId)))
    .returning({ id: t.id });
  return changed.length > 0;
}

export async function getTraining(db: Db, params: { tenantId: string; trainingId: string }): Promise<Training | undefined> {
  const t = db.t.trainings;
  const [row] = await db.orm
    .select()
    .from(t)
    .where(and(eq(t.tenantId, params.tenantId), eq(t.id, params.trainingId)));
  return row;
}

/** The tenant's trainings by name, paged. */
export async function listTrainings(db: Db, params: { tenantId: string; page?: number; pageSize?: number }) {
  const t = db.t.trainings;
  const pageSize = params.pageSize ?? 20;
  const page = Math.max(1, params.page ?? 1);
  const where = eq(t.tenantId, params.tenantId);
  const [rows, [total]] = await Promise.all([
    db.orm.select().from(t).where(where).orderBy(asc(t.name), asc(t.id)).limit(pageSize).offset((page - 1) * pageSize),
    db.orm.select({ n: count() }).from(t).where(where),
  ]);
  return { rows: rows as Training[], total: Number(total?.n ?? 0), page, pageSize };
}

// ── Reminder plans ───────────────────────────────────────────────────────────

type PlanRow = typeof import("../db/schema/pg").reminderPlans.$inferSelect;

/**
 * Stored JSON goes through the shared schemas on the way out too: a row written by an
 * older version (or by hand) is refused loudly instead of becoming a wrong schedule.
 */
function toPlan(row: PlanRow): ReminderPlan {
  return {
    ...row,
    schedule: planScheduleSchema.parse(row.schedule),
    templates: templateSetSchema.parse(row.templates),
  };
}

export async function createPlan(db: Db, params: { tenantId: string } & PlanFields, now = new Date()): Promise<ReminderPlan> {
  const row = {
    id: crypto.randomUUID(),
    tenantId: params.tenantId,
    trainingId: params.trainingId,
    name: params.name,
    active: params.active,
    schedule: { ...params.schedule },
    templates: { ...params.templates },
    spamRisk: params.spamRisk,
    highRiskConfirmedAt: params.highRiskConfirmedAt,
    highRiskConfirmedBy: params.highRiskConfirmedBy,
    createdAt: now,
    updatedAt: now,
  };
  await db.orm.insert(db.t.reminderPlans).values(row);
  return toPlan(row);
}

/** Changes a plan of this tenant; false when there is none with this id here. */
export async function updatePlan(
  db: Db,
  params: { tenantId: string; planId: string } & PlanFields,
  now = new Date(),
): Promise<boolean> {
  const p = db.t.reminderPlans;
  const changed = await db.orm
    .update(p)
    .set({
      trainingId: params.trainingId,
      name: params.name,
      active: params.active,
      schedule: { ...params.schedule },
      templates: { ...params.templates },
      spamRisk: params.spamRisk,
      highRiskConfirmedAt: params.highRiskConfirmedAt,
      highRiskConfirmedBy: params.highRiskConfirmedBy,
      updatedAt: now,
    })
    .where(and(eq(p.tenantId, params.tenantId), eq(p.id, params.planId)))
    .returning({ id: p.id });
  return changed.length > 0;
}

export async function getPlan(db: Db, params: { tenantId: string; planId: string }): Promise<ReminderPlan | undefined> {
  const p = db.t.reminderPlans;
  const [row] = await db.orm
    .select()
    .from(p)
    .where(and(eq(p.tenantId, params.tenantId), eq(p.id, params.planId)));
  return row ? toPlan(row) : undefined;
}

/** The plans of some of this tenant's trainings, by name. */
export async function listPlans(db: Db, params: { tenantId: string; trainingIds: string[] }): Promise<ReminderPlan[]> {
  if (params.trainingIds.length === 0) return [];
  const p = db.t.reminderPlans;
  const rows = await db.orm
    .select()
    .from(p)
    .where(and(eq(p.tenantId, params.tenantId), inArray(p.trainingId, params.trainingIds)))
    .orderBy(asc(p.name), asc(p.id));
  return rows.map(toPlan);
}

export async function countActivePlans(db: Db, params: { tenantId: string }): Promise<number> {
  const p = db.t.reminderPlans;
  const [row] = await db.orm
    .select({ n: count() })
    .from(p)
    .where(and(eq(p.tenantId, params.tenantId), eq(p.active, true)));
  return Number(row?.n ?? 0);
}

/** Per tenant (all tenants when `tenantIds` is left out): active plans and how many of them are high- and medium-risk (the consultants' overview, the review board). */
export async function planCountsByTenant(
  db: Db,
  params: { tenantIds?: string[] },
): Promise<Map<string, { active: number; highRisk: number; mediumRisk: number }>> {
  const out = new Map<string, { active: number; highRisk: number; mediumRisk: number }>();
  if (params.tenantIds?.length === 0) return out;
  const p = db.t.reminderPlans;
  const rows = await db.orm
    .select({
      tenantId: p.tenantId,
      active: count(),
      highRisk: sql<string | number>`sum(case when ${p.spamRisk} = 'high' then 1 else 0 end)`,
      mediumRisk: sql<string | number>`sum(case when ${p.spamRisk} = 'medium' then 1 else 0 end)`,
    })
    .from(p)
    .where(and(params.tenantIds ? inArray(p.tenantId, params.tenantIds) : undefined, eq(p.active, true)))
    .groupBy(p.tenantId);
  for (const row of rows) {
    out.set(row.tenantId, { active: Number(row.active), highRisk: Number(row.highRisk ?? 0), mediumRisk: Number(row.mediumRisk ?? 0) });
  }
  return out;
}

/** A training of this tenant by the learning platform's id (the CLI names trainings so). */
export async function getTrainingByExternalId(
  db: Db,
  params: { tenantId: string; externalId: string },
): Promise<Training | undefined> {
  const t = db.t.trainings;
  const [row] = await db.orm
    .select()
    .from(t)
    .where(and(eq(t.tenantId, params.tenantId), eq(t.externalId, params.externalId)));
  return row;
}

/** The active plans of one training of this tenant (the spam meter counts them together). */
export async function listActivePlansOfTraining(
  db: Db,
  params: { tenantId: string; trainingId: string },
): Promise<ReminderPlan[]> {
  const p = db.t.reminderPlans;
  const rows = await db.orm
    .select()
    .from(p)
    .where(and(eq(p.tenantId, params.tenantId), eq(p.trainingId, params.trainingId), eq(p.active, true)))
    .orderBy(asc(p.name), asc(p.id));
  return rows.map(toPlan);
}
