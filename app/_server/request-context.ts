import { AsyncLocalStorage } from "node:async_hooks";
import type { Locale } from "@/lib/i18n/locale";

/**
 * Integration tests call server actions as plain functions, outside a Next request.
 * They supply the session (or none) here; the guard then runs its real checks.
 * Production code never enters this context: it reads the next-auth session.
 */
export interface TestSession {
  userId: string | null;
  locale: Locale;
}

const storage = new AsyncLocalStorage<TestSession>();

export function runWithTestSession<T>(session: TestSession, fn: () => Promise<T>): Promise<T> {
  return storage.run(session, fn);
}

export function testOverride(): TestSession | undefined {
  return storage.getStore();
}
