import { appActor, rolesFor } from "@/lib/auth/policy";
import { interpolate, type Locale } from "@/lib/i18n/locale";
import { MAX_IMPORT_BYTES, uploadImport } from "@/lib/learners/import";
import { validationMessages } from "@/lib/validation/messages";
import { tenantRoute } from "@/app/_server/guard";
import { readBodyBytes } from "@/app/_server/read-body";
import { refusal } from "../respond";

/** Multipart overhead on top of the file itself. */
const FORM_OVERHEAD = 64 * 1024;

/**
 * Upload of a CSV file (multipart/form-data, field "file"). A route handler, not a
 * server action: actions take 1 MB and no files through the shared guard. The body is
 * read up to the limit only; a larger one is refused with 413.
 */
export const POST = tenantRoute(rolesFor("learners.edit"), async ({ db, actor, tenant, locale }, request) => {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) return Response.json({ error: "expected multipart/form-data" }, { status: 415 });
  const body = await readBodyBytes(request, MAX_IMPORT_BYTES + FORM_OVERHEAD);
  if (body === "tooLarge") return tooLarge(locale);
  if (!body) return Response.json({ error: "empty body" }, { status: 400 });
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
  } catch {
    return Response.json({ error: "malformed form" }, { status: 400 });
  }
  const file = form.get("file");
  const bytes = file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
  const fileName = file instanceof File ? file.name : "import.csv";
  const outcome = await uploadImport(db, { tenant, actor: appActor(actor), fileName, bytes });
  if (!outcome.ok) return refusal(outcome, locale);
  return Response.json(outcome.data, { status: 201 });
});

function tooLarge(locale: Locale) {
  const error = interpolate(validationMessages["learnerImport.tooLarge"]![locale], { maximum: MAX_IMPORT_BYTES / 1024 / 1024 });
  return Response.json({ error, fieldErrors: { file: error } }, { status: 413 });
}
