import { expect, it } from "vitest";
import { unsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from "./unsubscribe";
it("tokens: verify what we made, refuse anything altered", () => {
  const id = "3f1c0c3e-2b7a-4a53-9d7e-1f0f6a9b2c11";
  const token = unsubscribeToken(id);
  expect(verifyUnsubscribeToken(token)).toBe(id);
  expect(unsubscribeUrl("https://x.example/", id)).toBe(`https://x.example/api/unsubscribe/${token}`);
  const other = "3f1c0c3e-2b7a-4a53-9d7e-1f0f6a9b2c12";
  expect(verifyUnsubscribeToken(`${other}${token.slice(id.length)}`)).toBeNull();
  expect(verifyUnsubscribeToken(`${token.slice(0, -2)}AA`)).toBeNull();
  expect(verifyUnsubscribeToken(id)).toBeNull();
  expect(verifyUnsubscribeToken("")).toBeNull();
});
