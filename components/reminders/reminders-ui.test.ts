import { describe, expect, it } from "vitest";
import { defaultTemplates, distinctVariantCount } from "@/lib/reminders/templates";
import { formatIsoDate } from "./dates";
import { applyRemedy, type PlanValues } from "./plan-values";
import { remedyKinds } from "./spam-risk";
import { parseDidYouMean, replacePlaceholder } from "./template-editor";

const values = (over: Partial<PlanValues> = {}): PlanValues => ({
  name: "P",
  trainingId: "t",
  active: true,
  anchor: "fixed",
  offsetDays: "0",
  startDate: "2027-01-04",
  sendTime: "09:00",
  repeat: true,
  repeatEveryDays: "1",
  endDate: "2027-03-04",
  maxSends: "",
  weekdaysOnly: false,
  escalate: false,
  escalateAfterSends: "3",
  digestWeekday: "1",
  digestTime: "09:00",
  templates: { de: [defaultTemplates.de[0]!], en: [] },
  ...over,
});

describe("remedy buttons", () => {
  const risk = (mails: number, variants: number, remedies: number, level: "low" | "medium" | "high" = "high") => ({
    level,
    mails,
    variants,
    remedies: Array.from({ length: remedies }, (_, i) => `r${i}`),
  });

  it("names each remedy in the meter's order", () => {
    expect(remedyKinds(risk(60, 1, 4), { repeatEveryDays: 1, escalateAfterSends: null })).toEqual([
      "addVariant",
      "repeatWeekly",
      "escalateAfter3",
      "maxFive",
    ]);
    expect(remedyKinds(risk(9, 1, 3), { repeatEveryDays: 7, escalateAfterSends: null })).toEqual(["addVariant", "escalateAfter3", "maxFive"]);
    expect(remedyKinds(risk(3, 1, 1, "medium"), { repeatEveryDays: 7, escalateAfterSends: 3 })).toEqual(["addVariant"]);
    expect(remedyKinds(risk(2, 1, 0, "low"), { repeatEveryDays: 7, escalateAfterSends: null })).toEqual([]);
  });

  it("offers no button when the fields and the meter disagree", () => {
    // The preview still rates daily repeats while the field already says 7.
    expect(remedyKinds(risk(60, 1, 4), { repeatEveryDays: 7, escalateAfterSends: null })).toBeNull();
  });

  it("applies each remedy to the form", () => {
    expect(applyRemedy(values(), "repeatWeekly", defaultTemplates)).toMatchObject({ repeat: true, repeatEveryDays: "7" });
    expect(applyRemedy(values({ escalateAfterSends: "8" }), "escalateAfter3", defaultTemplates)).toMatchObject({
      escalate: true,
      escalateAfterSends: "3",
    });
    expect(applyRemedy(values(), "maxFive", defaultTemplates)).toMatchObject({ repeat: true, maxSends: "5" });
  });

  it("adds a variant that differs, and only where a language has texts", () => {
    const next = applyRemedy(values(), "addVariant", defaultTemplates);
    expect(next.templates.de).toHaveLength(2);
    expect(next.templates.en).toHaveLength(0);
    expect(distinctVariantCount(next.templates)).toBe(2);
    const full = applyRemedy(values({ templates: defaultTemplates }), "addVariant", defaultTemplates);
    expect(full.templates).toEqual(defaultTemplates);
  });
});

describe("did you mean", () => {
  it("reads the unknown name and the suggestion from the message in either language", () => {
    expect(parseDidYouMean("Den Platzhalter {{lernerFirstName}} gibt es nicht. Meinten Sie {{learnerFirstName}}?")).toEqual({
      name: "lernerFirstName",
      suggestion: "learnerFirstName",
    });
    expect(parseDidYouMean("There is no placeholder {{x}}. Did you mean {{dueDate}}?")).toEqual({ name: "x", suggestion: "dueDate" });
    expect(parseDidYouMean("There is no placeholder {{password}}. Please use one of the offered placeholders.")).toBeNull();
    expect(parseDidYouMean(undefined)).toBeNull();
  });

  it("replaces every spelling of the unknown name, and nothing else", () => {
    expect(replacePlaceholder("Hi {{lerner}}, {{ lerner }} {{lernerX}} lerner", "lerner", "learnerFirstName")).toBe(
      "Hi {{learnerFirstName}}, {{learnerFirstName}} {{lernerX}} lerner",
    );
    expect(replacePlaceholder("{{a.b}} {{aab}}", "a.b", "dueDate")).toBe("{{dueDate}} {{aab}}");
  });
});

describe("dates", () => {
  it("writes a calendar day the way the locale does", () => {
    expect(formatIsoDate("2027-01-27", "de")).toBe("27.01.2027");
    expect(formatIsoDate("2027-01-27", "en")).toBe("27 Jan 2027");
    expect(formatIsoDate("garbage", "de")).toBe("garbage");
  });
});
