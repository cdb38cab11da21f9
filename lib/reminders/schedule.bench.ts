/**
 * How long a 365-day schedule preview takes: `npx tsx lib/reminders/schedule.bench.ts`.
 * Absolute times depend on the machine, so a single-reminder plan is measured in the
 * same run as a baseline (it pays the same fixed costs: zone set-up, luxon objects);
 * the target is "well under 5 ms" for the daily year.
 */
import { planScheduleSchema, assignmentSchema } from "./plan-schema";
import { computeSchedule } from "./schedule";

const assignment = assignmentSchema.parse({ assignedAt: "2026-01-02T08:00:00Z", dueAt: null, completedAt: null });
const base = { timezone: "Europe/Berlin", anchor: "assigned", offsetDays: 1, sendTime: "09:00" } as const;
const yearly = planScheduleSchema.parse({ ...base, repeatEveryDays: 1, endDate: "2027-01-03" });
const single = planScheduleSchema.parse(base);

function median(plan: typeof yearly, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    computeSchedule(plan, assignment);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

// The very first call for a zone also builds its offset tables (once per process).
const coldStart = performance.now();
const count = computeSchedule(yearly, assignment).reminders.length;
const cold = performance.now() - coldStart;
if (count !== 366) throw new Error(`expected 366 reminders, got ${count}`);

// Warm up the JIT and luxon's caches before measuring either.
median(yearly, 200);
median(single, 200);
const runs = 1000;
const one = median(single, runs);
const year = median(yearly, runs);

console.log(`single reminder (baseline):     median ${one.toFixed(3)} ms over ${runs} runs`);
console.log(`365-day daily plan (${count} sends): median ${year.toFixed(3)} ms over ${runs} runs`);
console.log(`first call in this process (cold: zone tables, JIT): ${cold.toFixed(3)} ms`);
console.log(`ratio: ${(year / one).toFixed(1)}× the baseline; target well under 5 ms: ${year < 5 ? "ok" : "MISSED"}`);
if (year >= 5) process.exitCode = 1;
