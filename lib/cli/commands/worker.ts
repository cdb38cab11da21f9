import { cliDb } from "../db";
import { CliUsageError, optionalFlag, printResult, type CliCommand, type CliContext } from "../types";

function positiveInt(ctx: CliContext, name: string): number | undefined {
  const raw = optionalFlag(ctx, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new CliUsageError(`--${name} must be a positive whole number`);
  return n;
}

export const command: CliCommand = {
  words: ["worker"],
  summary:
    "Send the reminders and digests that are due. Without --once: runs until SIGTERM/SIGINT (finishes the mails in flight, " +
    "gives back the rest, exits 0), plans every five minutes, logs a health line each minute. With --once: plans and sends " +
    'everything due at that instant (--now sets it), then exits; --json prints {"sent","failed","retrying","deferred","cancelled"}. ' +
    "Both also re-check each own-domain sender's DNS and each own SMTP server's connection once a day (hourly while it fails): " +
    "a check that turns from green raises an alert and stops that mode's sending until it is green again.",
  usage: "postillion worker [--once] [--now ISO] [--json] [--batch N] [--poll-ms N] [--worker-id ID]",
  run: async (ctx) => {
    const batchSize = positiveInt(ctx, "batch");
    const pollMs = positiveInt(ctx, "poll-ms");
    const workerId = optionalFlag(ctx, "worker-id");
    // Loaded on use: every other command starts without the mail stack.
    const { deliveryEnvironment } = await import("../../delivery/sender");
    const { runWorkerOnce, startWorker } = await import("../../delivery/worker");
    const { domainCheckEnvironment } = await import("../../domain-check/service");
    const db = await cliDb();
    const env = deliveryEnvironment();
    // DNS_SERVERS and the platform profile: the daily re-checks of customer domains.
    const rechecks = { domainCheck: domainCheckEnvironment() };
    // --now moves the clock, which then runs on from there (leases and backoff need it to).
    const offset = ctx.now.getTime() - Date.now();
    const clock = () => new Date(Date.now() + offset);
    const log = (line: string) => (ctx.json ? ctx.stderr(`${line}\n`) : ctx.stdout(`${line}\n`));
    // SIGTERM / SIGINT: finish the mails handed over, give back the rest, exit 0 (a second signal kills).
    const stopping = new AbortController();
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        log(`worker: ${signal} received, finishing the mails in flight`);
        stopping.abort();
      });
    }
    const opts = { env, rechecks, clock, log, signal: stopping.signal, ...(batchSize ? { batchSize } : {}), ...(workerId ? { workerId } : {}) };

    if (ctx.flags.once === true) {
      const counts = await runWorkerOnce(db, opts);
      printResult(
        ctx,
        counts,
        `sent ${counts.sent}, failed ${counts.failed}, retrying ${counts.retrying}, deferred ${counts.deferred}, cancelled ${counts.cancelled}`,
      );
      return 0;
    }

    const worker = startWorker(db, { ...opts, ...(pollMs ? { pollMs } : {}) });
    stopping.signal.addEventListener("abort", () => void worker.stop(), { once: true });
    await worker.done;
    return 0;
  },
};
