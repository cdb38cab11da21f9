import { DEMO_PASSWORD, DEMO_REVIEW_TENANTS, DEMO_TENANTS, DEMO_USERS, isEmpty, seedDemo } from "../../demo/seed";
import { cliDb } from "../db";
import { CliUsageError, printResult, type CliCommand } from "../types";

export const command: CliCommand = {
  words: ["seed"],
  summary:
    "Create the demo data: one consultant, two tenants (German, English) with an admin and a trainer each, " +
    "three trainings (one with a reminder plan) and a few dozen learners with open, overdue and completed assignments, " +
    "and six more tenants in different states for the review board (/review). " +
    "--if-empty does nothing when the database already has tenants or users.",
  usage: "postillion seed --demo [--if-empty] [--json]",
  run: async (ctx) => {
    if (ctx.flags.demo !== true) throw new CliUsageError("--demo is required (the only data set there is)");
    const db = await cliDb();
    if (ctx.flags["if-empty"] === true && !(await isEmpty(db))) {
      printResult(ctx, { seeded: false, reason: "database not empty" }, "Database not empty: demo data not added.");
      return 0;
    }
    const { created } = await seedDemo(db);
    const signIns = DEMO_USERS.map((u) => ({ email: u.email, password: DEMO_PASSWORD, role: u.role, tenant: u.tenant }));
    const human = [
      created.length ? `Created: ${created.join(", ")}.` : "Demo data already present.",
      "",
      "Demo sign-ins (password for all: " + DEMO_PASSWORD + "):",
      ...DEMO_USERS.map((u) => `  ${u.email.padEnd(32)} ${u.role.padEnd(10)} ${u.tenant ? "/t/" + u.tenant : "all tenants"}`),
      "",
      "Tenants: " + DEMO_TENANTS.map((t) => `${t.slug} (${t.name}, ${t.locale})`).join(", "),
      "Review board tenants: " + DEMO_REVIEW_TENANTS.map((t) => `${t.slug} (${t.state.replace(/_/g, " ")})`).join(", "),
    ].join("\n");
    printResult(ctx, { seeded: true, created, signIns }, human);
    return 0;
  },
};
