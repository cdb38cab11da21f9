import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { validationMessages } from "../validation/messages";
import {
  assignmentSchema,
  planScheduleObject,
  planScheduleSchema,
  refinePlanSchedule,
  templateSetSchema,
} from "./plan-schema";
import { localizedIssues } from "../validation/localize";
import { DESIGN_EXAMPLE_PLAN } from "./design-example";
import { reminderValidationMessages } from "../validation/catalog/reminders";

const example = DESIGN_EXAMPLE_PLAN;

/** field → message key of the first issue per field */
function keys(input: unknown): Record<string, string> {
  const r = planScheduleSchema.safeParse(input);
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const issue of r.error.issues) out[issue.path.join(".")] ??= issue.message;
  return out;
}

describe("planScheduleSchema", () => {
  it("accepts the DESIGN.md example; absent optional fields become null", () => {
    expect(planScheduleSchema.parse(example)).toEqual({ ...example, digestWeekday: null, digestTime: null });
  });

  it("treats absent, null and empty optional fields alike", () => {
    const minimal = planScheduleSchema.parse({ timezone: "UTC", anchor: "fixed", startDate: "2026-01-05", sendTime: "09:00" });
    expect(minimal).toMatchObject({ offsetDays: 0, repeatEveryDays: null, endDate: null, maxSends: null, weekdaysOnly: false });
    expect(planScheduleSchema.parse({ ...example, maxSends: "", weekdaysOnly: null, offsetDays: null })).toMatchObject({
      maxSends: null,
      weekdaysOnly: false,
      offsetDays: 0,
    });
  });

  it("names each field with a message key", () => {
    expect(
      keys({
        ...example,
        timezone: "Europe/Atlantis",
        sendTime: "24:00",
        endDate: "2026-02-30",
        offsetDays: -1,
        maxSends: 51,
        repeatEveryDays: 1.5,
        anchor: "later",
      }),
    ).toEqual({
      timezone: "v.timezone",
      sendTime: "v.time",
      endDate: "v.date",
      offsetDays: "v.tooSmall",
      maxSends: "v.tooBig",
      repeatEveryDays: "v.integer",
      anchor: "v.choice",
    });
  });

  it("a repeating reminder needs an end date (also when emptied in a form)", () => {
    expect(keys({ ...example, endDate: null })).toEqual({ endDate: "plan.endDateRequired" });
    expect(keys({ ...example, endDate: "" })).toEqual({ endDate: "plan.endDateRequired" });
    expect(keys({ ...example, endDate: undefined })).toEqual({ endDate: "plan.endDateRequired" });
    expect(keys({ ...example, repeatEveryDays: null, endDate: null })).toEqual({});
  });

  it("reports cross-field rules together with field errors", () => {
    expect(keys({ ...example, sendTime: "8 Uhr", endDate: null })).toEqual({
      sendTime: "v.time",
      endDate: "plan.endDateRequired",
    });
  });

  it("fixed: start date required, end not before it, at most 365 days after it", () => {
    const fixed = { ...example, anchor: "fixed" };
    expect(keys(fixed)).toEqual({ startDate: "plan.startDateRequired" });
    expect(keys({ ...fixed, startDate: "2026-06-01", endDate: "2026-05-31" })).toEqual({ endDate: "plan.endBeforeStart" });
    expect(keys({ ...fixed, startDate: "2026-06-01", endDate: "2027-06-01" })).toEqual({});
    const tooFar = planScheduleSchema.safeParse({ ...fixed, startDate: "2026-06-01", endDate: "2027-06-02" });
    expect(tooFar.success).toBe(false);
    const issue = tooFar.error!.issues[0]!;
    expect(issue).toMatchObject({ path: ["endDate"], message: "plan.endDateTooFar", params: { latest: "2027-06-01" } });
  });

  it("escalation needs the digest's weekday and time, an end date, and must be reachable", () => {
    expect(keys({ ...example, escalateAfterSends: 2 })).toEqual({
      digestWeekday: "plan.digestWeekdayRequired",
      digestTime: "plan.digestTimeRequired",
    });
    const digest = { digestWeekday: 1, digestTime: "08:00" };
    expect(keys({ ...example, ...digest, escalateAfterSends: 5 })).toEqual({ escalateAfterSends: "plan.escalateNeverReached" });
    expect(keys({ ...example, ...digest, escalateAfterSends: 4 })).toEqual({});
    expect(keys({ ...example, ...digest, repeatEveryDays: null, endDate: null, escalateAfterSends: 1 })).toEqual({
      endDate: "plan.endDateRequiredForDigest",
    });
    // fixed: only 3 dates fit between start and end
    expect(
      keys({ ...example, ...digest, anchor: "fixed", startDate: "2026-05-01", endDate: "2026-05-11", maxSends: null, escalateAfterSends: 4 }),
    ).toEqual({ escalateAfterSends: "plan.escalateNeverReached" });
    expect(keys({ ...example, ...digest, escalateAfterSends: 2, digestWeekday: 8 })).toEqual({ digestWeekday: "plan.weekday" });
  });

  it("localizes every issue in German and English", () => {
    const r = planScheduleSchema.safeParse({ ...example, endDate: null, maxSends: 60 });
    expect(localizedIssues(r.error!)).toEqual({
      maxSends: { de: "Höchstens 50.", en: "At most 50." },
      endDate: {
        de: "Eine wiederholte Erinnerung braucht ein Enddatum, damit sie aufhört.",
        en: "A repeating reminder needs an end date, so that it stops.",
      },
    });
  });

  it("composes: the plain object extends, the refinement re-applies", () => {
    const form = planScheduleObject
      .extend({ name: z.string().min(1, { error: "v.required" }) })
      .superRefine(refinePlanSchedule, { when: () => true });
    const r = form.safeParse({ ...example, name: "", endDate: null });
    expect(r.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["name", "v.required"],
      ["endDate", "plan.endDateRequired"],
    ]);
  });
});

