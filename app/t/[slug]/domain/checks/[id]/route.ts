import { NextResponse } from "next/server";
import { z } from "zod";
import { hasRole, resolveTenant } from "@/lib/auth/access";
import { getDb } from "@/lib/db";
import { loadCheckView } from "@/lib/domain-check/service";
import { currentActor } from "@/app/_server/guard";
import { sectionRoles } from "../../../sections";

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * One check as the page shows it, polled while it runs. The same guard as the page:
 * session → actor → tenant among the actor's tenants → role; anything else is 404
 * (401 without a session), never the data.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const db = await getDb();
  const actor = await currentActor(db);
  if (!actor) return NextResponse.json({ error: "unauthorized" }, { status: 401, headers: NO_STORE });
  const tenant = await resolveTenant(db, actor, slug);
  const notFound = () => NextResponse.json({ error: "not found" }, { status: 404, headers: NO_STORE });
  if (!tenant || !hasRole(actor, sectionRoles("domain")) || !z.uuid().safeParse(id).success) return notFound();
  const view = await loadCheckView(db, { tenantId: tenant.id, id });
  if (!view) return notFound();
  return NextResponse.json(view, { headers: NO_STORE });
}
