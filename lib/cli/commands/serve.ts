import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { config, resetConfigCache } from "../../config/platform-profile";
import { startCatcher, type Catcher } from "../../demo/catcher";
import { refreshLiveDemo, DEMO_BOUNCE_ADDRESSES } from "../../demo/live";
import { DEMO_MAILBOX_ENV } from "../../demo/mailbox";
import { getDb } from "../../db";
import { CliUsageError, optionalFlag, type CliCommand, type CliContext } from "../types";

/**
 * The launcher behind `npm start` and `npm run demo`: the app (`next start`) and one
 * delivery worker (`postillion worker`) side by side. SIGTERM/SIGINT go to both (the
 * worker finishes what is in flight and releases the rest); when either exits, the other
 * is stopped and the launcher exits with the first one's code.
 *
 * `--demo` adds the demo's SMTP catcher on a free loopback port as the platform relay
 * (SMTP_RELAY_URL for both children), the mailbox page's directory, and refreshes the
 * demo's live reminders so that they fall due a minute or two after the start.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI_ENTRY = path.resolve(here, "../postillion.mjs");
const STOP_GRACE_MS = 30_000;

function nextBin(): string {
  return createRequire(import.meta.url).resolve("next/dist/bin/next");
}

interface Child {
  name: string;
  proc: ChildProcess;
  exited: Promise<number>;
}

function start(name: string, args: string[], env: NodeJS.ProcessEnv): Child {
  // Its own process group: a terminal's Ctrl-C reaches the launcher only, which passes it on once
  // (a second SIGINT would cut the worker short in the middle of its graceful stop).
  const proc = spawn(process.execPath, args, { env, stdio: ["ignore", "inherit", "inherit"], detached: true });
  const exited = new Promise<number>((resolve) => {
    proc.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + (signal === "SIGKILL" ? 9 : 15) : 1)));
    proc.once("error", (err) => {
      console.error(`postillion serve: could not start the ${name}: ${err.message}`);
      resolve(1);
    });
  });
  return { name, proc, exited };
}

function stop(child: Child, signal: NodeJS.Signals): void {
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill(signal);
}

export async function serve(ctx: CliContext, opts: { port: number; demo: boolean }): Promise<number> {
  const cfg = config();
  const base = `http://localhost:${opts.port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1",
    // Links in mails and next-auth's own address follow the port unless the operator set them.
    PUBLIC_URL: process.env.PUBLIC_URL || (cfg.PUBLIC_URL !== "http://localhost:3000" ? cfg.PUBLIC_URL : base),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL || base,
  };

  let catcher: Catcher | undefined;
  if (opts.demo) {
    catcher = await startCatcher({ dir: path.join(cfg.DATA_DIR, "demo-mailbox"), bounce: DEMO_BOUNCE_ADDRESSES });
    env.SMTP_RELAY_URL = catcher.url;
    env[DEMO_MAILBOX_ENV] = catcher.dir;
    process.env.SMTP_RELAY_URL = catcher.url;
    resetConfigCache();
    const db = await getDb();
    const live = await refreshLiveDemo(db, { now: new Date() });
    await db.close();
    ctx.stdout(
      `Demo: SMTP catcher on ${catcher.url} (the platform relay); mails land in ${catcher.dir}.\n` +
        `Demo: ${live.assigned} live reminders fall due at ${live.firstDueAt.toISOString()} (${live.inMinutes} min); ` +
        `watch them arrive at ${base}/demo/mailbox and ${base}/t/acme/deliveries.\n`,
    );
  }

  const app = start("app", [nextBin(), "start", "-p", String(opts.port)], env);
  const worker = start("worker", [CLI_ENTRY, "worker"], env);
  ctx.stdout(`Postillion on ${base} (app pid ${app.proc.pid}, worker pid ${worker.proc.pid}). Ctrl-C stops both.\n`);

  let stopping = false;
  let signalled = false;
  const stopAll = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    stop(app, signal);
    stop(worker, signal);
    // A child that ignores the signal is killed after the grace period.
    setTimeout(() => {
      stop(app, "SIGKILL");
      stop(worker, "SIGKILL");
    }, STOP_GRACE_MS).unref();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    signalled = true;
    stopAll(signal);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  const first = await Promise.race([app.exited.then((code) => ({ who: app, code })), worker.exited.then((code) => ({ who: worker, code }))]);
  if (!stopping) ctx.stderr(`postillion serve: the ${first.who.name} exited (code ${first.code}); stopping the other.\n`);
  stopAll("SIGTERM");
  await Promise.all([app.exited, worker.exited]);
  process.off("SIGTERM", onSignal);
  process.off("SIGINT", onSignal);
  await catcher?.close();
  // Stopped on request: a clean exit. A child that ended by itself: its code (at least 1).
  return signalled ? 0 : first.code || 1;
}

export const command: CliCommand = {
  words: ["serve"],
  summary:
    "Run the app (next start, after `next build`) and one delivery worker beside it; SIGTERM/SIGINT stop both, and " +
    "when either exits the other is stopped. --demo also starts a loopback SMTP catcher as the platform relay " +
    "(messages at /demo/mailbox) and refreshes the demo's live reminders so that they fall due within minutes.",
  usage: "postillion serve [--port N] [--demo]",
  run: async (ctx) => {
    const raw = optionalFlag(ctx, "port") ?? process.env.PORT ?? "3000";
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliUsageError(`--port must be a port number, got "${raw}"`);
    return serve(ctx, { port, demo: ctx.flags.demo === true });
  },
};
