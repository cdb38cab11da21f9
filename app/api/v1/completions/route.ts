import { assignmentJson, writeResult } from "@/lib/api/schemas";
import { recordCompletion } from "@/lib/learners/service";
import { answer, apiRoute, json } from "../_lib/api-route";

/** POST /api/v1/completions: the assignment is completed; its pending reminders stop. */
export const POST = apiRoute({ body: true }, async ({ db, tenant, actor, locale, now }, { body, params }) => {
  const outcome = await recordCompletion(db, { tenant, actor, input: body, now });
  return answer(outcome, { locale, params }, (data) =>
    json({ assignment: assignmentJson(data.assignment), result: writeResult(data), cancelledReminders: data.cancelledReminders }),
  );
});
