import { appActor, rolesFor } from "@/lib/auth/policy";
import { MAX_IMPORT_BYTES, uploadImport } from "@/lib/learners/import";
import { tenantRoute } from "@/app/_server/guard";
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
  const limit = MAX_IMPORT_BYTES + FORM_OVERHEAD;
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return tooLarge(locale);
  if (!request.body) return Response.json({ error: "empty body" }, { status: 400 });
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return tooLarge(locale);
    }
    chunks.push(value);
  }
  let form: FormData;
  try {
    form = await new Response(Buffer.concat(chunks), { headers: { "content-type": type } }).formData();
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

function tooLarge(locale: "de" | "en") {
  const error = locale === "de" ? "Die Datei ist größer als 10 MB." : "The file is larger than 10 MB.";
  return Response.json({ error, fieldErrors: { file: error } }, { status: 413 });
}
