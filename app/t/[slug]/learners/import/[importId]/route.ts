import { z } from "zod";
import { appActor, rolesFor } from "@/lib/auth/policy";
import { checkImport, getImport, getRefusedRows, runImport } from "@/lib/learners/import";
import { validationMessages } from "@/lib/validation/messages";
import { tenantRoute } from "@/app/_server/guard";
import { isJsonObject, readJsonBody } from "@/app/_server/read-body";
import { afterResponse, refusal } from "../respond";

const IMPORT_ID = z.uuid();
const REFUSED_PAGE = 50;

const stepSchema = z.discriminatedUnion("step", [
  z.object({ step: z.literal("check"), mapping: z.record(z.string(), z.unknown()) }),
  z.object({ step: z.literal("run") }),
]);

/**
 * One import: GET is the progress poll (with a page of refused rows when asked:
 * `?refused=OFFSET`); it also resumes an import whose lease ran out (its process died).
 * POST `{"step": "check", "mapping"}` is the dry run, `{"step": "run"}` starts the
 * import, which continues in the server after the answer.
 */
export const GET = tenantRoute<{ slug: string; importId: string }>(
  rolesFor("learners.edit"),
  async ({ db, actor, tenant }, request, { importId }) => {
    if (!IMPORT_ID.safeParse(importId).success) return Response.json({ error: "not found" }, { status: 404 });
    const view = await getImport(db, { tenantId: tenant.id, importId });
    if (!view) return Response.json({ error: "not found" }, { status: 404 });
    if (view.stalled) afterResponse(() => runImport(db, { tenant, actor: appActor(actor), importId }));
    const offset = Number.parseInt(new URL(request.url).searchParams.get("refused") ?? "", 10);
    const refused = Number.isFinite(offset) && offset >= 0
      ? await getRefusedRows(db, { tenantId: tenant.id, importId, offset, limit: REFUSED_PAGE })
      : null;
    return Response.json({ import: view, refused });
  },
);

export const POST = tenantRoute<{ slug: string; importId: string }>(
  rolesFor("learners.edit"),
  async ({ db, actor, tenant, locale }, request, { importId }) => {
    if (!IMPORT_ID.safeParse(importId).success) return Response.json({ error: "not found" }, { status: 404 });
    const read = await readJsonBody(request);
    if (!read.ok) return read.response;
    const parsed = stepSchema.safeParse(read.value);
    if (!isJsonObject(read.value) || !parsed.success) return Response.json({ error: "bad request" }, { status: 400 });
    const by = appActor(actor);
    if (parsed.data.step === "check") {
      const outcome = await checkImport(db, { tenant, actor: by, importId, mapping: parsed.data.mapping });
      if (!outcome.ok) return refusal(outcome, locale);
      const refused = await getRefusedRows(db, { tenantId: tenant.id, importId, offset: 0, limit: REFUSED_PAGE });
      return Response.json({ import: outcome.data, refused });
    }
    const view = await getImport(db, { tenantId: tenant.id, importId });
    if (!view) return Response.json({ error: "not found" }, { status: 404 });
    if (view.status === "uploaded") {
      return refusal({ ok: false, code: "invalid", fieldErrors: { _form: validationMessages["learnerImport.checkFirst"]! } }, locale);
    }
    if (view.status === "checked" || view.stalled) afterResponse(() => runImport(db, { tenant, actor: by, importId }));
    return Response.json({ import: view, refused: null }, { status: 202 });
  },
);
