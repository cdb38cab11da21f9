import { describe, expect, it } from "vitest";
import { templateSetSchema, validateTemplates, type TemplateSet } from "./plan-schema";
import {
  checkTemplateText,
  chooseTemplateLocale,
  daysLeftText,
  defaultTemplates,
  distinctVariantCount,
  renderReminderMail,
  sampleMailContext,
  renderVariant,
  resolveVariable,
  suggestVariable,
  TEMPLATE_ALIASES,
  TEMPLATE_VARIABLES,
  templateVariables,
  variantIndexFor,
  type MailContext,
} from "./templates";

const ctx = (over: Partial<MailContext> = {}): MailContext => ({
  learnerFirstName: "Alex",
  learnerLastName: "Muster",
  trainingName: "R&D safety",
  trainingLink: "https://learn.example.com/t/42?x=1&y=2",
  tenantName: "Acme",
  responsibleName: "Jo Boss",
  dueAt: new Date("2026-06-14T23:30:00Z"), // 15 June in Berlin
  sendAt: new Date("2026-06-12T07:00:00Z"),
  timezone: "Europe/Berlin",
  reminderNumber: 1,
  reminderTotal: 3,
  ...over,
});

const set = (over: Partial<TemplateSet>): TemplateSet => ({ de: [], en: [], ...over });

describe("placeholder validation", () => {
  it("refuses an unknown variable, naming the field and suggesting the near miss", () => {
    const errors = validateTemplates({
      de: [
        { subject: "Hallo", body: "Hallo" },
        { subject: "Hallo {{learnerFirstName}}", body: "Hallo {{lernerFirstName}}, bitte {{kursName}}." },
      ],
    });
    expect(errors.map((e) => [e.field, e.variable, e.suggestion ?? null])).toEqual([
      ["templates.de.1.body", "lernerFirstName", "learnerFirstName"],
      ["templates.de.1.body", "kursName", "trainingName"],
    ]);
    expect(errors[0]!.message.en).toBe("There is no placeholder {{lernerFirstName}}. Did you mean {{learnerFirstName}}?");
    expect(errors[0]!.message.de).toBe("Den Platzhalter {{lernerFirstName}} gibt es nicht. Meinten Sie {{learnerFirstName}}?");
    const plain = validateTemplates({ en: [{ subject: "x", body: "{{password}}" }] });
    expect(plain[0]!.message.en).toBe("There is no placeholder {{password}}. Please use one of the offered placeholders.");
  });

  it("checks subjects too", () => {
    const errors = validateTemplates({ en: [{ subject: "Hi {{FirstNam}}", body: "ok" }] });
    expect(errors.map((e) => [e.field, e.suggestion])).toEqual([["templates.en.0.subject", "learnerFirstName"]]);
  });

  it("suggests near misses", () => {
    expect(suggestVariable("learnerfirstname")).toBe("learnerFirstName");
    expect(suggestVariable("due_date")).toBe("dueDate");
    expect(suggestVariable("trainingURL")).toBe("trainingLink");
    expect(suggestVariable("Vorname")).toBe("learnerFirstName");
    expect(suggestVariable("daysleft")).toBe("daysLeft");
    expect(suggestVariable("password")).toBeNull();
  });

  it("accepts German aliases, in any case and with umlaut or ae, _ or -", () => {
    for (const name of ["vorname", "Vorname", "nachname", "schulung", "faelligAm", "fällig_am", "Fällig-Am", "tageVerbleibend", "erinnerungNr", "link"]) {
      expect(checkTemplateText(`x {{${name}}} y`), name).toEqual([]);
    }
    expect(resolveVariable("fällig_am")).toBe("dueDate");
    expect(resolveVariable("faelligAm")).toBe("dueDate");
    expect(resolveVariable("tageVerbleibend")).toBe("daysLeft");
    expect(resolveVariable("erinnerungNr")).toBe("reminderNumber");
    expect(resolveVariable("learnerFirstName")).toBe("learnerFirstName");
    expect(resolveVariable("learnerfirstname")).toBeNull();
    expect(validateTemplates({ de: [{ subject: "Hallo {{Vorname}}", body: "{{schulung}} bis {{fällig_am}}" }] })).toEqual([]);
  });

  it("every alias stands for a real placeholder, and the suggestion reads the same table", () => {
    for (const [alias, variable] of Object.entries(TEMPLATE_ALIASES)) {
      expect(TEMPLATE_VARIABLES).toContain(variable);
      expect(suggestVariable(alias)).toBe(variable);
    }
    expect(suggestVariable("learnerVorname")).toBe("learnerFirstName");
    expect(suggestVariable("faelligkeitsdatum")).toBe("dueDate");
  });

  it("refuses sections, partials, triple braces and delimiter changes", () => {
    expect(checkTemplateText("{{#learnerFirstName}}x{{/learnerFirstName}}").map((p) => p.key)).toEqual([
      "plan.template.sectionNotAllowed",
    ]);
    expect(checkTemplateText("{{^dueDate}}x{{/dueDate}}")[0]!.key).toBe("plan.template.sectionNotAllowed");
    expect(checkTemplateText("{{> footer}}")[0]!).toEqual({ key: "plan.template.partialNotAllowed", params: { name: ">footer" } });
    expect(checkTemplateText("{{{learnerFirstName}}}")[0]!.key).toBe("plan.template.unescapedNotAllowed");
    expect(checkTemplateText("{{& learnerFirstName}}")[0]!.key).toBe("plan.template.unescapedNotAllowed");
    expect(checkTemplateText("{{=<% %>=}}")[0]!.key).toBe("plan.template.delimiterNotAllowed");
    expect(checkTemplateText("Hallo {{learnerFirstName")[0]!).toEqual({
      key: "plan.template.syntax",
      params: { position: 7 },
    });
  });

  it("allows plain placeholders (with spaces) and comments", () => {
    expect(checkTemplateText("Hi {{ learnerFirstName }} {{! note }}, {{daysLeftText}}")).toEqual([]);
    expect(checkTemplateText("{{constructor}} {{learnerFirstName.length}} {{.}}").map((p) => p.params.name)).toEqual([
      "constructor",
      "learnerFirstName.length",
      ".",
    ]);
  });

  it("the default templates are valid and use three variants per language", () => {
    expect(validateTemplates(defaultTemplates)).toEqual([]);
    expect(templateSetSchema.parse(defaultTemplates)).toEqual(defaultTemplates);
    expect(distinctVariantCount(defaultTemplates)).toBe(3);
  });
});

