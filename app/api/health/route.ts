import { getDb } from "@/lib/db";
import { DATABASE_UNREACHABLE, deliveryHealth, type DeliveryHealth } from "@/lib/delivery/health";

export const dynamic = "force-dynamic";

/**
 * GET /api/health, for load balancers and monitoring; no sign-in, no secrets (counts and
 * ages only). 200 when the database answers and mail that is due has a live worker;
 * 503 otherwise, with the reasons in `problems`.
 */
export async function GET(): Promise<Response> {
  const now = new Date();
  let health: DeliveryHealth;
  try {
    health = await deliveryHealth(await getDb(), { now });
  } catch {
    // Opening the database failed (unreachable Postgres, unreadable file).
    health = DATABASE_UNREACHABLE;
  }
  return Response.json(
    { status: health.ok ? "ok" : "unavailable", checkedAt: now.toISOString(), ...health },
    { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
