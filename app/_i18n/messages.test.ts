import { describe, expect, it } from "vitest";
import { messagesFor } from "./catalog";

function keys(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

describe("UI messages", () => {
  it("have the same keys in German and English", () => {
    expect(keys(messagesFor("en")).sort()).toEqual(keys(messagesFor("de")).sort());
  });

  it("have no empty texts", () => {
    for (const locale of ["de", "en"] as const) {
      const empty = keys(messagesFor(locale)).filter((k) => {
        const v = k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], messagesFor(locale));
        return typeof v !== "string" || v.trim() === "";
      });
      expect(empty, locale).toEqual([]);
    }
  });
});
