import { upsertLearnerBatch } from "@/lib/learners/service";
import { answer, apiRoute, json } from "../../_lib/api-route";

/** POST /api/v1/learners/batch: up to 1,000 learners, all saved or none. */
export const POST = apiRoute({ body: true }, async ({ db, tenant, actor, locale, now }, { body, params }) => {
  const outcome = await upsertLearnerBatch(db, { tenant, actor, input: body, now });
  return answer(outcome, { locale, params }, (data) =>
    json({ created: data.created, updated: data.updated, unchanged: data.unchanged, learners: data.learners.map((l) => ({ externalId: l.externalId, result: l.result })) }),
  );
});
