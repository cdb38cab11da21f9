import { config } from "../config/platform-profile";
import { openDb } from "../db";
import { deliveryEnvironment } from "../delivery/sender";
import { startWorker } from "../delivery/worker";

/**
 * One worker process of bench:dispatch (forked by dispatch.ts): the real continuous
 * worker with the tenant limits off, polling often. It says "ready" once loaded and
 * connected, starts on "go" (so process start-up is not timed), and on SIGTERM stops
 * like the CLI worker does and reports its peak RSS (kB) to the parent.
 */
const cfg = config();
const db = await openDb({ url: cfg.DATABASE_URL, dataDir: cfg.DATA_DIR });
const log = process.env.BENCH_DEBUG ? (line: string) => void process.stderr.write(`${line}\n`) : () => {};
let worker: ReturnType<typeof startWorker> | undefined;
process.on("message", (msg) => {
  if (msg === "go") worker ??= startWorker(db, { env: deliveryEnvironment(cfg), limits: false, pollMs: 50, log });
});
process.on("SIGTERM", () => {
  void (worker?.stop() ?? Promise.resolve())
    .then(() => db.close())
    .then(() => {
      process.send?.({ maxRssKb: process.resourceUsage().maxRSS });
      process.disconnect?.();
    });
});
process.send?.({ ready: true });
