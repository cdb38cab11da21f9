import { z } from "zod";
import { LOCALES } from "../i18n/locale";
import { MAX_DISPLAY_NAME_LENGTH } from "../mail/address";

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz.includes("/") || tz === "UTC";
  } catch {
    return false;
  }
}

export const tenantSlugSchema = z
  .string({ error: "v.required" })
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9-]{1,39}$/, { error: "v.slug" });

/** Creating a tenant: form, action and CLI. */
export const createTenantSchema = z.object({
  slug: tenantSlugSchema,
  // The name is the display name of the platform's mails (proof codes, DNS instructions):
  // no longer than a display name may be.
  name: z.string({ error: "v.required" }).trim().min(1, { error: "v.required" }).max(MAX_DISPLAY_NAME_LENGTH, { error: "v.tooLong" }),
  timezone: z
    .string({ error: "v.required" })
    .trim()
    .min(1, { error: "v.required" })
    .refine(isValidTimeZone, { error: "v.timezone" })
    .default("Europe/Berlin"),
  locale: z.enum(LOCALES, { error: "v.choice" }).default("de"),
});
export type CreateTenantInput = z.infer<typeof createTenantSchema>;
