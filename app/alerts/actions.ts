"use server";

import type { ActionResult } from "@/lib/action-result";
import { markAlertReadSchema, markAllAlertsReadSchema } from "@/lib/alerts/schema";
import { markAlertRead, markAllAlertsRead } from "@/lib/alerts/service";
import { rolesFor } from "@/lib/auth/policy";
import { translator } from "../_i18n/translator";
import { globalAction, revalidate } from "../_server/guard";

const ROLES = rolesFor("alerts.view");

const markRead = globalAction(
  { schema: markAlertReadSchema, roles: ROLES },
  async ({ db, actor, locale }, input): Promise<ActionResult<{ marked: boolean }>> => {
    const outcome = await markAlertRead(db, { viewer: actor, input, now: new Date() });
    if (!outcome.ok) return { ok: false, error: translator(locale, "common")("notFoundTitle") };
    revalidate("/alerts");
    return { ok: true, data: outcome.data };
  },
);

const markAllRead = globalAction(
  { schema: markAllAlertsReadSchema, roles: ROLES },
  async ({ db, actor, locale }, input): Promise<ActionResult<{ marked: number }>> => {
    const outcome = await markAllAlertsRead(db, { viewer: actor, input, now: new Date() });
    if (!outcome.ok) return { ok: false, error: translator(locale, "common")("notFoundTitle") };
    revalidate("/alerts");
    return { ok: true, data: outcome.data };
  },
);

// Plain form actions (the page is server-rendered, no client script): the guarded
// action above parses, authorizes and calls lib; a refusal leaves the page as it was.
export async function markAlertReadAction(formData: FormData): Promise<void> {
  await markRead(null, formData);
}

export async function markAllAlertsReadAction(formData: FormData): Promise<void> {
  await markAllRead(null, formData);
}
