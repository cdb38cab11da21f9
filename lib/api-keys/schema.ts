import { DateTime } from "luxon";
import { z } from "zod";

/**
 * Creating an API key: ONE schema for the page's form, its action and the CLI.
 * Error texts are keys of lib/validation/messages.ts (catalog/learners.ts).
 *
 * The expiry comes in two shapes: the form's date field ("2026-12-31", meaning the end
 * of that day in the tenant's zone) and the CLI's `--expires` instant
 * ("2026-12-31T17:00:00Z"). Turning a date into an instant needs the tenant's zone and
 * "in the future" needs the clock, so `apiKeyInputSchema` checks the shape and
 * `apiKeyInputSchemaAt({ timezone, now })` (what the use case parses with) resolves it.
 */

export const API_KEY_NAME_MAX = 100;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const nameSchema = z
  .string({ error: "v.required" })
  .trim()
  .min(1, { error: "v.required" })
  .max(API_KEY_NAME_MAX, { error: "v.tooLong" });

const instant = z.iso.datetime({ offset: true });

/** A date or an instant, checked but kept as text (so the action's output parses again in the use case). */
const expirySchema = z
  .union([z.string(), z.null()], { error: "apiKeys.expiry" })
  .optional()
  .transform((value, ctx): string | null => {
    const text = value?.trim() ?? "";
    if (text === "") return null;
    if ((DATE.test(text) && z.iso.date().safeParse(text).success) || instant.safeParse(text).success) return text;
    ctx.addIssue({ code: "custom", message: "apiKeys.expiry" });
    return z.NEVER;
  });

export const apiKeyInputSchema = z.object({ name: nameSchema, expiresAt: expirySchema });
export type ApiKeyInput = z.output<typeof apiKeyInputSchema>;

/**
 * The first instant at which a key with this expiry no longer works: an instant as
 * given, a date as the local midnight that ends it in `timezone` (luxon places a
 * midnight that a DST change skips at the first valid time).
 */
export function expiryInstant(expiry: string, timezone: string): Date {
  if (!DATE.test(expiry)) return new Date(expiry);
  return DateTime.fromISO(expiry, { zone: timezone }).plus({ days: 1 }).startOf("day").toJSDate();
}

/**
 * How to show an expiry: a key that ends at a local midnight (a date from the form)
 * is valid "through" the day before; any other expiry is shown as its instant.
 */
export function expiryDisplay(expiresAt: Date, timezone: string): { through: string } | { at: Date } {
  const local = DateTime.fromJSDate(expiresAt, { zone: timezone });
  if (local.hour === 0 && local.minute === 0 && local.second === 0 && local.millisecond === 0) {
    return { through: local.minus({ days: 1 }).toISODate()! };
  }
  return { at: expiresAt };
}

/** The earliest date the form offers for an expiry: today in the tenant's zone (its end lies ahead). */
export function firstExpiryDay(timezone: string, now: Date): string {
  return DateTime.fromJSDate(now, { zone: timezone }).toISODate()!;
}

/** The input with its expiry resolved in the tenant's zone, refused when not in the future. */
export function apiKeyInputSchemaAt(context: { timezone: string; now: Date }) {
  return apiKeyInputSchema.transform((input, ctx) => {
    const expiresAt = input.expiresAt ? expiryInstant(input.expiresAt, context.timezone) : null;
    if (expiresAt && expiresAt.getTime() <= context.now.getTime()) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "apiKeys.expiryPast" });
      return z.NEVER;
    }
    return { name: input.name, expiresAt };
  });
}

/** Revoking a key (the page's form): which key. */
export const revokeApiKeySchema = z.object({
  keyId: z.string({ error: "v.required" }).trim().min(1, { error: "v.required" }).max(100, { error: "v.tooLong" }),
});
