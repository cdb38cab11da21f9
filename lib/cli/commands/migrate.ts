import { config } from "../../config/platform-profile";
import { ensureSecrets } from "../../config/secrets";
import { describeUrl } from "../../db";
import { cliDb } from "../db";
import { printResult, type CliCommand } from "../types";

export const command: CliCommand = {
  words: ["migrate"],
  summary: "Apply the database migrations (SQLite or Postgres, from DATABASE_URL).",
  usage: "postillion migrate [--json]",
  run: async (ctx) => {
    const cfg = config();
    ensureSecrets();
    await cliDb();
    const target = describeUrl(cfg.DATABASE_URL, cfg.DATA_DIR);
    printResult(ctx, { ok: true, ...target }, `Database is up to date (${target.dialect}: ${target.location}).`);
    return 0;
  },
};
