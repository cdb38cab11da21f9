import { parseArgv } from "./args";
import { commands } from "./commands/index";
import { closeCliResources } from "./lifecycle";
import { CliUsageError, type CliCommand, type CliContext } from "./types";

const BOOLEAN_FLAGS = new Set(["json", "help", "demo", "password-stdin", "once", "if-empty"]);

function helpText(): string {
  const lines = commands
    .map((c) => `  ${c.usage}\n      ${c.summary}`)
    .join("\n");
  return `postillion — mail settings and training reminders

Usage: npx postillion <command> [flags]

Commands:
${lines}

Global flags:
  --json            print exactly one JSON document on stdout
  --now ISO         set the clock for commands that depend on it
  --dns HOST:PORT   send every DNS look-up to this server (comma-separated for several)
  --help            this text
`;
}

function matchCommand(positionals: string[]): { command: CliCommand; rest: string[] } | undefined {
  const sorted = [...commands].sort((a, b) => b.words.length - a.words.length);
  for (const command of sorted) {
    if (command.words.every((w, i) => positionals[i] === w)) {
      return { command, rest: positionals.slice(command.words.length) };
    }
  }
  return undefined;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

export async function main(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgv(argv, BOOLEAN_FLAGS);
  const stdout = (t: string) => void process.stdout.write(t);
  const stderr = (t: string) => void process.stderr.write(t);
  const matched = matchCommand(positionals);
  if (!matched) {
    if (flags.help || positionals.length === 0) {
      stdout(helpText());
      return 0;
    }
    stderr(`postillion: unknown command "${positionals.join(" ")}"\n\n${helpText()}`);
    return 2;
  }
  if (flags.help) {
    stdout(`Usage: npx ${matched.command.usage}\n\n${matched.command.summary}\n`);
    return 0;
  }
  let now = new Date();
  if (typeof flags.now === "string") {
    now = new Date(flags.now);
    if (Number.isNaN(now.getTime())) {
      stderr(`postillion: --now must be an ISO-8601 instant, got "${flags.now}"\n`);
      return 2;
    }
  }
  const dnsFlag = typeof flags.dns === "string" ? flags.dns : process.env.DNS_SERVERS;
  const dnsServers = dnsFlag
    ? dnsFlag.split(",").map((s) => s.trim()).filter(Boolean)
    : undefined;
  const ctx: CliContext = {
    flags,
    positionals: matched.rest,
    json: flags.json === true,
    now,
    dnsServers,
    stdout,
    stderr,
    readStdin: () => readAll(process.stdin),
  };
  try {
    return await matched.command.run(ctx);
  } catch (error) {
    if (error instanceof CliUsageError) {
      stderr(`postillion ${matched.command.words.join(" ")}: ${error.message}\nUsage: npx ${matched.command.usage}\n`);
      return 2;
    }
    stderr(`postillion ${matched.command.words.join(" ")}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await closeCliResources();
  }
}
