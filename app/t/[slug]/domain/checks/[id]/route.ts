import { z } from "zod";
import { loadCheckView } from "@/lib/domain-check/service";
import { tenantRoute } from "@/app/_server/guard";
import { sectionRoles } from "../../../sections";

/** One check as the page shows it, polled while it runs. */
export const GET = tenantRoute<{ slug: string; id: string }>(sectionRoles("domain"), async ({ db, tenant }, _request, { id }) => {
  const view = z.uuid().safeParse(id).success ? await loadCheckView(db, { tenantId: tenant.id, id }) : undefined;
  return view ? Response.json(view) : Response.json({ error: "not found" }, { status: 404 });
});