describe("rendering", () => {
  const one = set({
    en: [{ subject: "Reminder for {{learnerFirstName}}", body: "Hello {{learnerFirstName}},\n\nplease finish {{trainingName}}." }],
  });

  it("escapes a learner name with <script> in the HTML part, but not in text and subject", () => {
    const mail = renderReminderMail(one, ctx({ learnerFirstName: "<script>alert(1)</script>" }), { learner: "en" });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("Hello &lt;script&gt;alert(1)&lt;/script&gt;,");
    expect(mail.text).toContain("Hello <script>alert(1)</script>,");
    expect(mail.subject).toBe("Reminder for <script>alert(1)</script>");
    expect(mail.text).toContain("please finish R&D safety.");
    expect(mail.html).toContain("please finish R&amp;D safety.");
  });

  it("builds an accessible HTML part: lang, tenant header, paragraphs, one button to the training", () => {
    const mail = renderReminderMail(one, ctx(), { learner: "en" });
    expect(mail.html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(mail.html).toContain("<title>Reminder for Alex</title>");
    expect(mail.html).toContain(">Acme</h1>");
    expect(mail.html).toContain('<p style="margin:0 0 16px;">Hello Alex,</p>');
    expect(mail.html).toContain('<a href="https://learn.example.com/t/42?x=1&amp;y=2" style="display:inline-block;');
    expect(mail.html.match(/display:inline-block/g)).toHaveLength(1);
    expect(mail.html).toContain(">Open the training</a>");
  });

  it("always puts the link into the text part", () => {
    const mail = renderReminderMail(one, ctx(), { learner: "en" });
    expect(mail.text).toBe(
      "Hello Alex,\n\nplease finish R&D safety.\n\nOpen the training: https://learn.example.com/t/42?x=1&y=2\n",
    );
    expect(mail.html).toContain('Open the training: <a href="https://learn.example.com/t/42?x=1&amp;y=2"');
  });

  it("no button for a link that is not a web address", () => {
    const mail = renderReminderMail(one, ctx({ trainingLink: "javascript:alert(1)" }), { learner: "en" });
    expect(mail.html).not.toContain("javascript:alert(1)\"");
    expect(mail.html).not.toContain("display:inline-block");
  });

  it("keeps the subject on one line whatever the values contain", () => {
    const mail = renderReminderMail(one, ctx({ learnerFirstName: "Alex\r\nBcc: x@example.com" }), { learner: "en" });
    expect(mail.subject).toBe("Reminder for Alex Bcc: x@example.com");
  });

  it("renders a comment, repeated placeholders and spaces inside braces like mustache does", () => {
    const vars = templateVariables(ctx(), "en");
    const mail = renderVariant({ subject: "{{ learnerFirstName }}/{{learnerFirstName}}", body: "A{{! a note }}B {{trainingName}} {{ trainingName }}" }, vars, "en");
    expect(mail.subject).toBe("Alex/Alex");
    expect(mail.text.startsWith("AB R&D safety R&D safety\n")).toBe(true);
  });

  it("renders aliases like the placeholders they stand for", () => {
    const vars = templateVariables(ctx(), "de");
    const mail = renderVariant(
      { subject: "Hallo {{ vorname }} {{Nachname}}", body: "{{schulung}} ist fällig am {{fällig_am}} ({{tageVerbleibend}} Tage), {{link}}" },
      vars,
      "de",
    );
    expect(mail.subject).toBe("Hallo Alex Muster");
    expect(mail.text).toBe(`R&D safety ist fällig am ${vars.dueDate} (3 Tage), https://learn.example.com/t/42?x=1&y=2\n`);
    expect(mail.html).not.toContain("{{");
  });

  it("rotates the variants by reminder number", () => {
    const three = set({
      de: [
        { subject: "A {{reminderNumber}}", body: "a" },
        { subject: "B {{reminderNumber}}", body: "b" },
        { subject: "C {{reminderNumber}}", body: "c" },
      ],
    });
    const subjects = [1, 2, 3, 4, 5].map((n) => renderReminderMail(three, ctx({ reminderNumber: n })).subject);
    expect(subjects).toEqual(["A 1", "B 2", "C 3", "A 4", "B 5"]);
    expect([1, 2, 3, 4].map((n) => variantIndexFor(n, 2))).toEqual([0, 1, 0, 1]);
    expect(variantIndexFor(7, 1)).toBe(0);
  });

  it("chooses the learner's locale, else the tenant's, else the other one", () => {
    const both = set({ de: [{ subject: "de", body: "de" }], en: [{ subject: "en", body: "en" }] });
    const deOnly = set({ de: [{ subject: "de", body: "de" }] });
    expect(chooseTemplateLocale(both, "en", "de")).toBe("en");
    expect(chooseTemplateLocale(both, null, "en")).toBe("en");
    expect(chooseTemplateLocale(both, null, null)).toBe("de");
    expect(chooseTemplateLocale(deOnly, "en", "en")).toBe("de");
    expect(chooseTemplateLocale(set({}), "en", "de")).toBeNull();
    const mail = renderReminderMail(deOnly, ctx(), { learner: "en", tenant: "en" });
    expect(mail.locale).toBe("de");
    expect(mail.html).toContain('<html lang="de">');
  });
});

describe("variables", () => {
  it("formats the due date for the locale in the tenant's zone, with days left", () => {
    expect(templateVariables(ctx(), "de")).toMatchObject({
      dueDate: "15. Juni 2026",
      daysLeft: "3",
      daysLeftText: "in 3 Tagen",
      reminderNumber: "1",
      reminderTotal: "3",
    });
    expect(templateVariables(ctx(), "en")).toMatchObject({ dueDate: "15 June 2026", daysLeftText: "in 3 days" });
    const late = ctx({ sendAt: new Date("2026-06-20T07:00:00Z") });
    expect(templateVariables(late, "en")).toMatchObject({ daysLeft: "-5", daysLeftText: "5 days overdue" });
    expect(templateVariables(ctx({ dueAt: null, responsibleName: null }), "de")).toMatchObject({
      dueDate: "—",
      daysLeftText: "ohne Frist",
      responsibleName: "Ihr Schulungsteam",
    });
  });

  it("phrases days left", () => {
    expect([2, 1, 0, -1, -2].map((d) => daysLeftText(d, "en"))).toEqual([
      "in 2 days",
      "tomorrow",
      "today",
      "1 day overdue",
      "2 days overdue",
    ]);
    expect(daysLeftText(-1, "de")).toBe("seit 1 Tag überfällig");
  });

  it("renders the defaults with sample data in both languages", () => {
    for (const locale of ["de", "en"] as const) {
      for (let n = 1; n <= 3; n++) {
        const sample = sampleMailContext(locale, { now: new Date("2026-05-04T08:00:00Z"), reminderNumber: n });
        const mail = renderReminderMail(defaultTemplates, sample, { learner: locale });
        expect(mail.variantIndex).toBe(n - 1);
        expect(mail.text).not.toMatch(/\{\{|\}\}/);
        expect(mail.text).toContain(sample.trainingLink);
      }
    }
    const de = renderReminderMail(defaultTemplates, sampleMailContext("de", { now: new Date("2026-05-04T08:00:00Z") }), {
      learner: "de",
    });
    expect(de.text).toContain("Sie ist fällig am 18. Mai 2026 (in 14 Tagen).");
  });
});
