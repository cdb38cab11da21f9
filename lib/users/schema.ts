import { z } from "zod";
import { LOCALES } from "../i18n/locale";
import { ROLES } from "../auth/policy";
import { tenantSlugSchema } from "../tenants/schema";
import { emailSchema } from "../validation/email";

export { ROLES, type Role } from "../auth/policy";

export { emailSchema };

export const passwordSchema = z
  .string({ error: "v.required" })
  .min(12, { error: "v.password" })
  .max(200, { error: "v.tooLong" });

const userFields = {
  email: emailSchema,
  name: z.string().trim().max(120, { error: "v.tooLong" }).default(""),
  password: passwordSchema,
  locale: z.enum(LOCALES, { error: "v.choice" }).optional(),
};

/** Creating a user inside a tenant (the tenant's user management form). */
export const createTenantUserSchema = z.object({
  ...userFields,
  role: z.enum(["admin", "trainer"], { error: "v.choice" }),
  tenantSlug: tenantSlugSchema,
});

/** Creating a consultant (the consultants' page). */
export const createConsultantSchema = z.object(userFields);

/** Creating any user (the CLI). Admins and trainers belong to one tenant. */
export const createUserSchema = z
  .object({
    ...userFields,
    role: z.enum(ROLES, { error: "v.choice" }),
    tenantSlug: tenantSlugSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.role !== "consultant" && !value.tenantSlug) {
      ctx.addIssue({ code: "custom", path: ["tenantSlug"], message: "v.required" });
    }
  });
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const setUserDisabledSchema = z.object({
  userId: z.string().uuid({ error: "v.invalid" }),
  disabled: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()),
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string({ error: "v.required" }).min(1, { error: "v.required" }).max(200),
});
