import type { Actor } from "@/lib/auth/access";
import { unreadAlertCount } from "@/lib/alerts/queries";
import { getDb } from "@/lib/db";

/** The header's unread-alert count for the signed-in actor (one query; 0 for trainers). */
export async function headerAlerts(actor: Actor): Promise<number> {
  return unreadAlertCount(await getDb(), actor);
}
