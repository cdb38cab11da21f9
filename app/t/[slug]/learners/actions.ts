"use server";

import type { ActionResult } from "@/lib/action-result";
import { appActor, rolesFor } from "@/lib/auth/policy";
import type { Outcome } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/locale";
import { assignmentFormSchema, learnerActiveFormSchema } from "@/lib/learners/action-schema";
import { getLearnerDetail } from "@/lib/learners/queries";
import { closeAssignment, setLearnerActive } from "@/lib/learners/service";
import { translator } from "@/app/_i18n/translator";
import { revalidate, tenantAction } from "@/app/_server/guard";
import { serverText } from "@/app/_server/server-text";

const EDITORS = rolesFor("learners.edit");

type Result = ActionResult<{ id: string }>;

/** A use case's refusal in the user's words (the forms have no fields to mark). */
function refused(outcome: Extract<Outcome<unknown>, { ok: false }>, locale: Locale): Result {
  const t = serverText(locale);
  if (outcome.code === "forbidden") return { ok: false, error: t("forbidden") };
  if (outcome.code === "notFound") return { ok: false, error: t("notFound") };
  return { ok: false, error: t("checkFields") };
}

function revalidateLearner(slug: string, learnerId: string) {
  revalidate(`/t/${slug}/learners`);
  revalidate(`/t/${slug}/learners/${learnerId}`);
}

export const setLearnerActiveAction = tenantAction(
  { schema: learnerActiveFormSchema, roles: EDITORS },
  async ({ db, actor, tenant, locale }, input): Promise<Result> => {
    const t = translator(locale, "learners");
    const learner = await getLearnerDetail(db, { tenantId: tenant.id, id: input.learnerId, now: new Date() });
    if (!learner) return { ok: false, error: serverText(locale)("notFound") };
    const outcome = await setLearnerActive(db, { tenant, actor: appActor(actor), learnerId: input.learnerId, active: input.active });
    if (!outcome.ok) return refused(outcome, locale);
    revalidateLearner(tenant.slug, input.learnerId);
    const name = `${learner.firstName} ${learner.lastName}`;
    const { changed, cancelledReminders: count } = outcome.data;
    const message = !changed
      ? t(input.active ? "result.alreadyActive" : "result.alreadyInactive", { name })
      : input.active
        ? t("result.reactivated", { name })
        : `${t("result.deactivated", { name })} ${t("result.stopped", { count })}`;
    return { ok: true, data: { id: input.learnerId }, message };
  },
);

/**
 * Closes the assignment the form names (complete or withdraw): the learner must be this
 * tenant's and the assignment theirs — anything else is "not found", exactly like an id
 * that does not exist. Says what happened and how many waiting reminders it stopped.
 */
function assignmentAction(
  how: "complete" | "withdraw",
  words: { done: "result.completed" | "result.withdrawn"; already: "result.alreadyCompleted" | "result.alreadyWithdrawn" },
) {
  return tenantAction({ schema: assignmentFormSchema, roles: EDITORS }, async ({ db, actor, tenant, locale }, input): Promise<Result> => {
    const t = translator(locale, "learners");
    const learner = await getLearnerDetail(db, { tenantId: tenant.id, id: input.learnerId, now: new Date() });
    const assignment = learner?.assignments.find((a) => a.id === input.assignmentId);
    if (!assignment) return { ok: false, error: serverText(locale)("notFound") };
    const outcome = await closeAssignment(db, { tenant, actor: appActor(actor), assignmentId: assignment.id, how });
    if (!outcome.ok) return refused(outcome, locale);
    revalidateLearner(tenant.slug, input.learnerId);
    const training = assignment.trainingName;
    const { changed, cancelledReminders: count } = outcome.data;
    const message = changed ? `${t(words.done, { training })} ${t("result.stopped", { count })}` : t(words.already, { training });
    return { ok: true, data: { id: input.learnerId }, message };
  });
}

/** "Mark completed (today)": the completion instant is now. */
export const completeAssignmentAction = assignmentAction("complete", { done: "result.completed", already: "result.alreadyCompleted" });

export const withdrawAssignmentAction = assignmentAction("withdraw", { done: "result.withdrawn", already: "result.alreadyWithdrawn" });
