import { describe, expect, it } from "vitest";
import { messagesFor } from "./catalog";
import { pickMessages, type Tree } from "./pick";

describe("pickMessages", () => {
  const messages: Tree = { login: { title: "Anmelden" }, reminders: { preview: { failed: "x" }, editor: { save: "y" } }, users: { a: "b" } };

  it("keeps only the named namespaces, nested as in the catalog", () => {
    expect(pickMessages(messages, ["login", "reminders.preview"])).toEqual({ login: { title: "Anmelden" }, reminders: { preview: { failed: "x" } } });
  });

  it("refuses a namespace the catalog does not have", () => {
    expect(() => pickMessages(messages, ["reminders.nothing"])).toThrow(/reminders.nothing/);
  });

  it("gives the sign-in form a small part of the catalog", () => {
    const catalog = messagesFor("de") as unknown as Tree;
    const picked = JSON.stringify(pickMessages(catalog, ["login"])).length;
    expect(picked).toBeLessThan(JSON.stringify(catalog).length / 10);
  });
});
