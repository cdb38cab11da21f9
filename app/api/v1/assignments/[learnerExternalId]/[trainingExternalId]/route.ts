import { assignmentJson, writeResult } from "@/lib/api/schemas";
import { putAssignment, withdrawAssignment } from "@/lib/learners/service";
import { answer, apiRoute, json } from "../../../_lib/api-route";

/** PUT /api/v1/assignments/{learnerExternalId}/{trainingExternalId}: idempotent upsert. */
export const PUT = apiRoute({ body: true }, async ({ db, tenant, actor, locale, now }, { body, params }) => {
  const outcome = await putAssignment(db, {
    tenant,
    actor,
    learnerExternalId: params.learnerExternalId,
    trainingExternalId: params.trainingExternalId,
    input: body,
    now,
  });
  return answer(outcome, { locale, params }, (data) => json({ assignment: assignmentJson(data.assignment), result: writeResult(data) }, data.created ? 201 : 200));
});

/** DELETE: withdraws the assignment and stops its pending reminders. */
export const DELETE = apiRoute({ body: false }, async ({ db, tenant, actor, locale, now }, { params }) => {
  const outcome = await withdrawAssignment(db, {
    tenant,
    actor,
    learnerExternalId: params.learnerExternalId,
    trainingExternalId: params.trainingExternalId,
    now,
  });
  return answer(outcome, { locale, params }, (data) => json({ withdrawn: data.withdrawn, cancelledReminders: data.cancelledReminders }));
});
