"use server";

import type { ActionResult } from "@/lib/action-result";
import { writeAudit } from "@/lib/audit/log";
import { planScheduleSchema } from "@/lib/reminders/plan-schema";
import { reminderPlanFormSchema, scheduleOf, trainingFormSchema } from "@/lib/reminders/plan-form-schema";
import { createPlan, createTraining, getPlan, getTraining, updatePlan, updateTraining } from "@/lib/reminders/queries";
import { assessSpamRisk } from "@/lib/reminders/spam-risk";
import { distinctVariantCount } from "@/lib/reminders/templates";
import { DuplicateError } from "@/lib/tenants/queries";
import { translator } from "@/app/_i18n/translator";
import { revalidate, tenantAction } from "@/app/_server/guard";
import { REMINDER_EDITORS } from "./roles";

const EDITORS = REMINDER_EDITORS;

export const saveTrainingAction = tenantAction(
  { schema: trainingFormSchema, roles: EDITORS },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "reminders");
    const fields = { name: input.name, externalId: input.externalId, linkUrl: input.linkUrl };
    try {
      const id = await db.transaction(async (tx) => {
        let trainingId = input.id;
        if (trainingId) {
          const changed = await updateTraining(tx, { tenantId: tenant.id, trainingId, ...fields });
          if (!changed) return null;
        } else {
          trainingId = (await createTraining(tx, { tenantId: tenant.id, ...fields })).id;
        }
        await writeAudit(tx, {
          tenantId: tenant.id,
          actorUserId: actor.id,
          action: input.id ? "training.update" : "training.create",
          targetType: "training",
          targetId: trainingId,
          details: fields,
        });
        return trainingId;
      });
      // An id of another tenant is "not found", exactly like a missing one.
      if (!id) return { ok: false, error: t("errors.notFound") };
      revalidate(`/t/${tenant.slug}/reminders`);
      revalidate(`/t/${tenant.slug}/reminders/trainings/${id}`);
      return {
        ok: true,
        data: { id },
        message: t(input.id ? "training.updated" : "training.created", { name: input.name }),
      };
    } catch (error) {
      if (error instanceof DuplicateError) {
        return { ok: false, error: t("errors.checkFields"), fieldErrors: { externalId: t("training.externalIdTaken") } };
      }
      throw error;
    }
  },
);

export const savePlanAction = tenantAction(
  { schema: reminderPlanFormSchema, roles: EDITORS },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "reminders");
    const now = new Date();
    const training = await getTraining(db, { tenantId: tenant.id, trainingId: input.trainingId });
    if (!training) {
      return { ok: false, error: t("errors.checkFields"), fieldErrors: { trainingId: t("errors.trainingMissing") } };
    }
    const existing = input.id ? await getPlan(db, { tenantId: tenant.id, planId: input.id }) : undefined;
    if (input.id && !existing) return { ok: false, error: t("errors.notFound") };

    // The stored schedule is exactly what the CLI and the engine validate.
    const schedule = planScheduleSchema.parse(scheduleOf(input, tenant.timezone));
    const risk = assessSpamRisk(schedule, distinctVariantCount(input.templates), { now });
    const high = risk.level === "high";
    if (high && !input.confirmHighRisk) {
      return {
        ok: false,
        error: t("errors.highRiskUnconfirmed"),
        fieldErrors: { confirmHighRisk: t("errors.highRiskUnconfirmed") },
      };
    }
    const fields = {
      trainingId: training.id,
      name: input.name,
      active: input.active,
      schedule,
      templates: input.templates,
      spamRisk: risk.level,
      highRiskConfirmedAt: high ? now : null,
      highRiskConfirmedBy: high ? actor.id : null,
    };

    const id = await db.transaction(async (tx) => {
      let planId = input.id;
      if (planId) {
        if (!(await updatePlan(tx, { tenantId: tenant.id, planId, ...fields }, now))) return null;
      } else {
        planId = (await createPlan(tx, { tenantId: tenant.id, ...fields }, now)).id;
      }
      await writeAudit(
        tx,
        {
          tenantId: tenant.id,
          actorUserId: actor.id,
          action: input.id ? "reminderPlan.update" : "reminderPlan.create",
          targetType: "reminderPlan",
          targetId: planId,
          details: { name: input.name, trainingId: training.id, active: input.active, spamRisk: risk.level, schedule },
        },
        now,
      );
      if (high) {
        // The explicit confirmation, with what was confirmed: the meter's numbers and words.
        await writeAudit(
          tx,
          {
            tenantId: tenant.id,
            actorUserId: actor.id,
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
    if (!id) return { ok: false, error: t("errors.notFound") };
    revalidate(`/t/${tenant.slug}/reminders`);
    revalidate(`/t/${tenant.slug}/reminders/plans/${id}`);
    return { ok: true, data: { id }, message: t(input.id ? "plan.updated" : "plan.created", { name: input.name }) };
  },
);
