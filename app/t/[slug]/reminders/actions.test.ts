import { beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "@/lib/audit/log";
import { setProcessDb } from "@/lib/db";
import { getPlan, getTraining, listPlans, listTrainings, updatePlan } from "@/lib/reminders/queries";
import { defaultTemplates } from "@/lib/reminders/templates";
import { forEachDatabase } from "@/lib/testing/databases";
import { runWithTestSession } from "@/app/_server/request-context";
import { savePlanAction, saveTrainingAction } from "./actions";
import { seedTwoTenants } from "@/lib/testing/tenants";

type Ids = Record<"a" | "b" | "adminA" | "trainerA" | "adminB" | "trainingA" | "trainingB" | "planB", string>;

/** A calm plan: weekly, at most 4, three variants — low risk. */
function planInput(slug: string, trainingId: string, extra: Record<string, unknown> = {}) {
  return {
    tenantSlug: slug,
    trainingId,
    name: "Weekly nudge",
    active: true,
    anchor: "assigned",
    offsetDays: 1,
    startDate: null,
    sendTime: "08:30",
    repeatEveryDays: 7,
    endDate: "2027-01-31",
    maxSends: 4,
    weekdaysOnly: true,
    escalateAfterSends: null,
    digestWeekday: null,
    digestTime: null,
    templates: defaultTemplates,
    confirmHighRisk: false,
    ...extra,
  };
}

/** Every day for 60 days with one variant: the handbook's spam case. */
const DAILY_60 = {
  anchor: "fixed",
  startDate: "2026-09-01",
  endDate: "2026-10-30",
  repeatEveryDays: 1,
  maxSends: null,
  weekdaysOnly: false,
  templates: { de: [defaultTemplates.de[0]], en: [] },
};

const as = <T,>(userId: string | null, locale: "de" | "en", fn: () => Promise<T>) => runWithTestSession({ userId, locale }, fn);

forEachDatabase("reminder actions", (db) => {
  const ids = {} as Ids;

  beforeAll(async () => {
    setProcessDb(db());
    Object.assign(ids, await seedTwoTenants(db(), { prefix: "rem", a: { name: "A GmbH" }, b: { name: "B Ltd", timezone: "America/New_York" }, adminAName: "Ada" }));
    const tb = await as(ids.adminB, "en", () =>
      saveTrainingAction(null, { tenantSlug: "rem-b", name: "B training", externalId: "B-1", linkUrl: "https://b.example/t" }),
    );
    if (!tb.ok) throw new Error(tb.error);
    ids.trainingB = tb.data.id;
    const pb = await as(ids.adminB, "en", () => savePlanAction(null, planInput("rem-b", ids.trainingB, { name: "B plan" })));
    if (!pb.ok) throw new Error(pb.error);
    ids.planB = pb.data.id;
  });

  describe("trainings", () => {
    it("creates and updates a training, audited", async () => {
      const created = await as(ids.adminA, "de", () =>
        saveTrainingAction(null, { tenantSlug: "rem-a", name: "Brandschutz", externalId: "BS-2026", linkUrl: "https://lms.example/bs" }),
      );
      expect(created).toMatchObject({ ok: true, message: "Die Schulung „Brandschutz“ wurde angelegt." });
      if (!created.ok) return;
      ids.trainingA = created.data.id;
      const updated = await as(ids.adminA, "en", () =>
        saveTrainingAction(null, { tenantSlug: "rem-a", id: ids.trainingA, name: "Fire safety", externalId: "BS-2026", linkUrl: "" }),
      );
      expect(updated).toMatchObject({ ok: true, message: 'The training "Fire safety" was saved.' });
      expect(await getTraining(db(), { tenantId: ids.a, trainingId: ids.trainingA })).toMatchObject({
        name: "Fire safety",
        externalId: "BS-2026",
        linkUrl: null,
      });
      const audit = await listAudit(db(), { tenantId: ids.a });
      expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(["training.create", "training.update"]));
    });

    it("names each bad field in German and English and saves nothing", async () => {
      const before = (await listTrainings(db(), { tenantId: ids.a })).total;
      const bad = { tenantSlug: "rem-a", name: " ", externalId: "has space", linkUrl: "javascript:alert(1)" };
      const de = await as(ids.adminA, "de", () => saveTrainingAction(null, bad));
      expect(de).toMatchObject({
        ok: false,
        fieldErrors: {
          name: "Bitte ausfüllen.",
          externalId: "Nur Buchstaben, Ziffern und . _ : / - (höchstens 100 Zeichen).",
          linkUrl: "Bitte eine vollständige Webadresse eingeben, die mit https:// oder http:// beginnt.",
        },
      });
      const en = await as(ids.adminA, "en", () => saveTrainingAction(null, { ...bad, name: "ok", externalId: "", linkUrl: "ftp://x.example" }));
      expect(en).toMatchObject({
        ok: false,
        fieldErrors: { linkUrl: "Please enter a full web address starting with https:// or http://." },
      });
      const dup = await as(ids.adminA, "en", () => saveTrainingAction(null, { tenantSlug: "rem-a", name: "Other", externalId: "BS-2026" }));
      expect(dup).toMatchObject({ ok: false, fieldErrors: { externalId: "Another training of this tenant already has this external ID." } });
      expect((await listTrainings(db(), { tenantId: ids.a })).total).toBe(before);
    });

    it("refuses a trainer and another tenant's admin, and a training id of another tenant", async () => {
      const byTrainer = await as(ids.trainerA, "en", () => saveTrainingAction(null, { tenantSlug: "rem-a", name: "Nope" }));
      expect(byTrainer).toEqual({ ok: false, error: "You do not have permission to do this." });
      const byOther = await as(ids.adminB, "de", () => saveTrainingAction(null, { tenantSlug: "rem-a", name: "Nope" }));
      expect(byOther).toMatchObject({ ok: false, error: "Nicht gefunden." });
      const crossId = await as(ids.adminA, "en", () =>
        saveTrainingAction(null, { tenantSlug: "rem-a", id: ids.trainingB, name: "Hijacked" }),
      );
      expect(crossId).toMatchObject({ ok: false, error: "Not found." });
      expect((await getTraining(db(), { tenantId: ids.b, trainingId: ids.trainingB }))?.name).toBe("B training");
      expect((await listTrainings(db(), { tenantId: ids.a })).rows.map((r) => r.name)).toEqual(["Fire safety"]);
    });
  });

  describe("plans", () => {
    let planId = "";

    it("creates a plan with the tenant's time zone and updates it, audited", async () => {
      const created = await as(ids.adminA, "en", () => savePlanAction(null, planInput("rem-a", ids.trainingA)));
      expect(created).toMatchObject({ ok: true, message: 'The plan "Weekly nudge" was created.' });
      if (!created.ok) return;
      planId = created.data.id;
      const stored = await getPlan(db(), { tenantId: ids.a, planId });
      expect(stored).toMatchObject({ name: "Weekly nudge", active: true, spamRisk: "low", highRiskConfirmedAt: null });
      expect(stored?.schedule).toMatchObject({ timezone: "Europe/Berlin", repeatEveryDays: 7, maxSends: 4 });
      expect(stored?.templates.de).toHaveLength(3);

      const updated = await as(ids.adminA, "de", () =>
        savePlanAction(null, planInput("rem-a", ids.trainingA, { id: planId, name: "Wöchentlich", active: false, repeatEveryDays: 14 })),
      );
      expect(updated).toMatchObject({ ok: true, message: "Der Plan „Wöchentlich“ wurde gespeichert." });
      expect(await getPlan(db(), { tenantId: ids.a, planId })).toMatchObject({ name: "Wöchentlich", active: false });
      expect((await getPlan(db(), { tenantId: ids.a, planId }))?.schedule.repeatEveryDays).toBe(14);
      const actions = (await listAudit(db(), { tenantId: ids.a, limit: 50 })).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(["reminderPlan.create", "reminderPlan.update"]));
    });

    it.each([
      ["de", { endDate: "" }, "endDate", "Eine wiederholte Erinnerung braucht ein Enddatum, damit sie aufhört."],
      ["en", { endDate: null }, "endDate", "A repeating reminder needs an end date, so that it stops."],
      ["en", { sendTime: "25:00" }, "sendTime", "Please enter a time as HH:MM."],
      ["de", { maxSends: 51 }, "maxSends", "Höchstens 50."],
      ["en", { repeatEveryDays: "abc" }, "repeatEveryDays", "Please enter a whole number."],
      ["de", { anchor: "fixed", startDate: "" }, "startDate", "Bei einem festen Start braucht die Erinnerung ein Startdatum."],
      ["en", { anchor: "weekly" }, "anchor", "Please choose one of the offered options."],
      ["en", { name: "" }, "name", "Please fill this in."],
      ["en", { escalateAfterSends: 3 }, "digestWeekday", "Please choose the weekday on which the responsible person gets the overview."],
      [
        "de",
        { anchor: "fixed", startDate: "2026-01-01", endDate: "2027-06-01" },
        "endDate",
        "Das Enddatum darf höchstens 365 Tage nach der ersten Erinnerung liegen (spätestens 2027-01-01).",
      ],
      [
        "de",
        { templates: { de: [{ subject: "Hallo {{lernerFirstName}}", body: "Text" }], en: [] } },
        "templates.de.0.subject",
        "Den Platzhalter {{lernerFirstName}} gibt es nicht. Meinten Sie {{learnerFirstName}}?",
      ],
      [
        "en",
        { templates: { de: [], en: [{ subject: "Hi", body: "Due {{dueDat}}" }] } },
        "templates.en.0.body",
        "There is no placeholder {{dueDat}}. Did you mean {{dueDate}}?",
      ],
      ["en", { templates: { de: [], en: [] } }, "templates.de", "Please write the reminder text in at least one language."],
    ] as const)("%s: bad %o names %s and saves nothing", async (locale, extra, field, message) => {
      const before = await listPlans(db(), { tenantId: ids.a, trainingIds: [ids.trainingA] });
      const result = await as(ids.adminA, locale, () => savePlanAction(null, planInput("rem-a", ids.trainingA, { name: "Bad", ...extra })));
      expect(result.ok).toBe(false);
      expect(result.ok === false && result.fieldErrors?.[field]).toBe(message);
      expect(await listPlans(db(), { tenantId: ids.a, trainingIds: [ids.trainingA] })).toEqual(before);
    });

    it("refuses a high-risk plan without confirmation, saves and audits it with confirmation", async () => {
      const input = planInput("rem-a", ids.trainingA, { ...DAILY_60, name: "Daily" });
      const refused = await as(ids.adminA, "en", () => savePlanAction(null, input));
      expect(refused).toMatchObject({
        ok: false,
        fieldErrors: { confirmHighRisk: expect.stringContaining("high spam risk") },
      });
      const refusedDe = await as(ids.adminA, "de", () => savePlanAction(null, input));
      expect(refusedDe).toMatchObject({ ok: false, fieldErrors: { confirmHighRisk: expect.stringContaining("hohes Spam-Risiko") } });
      const names = async () => (await listPlans(db(), { tenantId: ids.a, trainingIds: [ids.trainingA] })).map((p) => p.name);
      expect(await names()).not.toContain("Daily");

      const saved = await as(ids.adminA, "en", () => savePlanAction(null, { ...input, confirmHighRisk: true }));
      expect(saved.ok).toBe(true);
      if (!saved.ok) return;
      const plan = await getPlan(db(), { tenantId: ids.a, planId: saved.data.id });
      expect(plan).toMatchObject({ spamRisk: "high", highRiskConfirmedBy: ids.adminA });
      expect(plan?.highRiskConfirmedAt).toBeInstanceOf(Date);
      const [entry] = await listAudit(db(), { tenantId: ids.a, action: "reminderPlan.highRiskConfirmed" });
      expect(entry).toMatchObject({ actorUserId: ids.adminA, targetId: saved.data.id });
      expect(entry?.details).toMatchObject({ level: "high", mails: 60, variants: 1, sameTextMax: 60 });
      expect((entry?.details as { reasons: string[] }).reasons.join(" ")).toContain("60 reminders");

      // Made calm again, the confirmation is cleared.
      const calm = await as(ids.adminA, "en", () => savePlanAction(null, planInput("rem-a", ids.trainingA, { id: saved.data.id, name: "Daily" })));
      expect(calm.ok).toBe(true);
      expect(await getPlan(db(), { tenantId: ids.a, planId: saved.data.id })).toMatchObject({
        spamRisk: "low",
        highRiskConfirmedAt: null,
        highRiskConfirmedBy: null,
      });
    });

    it("refuses a trainer and another tenant's admin; nothing changes", async () => {
      const before = await getPlan(db(), { tenantId: ids.a, planId });
      const byTrainer = await as(ids.trainerA, "de", () =>
        savePlanAction(null, planInput("rem-a", ids.trainingA, { id: planId, name: "Trainer was here" })),
      );
      expect(byTrainer).toEqual({ ok: false, error: "Dafür fehlt Ihnen die Berechtigung." });
      const byOther = await as(ids.adminB, "en", () =>
        savePlanAction(null, planInput("rem-a", ids.trainingA, { id: planId, name: "B was here" })),
      );
      expect(byOther).toMatchObject({ ok: false, error: "Not found." });
      const newByOther = await as(ids.adminB, "en", () => savePlanAction(null, planInput("rem-a", ids.trainingA, { name: "B plan in A" })));
      expect(newByOther).toMatchObject({ ok: false, error: "Not found." });
      expect(await getPlan(db(), { tenantId: ids.a, planId })).toEqual(before);
      expect((await listPlans(db(), { tenantId: ids.a, trainingIds: [ids.trainingA] })).map((p) => p.name)).not.toContain("B plan in A");
    });

    it("holds the tenant predicate: tenant B's plan and training cannot be read or changed through tenant A", async () => {
      // Through the action: A's admin names B's plan id, or B's training.
      const viaPlanId = await as(ids.adminA, "en", () =>
        savePlanAction(null, planInput("rem-a", ids.trainingA, { id: ids.planB, name: "Stolen" })),
      );
      expect(viaPlanId).toMatchObject({ ok: false, error: "Not found." });
      const viaTraining = await as(ids.adminA, "en", () => savePlanAction(null, planInput("rem-a", ids.trainingB, { name: "Into B" })));
      expect(viaTraining).toMatchObject({ ok: false, fieldErrors: { trainingId: "Please choose one of this tenant's trainings." } });

      // Through the query functions directly.
      expect(await getPlan(db(), { tenantId: ids.a, planId: ids.planB })).toBeUndefined();
      expect(await getTraining(db(), { tenantId: ids.a, trainingId: ids.trainingB })).toBeUndefined();
      expect(await listPlans(db(), { tenantId: ids.a, trainingIds: [ids.trainingB] })).toEqual([]);
      const planB = (await getPlan(db(), { tenantId: ids.b, planId: ids.planB }))!;
      const changed = await updatePlan(db(), { ...planB, tenantId: ids.a, planId: ids.planB, name: "Stolen" });
      expect(changed).toBe(false);
      expect((await getPlan(db(), { tenantId: ids.b, planId: ids.planB }))?.name).toBe("B plan");
      expect((await getPlan(db(), { tenantId: ids.b, planId: ids.planB }))?.schedule.timezone).toBe("America/New_York");
    });
  });
});
