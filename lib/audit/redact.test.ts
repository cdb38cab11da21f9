import { describe, expect, it } from "vitest";
import { redact } from "./log";

describe("redact", () => {
  it("hides secrets at any depth but keeps which API key acted", () => {
    expect(
      redact({ apiKey: "pst_x", api_key: "pst_y", apiKeyId: "k1", password: "p", nested: { smtpPassword: "s", token: "t", name: "n" }, prefix: "pst_abcdefgh" }),
    ).toEqual({ apiKey: "[redacted]", api_key: "[redacted]", apiKeyId: "k1", password: "[redacted]", nested: { smtpPassword: "[redacted]", token: "[redacted]", name: "n" }, prefix: "pst_abcdefgh" });
  });
});
