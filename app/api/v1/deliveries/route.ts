import { deliveryJson } from "@/lib/api/schemas";
import { listDeliveries } from "@/lib/deliveries/queries";
import { deliveryListQuerySchema } from "@/lib/deliveries/schema";
import { apiRoute, json, parseQuery } from "../_lib/api-route";

/** GET /api/v1/deliveries?since=&status=&cursor=&limit=: the outbox, oldest change first. */
export const GET = apiRoute({ body: false }, async (ctx) => {
  const parsed = parseQuery(ctx, deliveryListQuerySchema);
  if (!parsed.ok) return parsed.response;
  const page = await listDeliveries(ctx.db, { tenantId: ctx.tenant.id, query: parsed.query });
  return json({ deliveries: page.items.map(deliveryJson), nextCursor: page.nextCursor });
});
