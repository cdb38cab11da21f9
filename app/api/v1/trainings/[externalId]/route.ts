import { trainingJson, writeResult } from "@/lib/api/schemas";
import { putTraining } from "@/lib/learners/service";
import { answer, apiRoute, json } from "../../_lib/api-route";

/** PUT /api/v1/trainings/{externalId}: idempotent upsert; 201 created, 200 updated/unchanged. */
export const PUT = apiRoute({ body: true }, async ({ db, tenant, actor, locale, now }, { body, params }) => {
  const outcome = await putTraining(db, { tenant, actor, externalId: params.externalId, input: body, now });
  return answer(outcome, { locale, params }, (data) => json({ training: trainingJson(data.training), result: writeResult(data) }, data.created ? 201 : 200));
});