describe("assignmentSchema", () => {
  it("reads ISO instants with Z or offset, and nulls", () => {
    expect(assignmentSchema.parse({ assignedAt: "2026-05-04T09:30:00+02:00", dueAt: null })).toEqual({
      assignedAt: new Date("2026-05-04T07:30:00Z"),
      dueAt: null,
      completedAt: null,
    });
  });

  it("refuses a date without time or zone", () => {
    const r = assignmentSchema.safeParse({ assignedAt: "2026-05-04", dueAt: "2026-05-04T10:00:00", completedAt: null });
    expect(r.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["assignedAt", "plan.instant"],
      ["dueAt", "plan.instant"],
    ]);
  });
});

describe("templateSetSchema", () => {
  it("needs at least one variant, at most three per language", () => {
    const one = { subject: "Hi {{learnerFirstName}}", body: "Please do {{trainingName}}." };
    expect(templateSetSchema.safeParse({ de: [], en: [] }).error!.issues[0]!.message).toBe("plan.template.noLocale");
    expect(templateSetSchema.safeParse({ en: [one, one, one, one] }).error!.issues[0]!.message).toBe(
      "plan.template.tooManyVariants",
    );
    expect(templateSetSchema.parse({ en: [one] })).toEqual({ de: [], en: [one] });
  });
});

describe("message catalog", () => {
  const catalog = validationMessages;

  it("has German and English for every plan.* key, all of them in the shared catalog", () => {
    for (const [key, text] of Object.entries(reminderValidationMessages)) {
      expect(key.startsWith("plan.")).toBe(true);
      expect(validationMessages[key]).toBe(text);
      expect(text.de.length).toBeGreaterThan(5);
      expect(text.en.length).toBeGreaterThan(5);
    }
  });

  it("knows every message key used in lib/reminders", () => {
    const dir = path.dirname(new URL(import.meta.url).pathname);
    const used = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
      const src = readFileSync(path.join(dir, file), "utf8");
      for (const m of src.matchAll(/"((?:plan|v)\.[A-Za-z.]+)"/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(15);
    for (const key of used) expect(catalog[key], key).toBeDefined();
  });
});
