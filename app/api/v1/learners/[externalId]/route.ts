import { problemResponse } from "@/lib/api/problem";
import { learnerDetailJson, learnerJson, writeResult } from "@/lib/api/schemas";
import { externalIdSchema } from "@/lib/learners/schema";
import { getLearnerDetail } from "@/lib/learners/queries";
import { putLearner } from "@/lib/learners/service";
import { answer, apiRoute, json } from "../../_lib/api-route";

/** PUT /api/v1/learners/{externalId}: idempotent upsert; 201 created, 200 updated/unchanged. */
export const PUT = apiRoute({ body: true }, async ({ db, tenant, actor, locale, now }, { body, params }) => {
  const outcome = await putLearner(db, { tenant, actor, externalId: params.externalId, input: body, now });
  return answer(outcome, { locale, params }, (data) => json({ learner: learnerJson(data.learner), result: writeResult(data) }, data.created ? 201 : 200));
});

/** GET /api/v1/learners/{externalId}: the learner with assignments; 404 also for another tenant's. */
export const GET = apiRoute({ body: false }, async ({ db, tenant, locale, now }, { params }) => {
  const externalId = externalIdSchema.safeParse(params.externalId);
  const detail = externalId.success ? await getLearnerDetail(db, { tenantId: tenant.id, externalId: externalId.data, now }) : undefined;
  return detail ? json(learnerDetailJson(detail)) : problemResponse("notFound", locale);
});
