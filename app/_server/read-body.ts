/** Route handlers' bodies are small JSON documents; anything else is the client's error. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

export type BodyResult = { ok: true; value: unknown } | { ok: false; response: Response };

const refuse = (status: number, error: string): BodyResult => ({
  ok: false,
  response: Response.json({ error }, { status, headers: { "Cache-Control": "no-store" } }),
});

/**
 * Reads a JSON body of at most `limit` bytes: 415 for another content type, 413 when
 * it is larger (by Content-Length, or counted while reading when that is missing or
 * lies), 400 for bytes that are not UTF-8 JSON. Stops reading at the limit, so a huge
 * body costs no more than `limit` bytes of memory.
 */
export async function readJsonBody(request: Request, limit = DEFAULT_BODY_LIMIT): Promise<BodyResult> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type !== "application/json" && !/^application\/[\w.+-]+\+json$/.test(type)) {
    return refuse(415, "expected application/json");
  }
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return refuse(413, "payload too large");
  if (!request.body) return refuse(400, "empty body");

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return refuse(413, "payload too large");
    }
    chunks.push(value);
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return refuse(400, "malformed JSON");
  }
}

/** A JSON object (not an array, not null): what every route handler here expects. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
