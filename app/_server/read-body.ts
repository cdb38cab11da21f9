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
  const bytes = await readBodyBytes(request, limit);
  if (bytes === "tooLarge") return refuse(413, "payload too large");
  if (!bytes) return refuse(400, "empty body");
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return refuse(400, "malformed JSON");
  }
}

/**
 * The raw body, read up to `limit` bytes: "tooLarge" when it is larger (by
 * Content-Length, or counted while reading when that is missing or lies), null without
 * a body. Stops reading at the limit.
 */
export async function readBodyBytes(request: Request, limit: number): Promise<Buffer | null | "tooLarge"> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return "tooLarge";
  if (!request.body) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return "tooLarge";
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** A JSON object (not an array, not null): what every route handler here expects. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
