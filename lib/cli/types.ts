/** What every CLI command receives. Commands never read process.* themselves. */
export interface CliContext {
  /** Flags after the command words: `--key value` → { key: "value" }, `--flag` → { flag: true }. */
  flags: Record<string, string | boolean>;
  /** Positional words after the command words. */
  positionals: string[];
  /** `--json`: print exactly one JSON document on stdout. */
  json: boolean;
  /** `--now ISO` or the real clock. */
  now: Date;
  /** `--dns HOST:PORT` (or DNS_SERVERS), for every DNS look-up; undefined = system resolvers. */
  dnsServers: string[] | undefined;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whole standard input (for --password-stdin). */
  readStdin: () => Promise<string>;
}

export interface CliCommand {
  /** Command words, e.g. ["tenant", "create"] or ["spf"]. */
  words: string[];
  summary: string;
  usage: string;
  /** Returns the process exit code. Throw CliUsageError for bad flags. */
  run: (ctx: CliContext) => Promise<number>;
}

/** A usage or input error: printed to stderr, exit code 2. */
export class CliUsageError extends Error {}

/** Reads a required string flag or throws a CliUsageError naming it. */
export function requireFlag(ctx: CliContext, name: string): string {
  const value = ctx.flags[name];
  if (typeof value !== "string" || value.length === 0) {
    throw new CliUsageError(`--${name} is required`);
  }
  return value;
}

export function optionalFlag(ctx: CliContext, name: string): string | undefined {
  const value = ctx.flags[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new CliUsageError(`--${name} needs a value`);
  return value;
}

/** Prints a result: the JSON document with --json, else the human text. */
export function printResult(ctx: CliContext, data: unknown, human: string): void {
  if (ctx.json) ctx.stdout(JSON.stringify(data, null, 2) + "\n");
  else ctx.stdout(human.endsWith("\n") ? human : human + "\n");
}
