import { describe, expect, it } from "vitest";
import { validationMessages } from "./messages";

describe("validation messages", () => {
  it("exist in German and English for every key", () => {
    for (const [key, text] of Object.entries(validationMessages)) {
      expect(text.de.trim(), `${key}.de`).not.toBe("");
      expect(text.en.trim(), `${key}.en`).not.toBe("");
    }
  });
});
