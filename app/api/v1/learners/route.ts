import { learnerListItemJson } from "@/lib/api/schemas";
import { learnerListQuerySchema } from "@/lib/learners/schema";
import { listLearners } from "@/lib/learners/queries";
import { apiRoute, json, parseQuery } from "../_lib/api-route";

/** GET /api/v1/learners: one page, keyset-paged by last name, first name; follow nextCursor. */
export const GET = apiRoute({ body: false }, async (ctx) => {
  const parsed = parseQuery(ctx, learnerListQuerySchema);
  if (!parsed.ok) return parsed.response;
  const page = await listLearners(ctx.db, { tenantId: ctx.tenant.id, query: parsed.query, now: ctx.now });
  return json({ learners: page.items.map(learnerListItemJson), nextCursor: page.nextCursor });
});
