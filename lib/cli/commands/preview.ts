import { readFile } from "node:fs/promises";
import type { z } from "zod";
import { isLocale, LOCALES } from "../../i18n/locale";
import { describeLocal } from "../../reminders/local-time";
import { noteText } from "../../reminders/notes-text";
import { assignmentSchema, planScheduleObject, planScheduleSchema, type PlanSchedule } from "../../reminders/plan-schema";
import { computeSchedule } from "../../reminders/schedule";
import { suggestName } from "../../reminders/templates";
import { localizedIssues } from "../../validation/localize";
import { CliUsageError, requireFlag, type CliCommand, type CliContext } from "../types";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

async function readJson(path: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new CliUsageError(`--${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`--${flag}: ${path} is not valid JSON (${(error as Error).message})`);
  }
}

function fieldErrors(error: z.ZodError, file: string): string {
  return Object.entries(localizedIssues(error))
    .map(([field, message]) => `${file}: ${field}: ${message.en}\n`)
    .join("");
}

/**
 * Plan files may carry more than the schedule (name, templates …), so unknown keys are
 * ignored; a near miss of a schedule field ("maxsends") is silently wrong, so warn.
 */
function nearMissWarnings(plan: unknown, file: string): string {
  if (!plan || typeof plan !== "object" || Array.isArray(plan)) return "";
  const known = Object.keys(planScheduleObject.shape);
  let out = "";
  for (const key of Object.keys(plan)) {
    if (known.includes(key)) continue;
    const meant = suggestName(key, known);
    if (meant) out += `${file}: warning: ignoring "${key}" (did you mean "${meant}"?)\n`;
  }
  return out;
}

function describePlan(plan: PlanSchedule): string {
  const start =
    plan.anchor === "fixed"
      ? `from ${plan.startDate}`
      : plan.anchor === "assigned"
        ? `${plan.offsetDays} day(s) after the assignment`
        : `${plan.offsetDays} day(s) before the due date`;
  const repeat = plan.repeatEveryDays === null ? "once" : `every ${plan.repeatEveryDays} day(s) until ${plan.endDate}`;
  const parts = [`${start}, ${repeat}, at ${plan.sendTime} ${plan.timezone}`];
  if (plan.maxSends !== null) parts.push(`at most ${plan.maxSends} sends`);
  if (plan.weekdaysOnly) parts.push("weekdays only");
  if (plan.escalateAfterSends !== null) {
    const day = plan.digestWeekday ? WEEKDAYS[plan.digestWeekday - 1] : "?";
    parts.push(`escalate after ${plan.escalateAfterSends} (digest ${day}s ${plan.digestTime ?? "?"})`);
  }
  return parts.join("; ");
}

export const command: CliCommand = {
  words: ["preview"],
  summary: "Compute a reminder plan's sends for one assignment (the same engine the app and the worker use).",
  usage: "postillion preview --plan PLAN.json --assignment ASSIGNMENT.json [--locale en|de] [--json] [--now ISO]",
  run: async (ctx: CliContext) => {
    const localeFlag = ctx.flags.locale ?? "en";
    if (!isLocale(localeFlag)) throw new CliUsageError(`--locale: one of ${LOCALES.join(", ")}`);
    const locale = localeFlag;
    const planPath = requireFlag(ctx, "plan");
    const assignmentPath = requireFlag(ctx, "assignment");
    const rawPlan = await readJson(planPath, "plan");
    const rawAssignment = await readJson(assignmentPath, "assignment");

    const warnings = nearMissWarnings(rawPlan, planPath);
    if (warnings) ctx.stderr(warnings);
    const plan = planScheduleSchema.safeParse(rawPlan);
    const assignment = assignmentSchema.safeParse(rawAssignment);
    let errors = "";
    if (!plan.success) errors += fieldErrors(plan.error, planPath);
    if (!assignment.success) errors += fieldErrors(assignment.error, assignmentPath);
    if (!plan.success || !assignment.success) {
      ctx.stderr(`postillion preview: invalid input\n${errors}`);
      return 2;
    }

    const result = computeSchedule(plan.data, assignment.data, { now: ctx.now });

    if (ctx.json) {
      const doc = {
        reminders: result.reminders.map((d) => d.toISOString()),
        digests: result.digests.map((d) => d.toISOString()),
        notes: result.notes.map((note) => ({ code: note.code, text: noteText(note, locale) })),
      };
      ctx.stdout(JSON.stringify(doc, null, 2) + "\n");
      return 0;
    }

    const tz = plan.data.timezone;
    const lines: string[] = [`Plan: ${describePlan(plan.data)}`, ""];
    if (result.details.length === 0) lines.push("No reminders.");
    else {
      const rows = result.details.map((d) => [
        String(d.number),
        describeLocal(d.at.getTime(), tz),
        d.at.toISOString(),
        d.plannedDate !== d.localDate ? `moved from ${d.plannedDate}` : "",
      ]);
      const head = ["#", `Local time (${tz})`, "UTC", ""];
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
      lines.push(`Reminders (${result.details.length}):`, fmt(head), ...rows.map(fmt));
    }
    if (result.digests.length) {
      lines.push("", `Digests to the responsible person (${result.digests.length}):`);
      for (const d of result.digests) lines.push(`  ${describeLocal(d.getTime(), tz)}  ${d.toISOString()}`);
    }
    if (result.notes.length) {
      lines.push("", "Notes:");
      for (const note of result.notes) lines.push(`  - ${noteText(note, locale)}`);
    }
    ctx.stdout(lines.join("\n") + "\n");
    return 0;
  },
};
