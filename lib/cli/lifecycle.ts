/** Closes what commands opened (database pools), so the CLI process exits. */
const closers: Array<() => Promise<void> | void> = [];

export function onCliExit(fn: () => Promise<void> | void): void {
  closers.push(fn);
}

export async function closeCliResources(): Promise<void> {
  for (const fn of closers.splice(0)) await fn();
}
