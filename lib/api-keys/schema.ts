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

export type ExpiryInput = { kind: "date"; day: string } | { kind: "instant"; at: Date } | null;

const nameSchema = z
  .string({ error: "v.required" })
  .trim()
  .min(1, { error: "v.required" })
  .max(API_KEY_NAME_MAX, { error: "v.tooLong" });

const instant = z.iso.datetime({ offset: true, error: "apiKeys.expiry" });

const expirySchema = z
  .union([z.string(), z.null()], { error: "apiKeys.expiry" })
  .optional()
  .transform((value, ctx): ExpiryInput => {
    const text = value?.trim() ?? "";
    if (text === "") return null;
    if (DATE.test(text) && z.iso.date().safeParse(text).success) return { kind: "date", day: text };
    if (instant.safeParse(text).success) return { kind: "instant", at: new Date(text) };
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
export function expiryInstant(expiry: Exclude<ExpiryInput, null>, timezone: string): Date {
  if (expiry.kind === "instant") return expiry.at;
  return DateTime.fromISO(expiry.day, { zone: timezone }).plus({ days: 1 }).startOf("day").toJSDate();
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
