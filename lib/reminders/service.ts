import { writeAuditBy } from "../audit/log";
import { can, type UseCaseActor } from "../auth/policy";
import type { Db } from "../db";
import { planPlan } from "../delivery/planner";
import { fail, ok, outcomeOf, type Outcome } from "../errors";
import type { Localized } from "../i18n/locale";
import { localizedIssues } from "../validation/localize";
import { planInputSchema, scheduleOf, trainingInputSchema } from "./plan-form-schema";
import { planScheduleSchema } from "./plan-schema";
import {
  createPlan,
  createTraining,
  getPlan,
  getTraining,
  listActivePlansOfTraining,
  updatePlan,
  updateTraining,
  type ReminderPlan,
} from "./queries";
import { assessCombinedSpamRisk, type CombinedSpamRisk } from "./spam-risk";

/** The tenant a use case works in: its id, and its zone (every stored schedule is in it). */
export interface TenantRef {
  id: string;
  timezone: string;
}

const TRAINING_MISSING: Localized = {
  de: "Bitte eine Schulung dieses Mandanten wählen.",
  en: "Please choose one of this tenant's trainings.",
};
const EXTERNAL_ID_TAKEN: Localized = {
  de: "Eine andere Schulung dieses Mandanten hat schon diese externe ID.",
  en: "Another training of this tenant already has this external ID.",
};
const HIGH_RISK_UNCONFIRMED: Localized = {
  de: "Dieser Plan hat ein hohes Spam-Risiko. Um ihn trotzdem zu speichern, bestätigen Sie bitte, dass Sie das Risiko gelesen haben.",
  en: "This plan has a high spam risk. To save it anyway, confirm that you have read the risk.",
};

/** Creates (no id) or changes (id) a training; the external id is unique per tenant. */
export async function saveTraining(
  db: Db,
  params: { tenant: TenantRef; actor: UseCaseActor; input: unknown; now?: Date },
): Promise<Outcome<{ id: string; created: boolean; name: string }>> {
  if (!can(params.actor, "reminders.edit")) return fail("forbidden");
  const parsed = trainingInputSchema.safeParse(params.input);
  if (!parsed.success) return fail("invalid", localizedIssues(parsed.error));
  const input = parsed.data;
  const tenantId = params.tenant.id;
  const now = params.now ?? new Date();
  const fields = { name: input.name, externalId: input.externalId, linkUrl: input.linkUrl };
  const outcome = await outcomeOf(async () => {
    const id = await db.transaction(async (tx) => {
      let trainingId = input.id;
      if (trainingId) {
        // An id of another tenant is "not found", exactly like a missing one.
        if (!(await updateTraining(tx, { tenantId, trainingId, ...fields }, now))) return null;
      } else {
        trainingId = (await createTraining(tx, { tenantId, ...fields }, now)).id;
      }
      await writeAuditBy(
        tx,
        params.actor,
        {
          tenantId,
          action: input.id ? "training.update" : "training.create",
          targetType: "training",
          targetId: trainingId,
          details: fields,
        },
        now,
      );
      return trainingId;
    });
    return id ? ok({ id, created: !input.id, name: input.name }) : fail("notFound");
  });
  if (!outcome.ok && outcome.code === "duplicate") return fail("duplicate", { externalId: EXTERNAL_ID_TAKEN });
  return outcome;
}

export interface SavedPlan {
  id: string;
  created: boolean;
  name: string;
  /** The meter over all active plans of the training, and the overlaps the editor warns about. */
  spam: CombinedSpamRisk;
}

/**
 * Creates or changes a reminder plan. The rule: the spam meter rates the worst-case
 * learner over every active plan of the training together (this plan with its new
 * values); a high risk needs the explicit confirmation of the person saving, which is
 * stored and audited with the meter's numbers and words. After the save the plan's
 * reminders are planned (or cancelled, when it was deactivated) for every open
 * assignment of its training.
 */
