"use server";

import { refusedResult, type ActionResult } from "@/lib/action-result";
import { appActor, rolesFor } from "@/lib/auth/policy";
import { markReviewed, markReviewedSchema } from "@/lib/review/reviews";
import { translator } from "../../_i18n/translator";
import { revalidate, tenantAction } from "../../_server/guard";
import { serverText } from "../../_server/server-text";

/** "Mark reviewed" on /review/<slug>: consultants only; the form's `tenantSlug` names the tenant. */
export const markReviewedAction = tenantAction(
  { schema: markReviewedSchema, roles: rolesFor("review.manage") },
  async ({ db, actor, locale, tenant }, input): Promise<ActionResult<{ reviewedAt: string }>> => {
    const outcome = await markReviewed(db, { actor: appActor(actor), tenantId: tenant.id, input, now: new Date() });
    if (!outcome.ok) {
      const text = serverText(locale);
      return refusedResult(outcome, locale, outcome.code === "invalid" ? text("checkFields") : outcome.code === "forbidden" ? text("forbidden") : text("notFound"));
    }
    revalidate(`/review/${tenant.slug}`);
    revalidate("/review");
    return { ok: true, data: { reviewedAt: outcome.data.reviewedAt.toISOString() }, message: translator(locale, "review")("detail.form.done") };
  },
);
