import { after } from "next/server";
import type { Outcome } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/locale";
import { serverText } from "@/app/_server/server-text";

/** A refused use case as JSON: 404 for "not found" (another tenant's import too), else 400 with the fields' words. */
export function refusal(outcome: Extract<Outcome<unknown>, { ok: false }>, locale: Locale): Response {
  const t = serverText(locale);
  if (outcome.code === "notFound" || outcome.code === "forbidden") return Response.json({ error: t("notFound") }, { status: 404 });
  const fieldErrors = Object.fromEntries(Object.entries(outcome.fieldErrors ?? {}).map(([k, v]) => [k, v[locale]]));
  const error = fieldErrors._form ?? fieldErrors.file ?? t("checkFields");
  return Response.json({ error, fieldErrors }, { status: 400 });
}

/**
 * Runs `task` after the response has gone out (Next's after(): the server keeps it
 * alive). Outside a request (integration tests) it simply runs detached. Its failures
 * are logged: the import is marked failed by the use case itself.
 */
export function afterResponse(task: () => Promise<unknown>): void {
  const run = () => task().catch((error: unknown) => console.error("learner import failed", error));
  try {
    after(run);
  } catch {
    void run();
  }
}
