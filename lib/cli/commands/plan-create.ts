import { readFile } from "node:fs/promises";
import { CLI_ACTOR } from "../../auth/policy";
import { defaultTemplateSet } from "../../reminders/defaults";
import { planScheduleObject } from "../../reminders/plan-schema";
import { getTrainingByExternalId } from "../../reminders/queries";
import { savePlan } from "../../reminders/service";
import { suggestName } from "../../reminders/templates";
import { cliDb } from "../db";
import { CliUsageError, printResult, requireFlag, type CliCommand } from "../types";
import { refusal } from "./refusal";
import { cliTenant } from "./tenant-flag";

const SCHEDULE_FIELDS = Object.keys(planScheduleObject.shape);
const FILE_FIELDS = [...SCHEDULE_FIELDS, "templates", "active", "confirmSpamRisk"];

async function readPlanFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CliUsageError(`--file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`--file: ${file} is not valid JSON (${(error as Error).message})`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new CliUsageError(`--file: ${file} must hold one JSON object`);
  // A write refuses what it does not know: a misspelt "maxsends" must not silently mean "no limit".
  for (const key of Object.keys(doc)) {
    if (FILE_FIELDS.includes(key)) continue;
    const meant = suggestName(key, FILE_FIELDS);
    throw new CliUsageError(`${file}: ${key}: unknown field${meant ? ` (did you mean "${meant}"?)` : ""}`);
  }
  return doc as Record<string, unknown>;
}

export const command: CliCommand = {
  words: ["plan", "create"],
  summary:
    "Create a reminder plan for a training (named by its external id). PLAN.json holds the schedule fields of " +
    "`preview`'s plan, optionally `templates` (the default texts otherwise), `active` (default true) and " +
    "`confirmSpamRisk`: a plan with high spam risk is refused without `\"confirmSpamRisk\": true`. " +
    "Prints the plan id and its spam risk, counted over all active plans of the training.",
  usage: "postillion plan create --tenant S --training EXTERNAL_ID --name N --file PLAN.json [--json] [--now ISO]",
  run: async (ctx) => {
    const slug = requireFlag(ctx, "tenant");
    const externalId = requireFlag(ctx, "training");
    const file = requireFlag(ctx, "file");
    const doc = await readPlanFile(file);
    const db = await cliDb();
    const tenant = await cliTenant(db, slug);
    if (doc.timezone !== undefined && doc.timezone !== tenant.timezone) {
      throw new CliUsageError(`${file}: timezone: plans use the tenant's time zone (${tenant.timezone})`);
    }
    const training = await getTrainingByExternalId(db, { tenantId: tenant.id, externalId });
    if (!training) throw new CliUsageError(`--training: tenant ${tenant.slug} has no training with external id "${externalId}"`);

    const { confirmSpamRisk, templates, active, ...schedule } = doc;
    const input = {
      ...schedule,
      id: null,
      trainingId: training.id,
      name: ctx.flags.name,
      active: active ?? true,
      templates: templates ?? defaultTemplateSet(),
      confirmHighRisk: confirmSpamRisk === true,
    };
    const outcome = await savePlan(db, { tenant, actor: CLI_ACTOR, input, now: ctx.now });
    if (!outcome.ok) {
      const spam = outcome.details?.spam as { risk: { summary: { en: string } } } | undefined;
      throw refusal(outcome, {
        flagOf: (f) => (f === "name" ? "--name" : f === "trainingId" ? "--training" : `${file}: ${f}`),
        what: {
          highRiskUnconfirmed: `${file}: confirmSpamRisk: high spam risk (${spam?.risk.summary.en ?? "high"}); set "confirmSpamRisk": true to save it anyway`,
        },
      });
    }
    const { id, name, spam } = outcome.data;
    const risk = spam.risk;
    const result = {
      id,
      tenant: tenant.slug,
      training: externalId,
      name,
      active: input.active === true,
      spamRisk: {
        level: risk.level,
        mails: risk.mails,
        summary: risk.summary.en,
        reasons: risk.reasons.map((r) => r.en),
        remedies: risk.remedies.map((r) => r.en),
        activePlans: spam.plans,
        aloneLevel: spam.alone.level,
        overlapping: spam.overlapping,
      },
    };
    const human = [
      `Created plan ${id} (${name}) for training ${externalId} in tenant ${tenant.slug}.`,
      `Spam risk: ${risk.summary.en}${spam.plans > 1 ? ` (all ${spam.plans} active plans of the training together)` : ""}`,
      ...spam.overlapping.map((o) => `Warning: overlaps active plan "${o.name}" (${o.from} – ${o.to}).`),
    ];
    printResult(ctx, result, human.join("\n"));
    return 0;
  },
};
