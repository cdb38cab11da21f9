"use server";

import type { ActionResult } from "@/lib/action-result";
import { appActor, rolesFor } from "@/lib/auth/policy";
import { ok, type Outcome } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/locale";
import { assignmentFormSchema, learnerActiveFormSchema } from "@/lib/learners/action-schema";
import { getLearnerDetail } from "@/lib/learners/queries";
import { recordCompletion, setLearnerActive, withdrawAssignment } from "@/lib/learners/service";
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

/**
 * The learner and the assignment the form names, inside this tenant only: a learner id
 * of another tenant is "not found", exactly like one that does not exist.
 */
async function loadAssignment(
  db: Parameters<typeof getLearnerDetail>[0],
  params: { tenantId: string; learnerId: string; trainingExternalId: string },
) {
  const learner = await getLearnerDetail(db, { tenantId: params.tenantId, id: params.learnerId, now: new Date() });
  const assignment = learner?.assignments.find((a) => a.trainingExternalId === params.trainingExternalId);
  return learner && assignment ? { learner, assignment, trainingExternalId: params.trainingExternalId } : null;
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

type Found = NonNullable<Awaited<ReturnType<typeof loadAssignment>>>;
type ActionCtx = Parameters<Parameters<typeof tenantAction>[1]>[0];

/**
 * Closes an assignment the form names (complete or withdraw): finds it in this tenant,
 * runs the use case, and says what happened and how many waiting reminders it stopped.
 */
function assignmentAction(
  close: (ctx: ActionCtx, found: Found) => Promise<Outcome<{ changed: boolean; cancelledReminders: number }>>,
  words: { done: "result.completed" | "result.withdrawn"; already: "result.alreadyCompleted" | "result.alreadyWithdrawn" },
) {
  return tenantAction({ schema: assignmentFormSchema, roles: EDITORS }, async (ctx, input): Promise<Result> => {
    const { db, tenant, locale } = ctx;
    const t = translator(locale, "learners");
    const found = await loadAssignment(db, { tenantId: tenant.id, ...input });
    if (!found) return { ok: false, error: serverText(locale)("notFound") };
    const outcome = await close(ctx, found);
    if (!outcome.ok) return refused(outcome, locale);
    revalidateLearner(tenant.slug, input.learnerId);
    const training = found.assignment.trainingName;
    const { changed, cancelledReminders: count } = outcome.data;
    const message = changed ? `${t(words.done, { training })} ${t("result.stopped", { count })}` : t(words.already, { training });
    return { ok: true, data: { id: input.learnerId }, message };
  });
}

/** "Mark completed (today)": the completion instant is now. */
export const completeAssignmentAction = assignmentAction(
  async ({ db, actor, tenant }, { learner, trainingExternalId }) => {
    const now = new Date();
    const input = { learnerExternalId: learner.externalId, trainingExternalId, completedAt: now.toISOString() };
    return recordCompletion(db, { tenant, actor: appActor(actor), input, now });
  },
  { done: "result.completed", already: "result.alreadyCompleted" },
);

export const withdrawAssignmentAction = assignmentAction(
  async ({ db, actor, tenant }, { learner, trainingExternalId }) => {
    const outcome = await withdrawAssignment(db, { tenant, actor: appActor(actor), learnerExternalId: learner.externalId, trainingExternalId });
    return outcome.ok ? ok({ changed: outcome.data.withdrawn, cancelledReminders: outcome.data.cancelledReminders }) : outcome;
  },
  { done: "result.withdrawn", already: "result.alreadyWithdrawn" },
);