export async function savePlan(
  db: Db,
  params: { tenant: TenantRef; actor: UseCaseActor; input: unknown; now?: Date },
): Promise<Outcome<SavedPlan>> {
  if (!can(params.actor, "reminders.edit")) return fail("forbidden");
  const parsed = planInputSchema.safeParse(params.input);
  if (!parsed.success) return fail("invalid", localizedIssues(parsed.error));
  const input = parsed.data;
  const tenantId = params.tenant.id;
  const now = params.now ?? new Date();

  const training = await getTraining(db, { tenantId, trainingId: input.trainingId });
  if (!training) return fail("invalid", { trainingId: TRAINING_MISSING });
  if (input.id && !(await getPlan(db, { tenantId, planId: input.id }))) return fail("notFound");

  // The stored schedule is exactly what the CLI and the engine validate.
  const checked = planScheduleSchema.safeParse(scheduleOf(input, params.tenant.timezone));
  if (!checked.success) return fail("invalid", localizedIssues(checked.error));
  const schedule = checked.data;

  const others = input.active ? await otherActivePlans(db, { tenantId, trainingId: training.id, planId: input.id }) : [];
  const spam = assessCombinedSpamRisk({ id: input.id, name: input.name, schedule, templates: input.templates }, others, { now });
  const risk = spam.risk;
  const high = risk.level === "high";
  if (high && !input.confirmHighRisk) {
    return fail("highRiskUnconfirmed", { confirmHighRisk: HIGH_RISK_UNCONFIRMED }, { spam });
  }
  const actorId = params.actor.userId;
  const fields = {
    trainingId: training.id,
    name: input.name,
    active: input.active,
    schedule,
    templates: input.templates,
    spamRisk: risk.level,
    highRiskConfirmedAt: high ? now : null,
    highRiskConfirmedBy: high ? actorId : null,
  };

  const id = await db.transaction(async (tx) => {
    let planId = input.id;
    if (planId) {
      if (!(await updatePlan(tx, { tenantId, planId, ...fields }, now))) return null;
    } else {
      planId = (await createPlan(tx, { tenantId, ...fields }, now)).id;
    }
    await writeAuditBy(
      tx,
      params.actor,
      {
        tenantId,
        action: input.id ? "reminderPlan.update" : "reminderPlan.create",
        targetType: "reminderPlan",
        targetId: planId,
        details: {
          name: input.name,
          trainingId: training.id,
          active: input.active,
          spamRisk: risk.level,
          spamRiskAlone: spam.alone.level,
          activePlans: spam.plans,
          schedule,
        },
      },
      now,
    );
    if (high) {
      // The explicit confirmation, with what was confirmed: the meter's numbers and words.
      await writeAuditBy(
        tx,
        params.actor,
        {
          tenantId,
          action: "reminderPlan.highRiskConfirmed",
          targetType: "reminderPlan",
          targetId: planId,
          details: {
            level: risk.level,
            mails: risk.mails,
            spanDays: risk.spanDays,
            variants: risk.variants,
            sameTextMax: risk.sameTextMax,
            minGapDays: risk.minGapDays,
            medianGapDays: risk.medianGapDays,
            activePlans: spam.plans,
            summary: risk.summary.en,
            reasons: risk.reasons.map((r) => r.en),
            remedies: risk.remedies.map((r) => r.en),
          },
        },
        now,
      );
    }
    return planId;
  });
  if (!id) return fail("notFound");
  // Outside the save's transaction: the training's assignments are planned in pages.
  await planPlan(db, { tenantId, planId: id, now });
  return ok({ id, created: !input.id, name: input.name, spam });
}

/** For the editor's meter: the training's active plans other than `planId` (a read, no rule). */
export async function otherActivePlans(
  db: Db,
  params: { tenantId: string; trainingId: string; planId: string | null },
): Promise<ReminderPlan[]> {
  const plans = await listActivePlansOfTraining(db, { tenantId: params.tenantId, trainingId: params.trainingId });
  return plans.filter((p) => p.id !== params.planId);
}
