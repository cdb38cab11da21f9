"use server";

import { refusedResult, type ActionResult } from "@/lib/action-result";
import { appActor } from "@/lib/auth/policy";
import { reminderPlanFormSchema, trainingFormSchema } from "@/lib/reminders/plan-form-schema";
import { savePlan, saveTraining } from "@/lib/reminders/service";
import { translator } from "@/app/_i18n/translator";
import { revalidate, tenantAction } from "@/app/_server/guard";
import { REMINDER_EDITORS } from "./roles";

export const saveTrainingAction = tenantAction(
  { schema: trainingFormSchema, roles: REMINDER_EDITORS },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "reminders");
    const outcome = await saveTraining(db, { tenant, actor: appActor(actor), input });
    if (!outcome.ok) {
      return refusedResult(outcome, locale, outcome.code === "notFound" ? t("errors.notFound") : t("errors.checkFields"));
    }
    const { id, created, name } = outcome.data;
    revalidate(`/t/${tenant.slug}/reminders`);
    revalidate(`/t/${tenant.slug}/reminders/trainings/${id}`);
    return { ok: true, data: { id }, message: t(created ? "training.created" : "training.updated", { name }) };
  },
);

export const savePlanAction = tenantAction(
  { schema: reminderPlanFormSchema, roles: REMINDER_EDITORS },
  async ({ db, actor, tenant, locale }, input): Promise<ActionResult<{ id: string }>> => {
    const t = translator(locale, "reminders");
    const outcome = await savePlan(db, { tenant, actor: appActor(actor), input });
    if (!outcome.ok) {
      const error =
        outcome.code === "notFound"
          ? t("errors.notFound")
          : outcome.code === "highRiskUnconfirmed"
            ? t("errors.highRiskUnconfirmed")
            : t("errors.checkFields");
      return refusedResult(outcome, locale, error);
    }
    const { id, created, name } = outcome.data;
    revalidate(`/t/${tenant.slug}/reminders`);
    revalidate(`/t/${tenant.slug}/reminders/plans/${id}`);
    return { ok: true, data: { id }, message: t(created ? "plan.created" : "plan.updated", { name }) };
  },
);
