import { NextResponse } from "next/server";
import { z } from "zod";
import { isLocale } from "@/lib/i18n/locale";
import { previewScheduleSchema, scheduleOf } from "@/lib/reminders/plan-form-schema";
import { templateSetSchema } from "@/lib/reminders/plan-schema";
import { buildPlanPreview } from "@/lib/reminders/preview";
import { getTraining } from "@/lib/reminders/queries";
import { otherActivePlans } from "@/lib/reminders/service";
import { localizeIssues } from "@/lib/validation/localize";
import { tenantRoute } from "@/app/_server/guard";
import { isJsonObject, readJsonBody } from "@/app/_server/read-body";
import { sectionRoles } from "../../sections";

const UUID = /^[0-9a-f-]{36}$/i;

const sampleSchema = z.object({
  assignedDate: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.iso.date().nullable()).catch(null),
  dueInDays: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.number().int().min(0).max(365).nullable()).catch(null),
  locale: z.preprocess((v) => (isLocale(v) ? v : null), z.enum(["de", "en"]).nullable()),
});

/**
 * The plan editor's live preview. A read: everyone who may open the reminders section
 * (trainers included) may ask; the tenant comes from the session like in every action.
 * Invalid fields are answered with their messages (200), so the editor can show them.
 */
export const POST = tenantRoute(sectionRoles("reminders"), async ({ db, tenant, locale }, request) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const body = read.value;
  if (!isJsonObject(body)) return NextResponse.json({ error: "bad request" }, { status: 400 });

  const schedule = previewScheduleSchema.safeParse(body);
  const templates = z.object({ templates: templateSetSchema }).safeParse({ templates: body.templates });
  const fieldErrors = {
    ...(schedule.success ? {} : localizeIssues(schedule.error, locale)),
    ...(templates.success ? {} : localizeIssues(templates.error, locale)),
  };
  if (!schedule.success) return NextResponse.json({ ok: false, fieldErrors });

  const training =
    typeof body.trainingId === "string" && UUID.test(body.trainingId)
      ? await getTraining(db, { tenantId: tenant.id, trainingId: body.trainingId })
      : undefined;
  const planId = typeof body.id === "string" && UUID.test(body.id) ? body.id : null;
  const active = body.active !== false && body.active !== "false";
  const others = training && active ? await otherActivePlans(db, { tenantId: tenant.id, trainingId: training.id, planId }) : [];
  // Every sample field falls back to "not given", so only a non-object can fail here.
  const sample = sampleSchema.safeParse(isJsonObject(body.sample) ? body.sample : {}).data ?? {
    assignedDate: null,
    dueInDays: null,
    locale: null,
  };
  const preview = buildPlanPreview({
    schedule: scheduleOf(schedule.data, tenant.timezone),
    templates: body.templates,
    sample,
    context: {
      tenantName: tenant.name,
      tenantLocale: tenant.locale,
      trainingName: training?.name ?? null,
      trainingLink: training?.linkUrl ?? null,
    },
    locale,
    now: new Date(),
    otherActivePlans: others,
    plan: { id: planId, name: typeof body.name === "string" ? body.name : "", active },
  });
  return NextResponse.json({ ok: true, fieldErrors, preview }, { headers: { "Cache-Control": "no-store" } });
});
