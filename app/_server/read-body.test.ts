import { describe, expect, it } from "vitest";
import { readJsonBody } from "./read-body";

const post = (body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request("http://localhost/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

async function status(request: Request, limit?: number) {
  const result = await readJsonBody(request, limit);
  return result.ok ? 200 : result.response.status;
}

describe("readJsonBody", () => {
  it("returns the parsed JSON of a body within the limit", async () => {
    const result = await readJsonBody(post('{"a":[1,"ü"]}', { "content-type": "application/json; charset=utf-8" }));
    expect(result).toEqual({ ok: true, value: { a: [1, "ü"] } });
  });

  it("refuses another content type with 415", async () => {
    expect(await status(post("{}", { "content-type": "text/plain" }))).toBe(415);
    expect(await status(post("a=1", { "content-type": "application/x-www-form-urlencoded" }))).toBe(415);
    expect(await status(new Request("http://localhost/x", { method: "POST", body: "{}" }))).toBe(415);
  });

  it("refuses a larger body with 413, by its declared length or while reading", async () => {
    expect(await status(post("{}", { "content-type": "application/json", "content-length": "1000001" }), 1_000_000)).toBe(413);
    let pulled = 0;
    // A body that never ends and declares no length: reading stops at the limit.
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
      },
    });
    expect(await status(post(endless), 64 * 1024)).toBe(413);
    expect(pulled).toBeLessThan(10);
  });

  it("refuses bytes that are not UTF-8 JSON with 400", async () => {
    expect(await status(post("{"))).toBe(400);
    expect(await status(post(""))).toBe(400);
    expect(await status(post(new Uint8Array([0x22, 0xff, 0x22])))).toBe(400);
  });
});
