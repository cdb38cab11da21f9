import { writeAuditBy } from "../audit/log";
import { hashPassword } from "../auth/password";
import { assignableRoles, can, type UseCaseActor } from "../auth/policy";
import type { Db } from "../db";
import { fail, ok, outcomeOf, type Outcome } from "../errors";
import type { Localized } from "../i18n/locale";
import { localizedIssues } from "../validation/localize";
import { countActiveConsultants, insertUser, setConsultantDisabled, setTenantUserDisabled, setUserLocale as storeLocale } from "./queries";
import { createConsultantSchema, createTenantUserSchema, type Role } from "./schema";
import { z } from "zod";

export interface CreatedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

const tenantUserInput = createTenantUserSchema.omit({ tenantSlug: true });
type AccountInput = z.output<typeof createConsultantSchema> & { role: Role };

const ROLE_NOT_ALLOWED: Localized = {
  de: "Diese Rolle können Sie nicht vergeben.",
  en: "You cannot give this role.",
};

/**
 * Creates an account. The password is hashed (tens of milliseconds of scrypt) BEFORE
 * the transaction opens: a transaction body does database work only, so a burst of
 * failing creations never holds a transaction open (issue 8, item 1).
 */
async function createAccount(
  db: Db,
  params: { actor: UseCaseActor; tenantId: string | null; input: AccountInput; now?: Date },
): Promise<Outcome<CreatedUser>> {
  const { input, tenantId } = params;
  const now = params.now ?? new Date();
  const passwordHash = await hashPassword(input.password);
  return outcomeOf(async () => {
    const user = await db.transaction(async (tx) => {
      const created = await insertUser(
        tx,
        { email: input.email, name: input.name, role: input.role, locale: input.locale, tenantId: tenantId ?? undefined, passwordHash },
        now,
      );
      await writeAuditBy(
        tx,
        params.actor,
        {
          tenantId,
          action: "user.create",
          targetType: "user",
          targetId: created.id,
          details: { email: created.email, role: created.role },
        },
        now,
      );
      return created;
    });
    return ok(user);
  });
}

/** An admin or trainer of one tenant (the tenant's user page, the CLI). */
export async function createTenantUser(
  db: Db,
  params: { tenantId: string; actor: UseCaseActor; input: unknown; now?: Date },
): Promise<Outcome<CreatedUser>> {
  if (!can(params.actor, "users.manage")) return fail("forbidden");
  const parsed = tenantUserInput.safeParse(params.input);
  if (!parsed.success) return fail("invalid", localizedIssues(parsed.error));
  if (!assignableRoles(params.actor).includes(parsed.data.role)) return fail("forbidden", { role: ROLE_NOT_ALLOWED });
  return createAccount(db, { ...params, input: parsed.data });
}

/** A consultant (the consultants' page, the CLI). */
export async function createConsultant(
  db: Db,
  params: { actor: UseCaseActor; input: unknown; now?: Date },
): Promise<Outcome<CreatedUser>> {
  if (!can(params.actor, "consultants.manage")) return fail("forbidden");
  const parsed = createConsultantSchema.safeParse(params.input);
  if (!parsed.success) return fail("invalid", localizedIssues(parsed.error));
  return createAccount(db, { ...params, tenantId: null, input: { ...parsed.data, role: "consultant" } });
}

/**
 * Disables or re-enables a user. With a tenant: only users of that tenant (another
 * tenant's id is "not found"). Without: only consultants, never the last active one.
 */
export async function setUserDisabled(
  db: Db,
  params: { tenantId: string | null; actor: UseCaseActor; userId: string; disabled: boolean; now?: Date },
): Promise<Outcome<{ id: string }>> {
  const { tenantId, userId, disabled } = params;
  if (!can(params.actor, tenantId ? "users.manage" : "consultants.manage")) return fail("forbidden");
  if (userId === params.actor.userId) return fail("notSelf");
  const now = params.now ?? new Date();
  const result = await db.transaction(async (tx) => {
    if (!tenantId && disabled && (await countActiveConsultants(tx)) <= 1) return "lastConsultant" as const;
    const changed = tenantId
      ? await setTenantUserDisabled(tx, { tenantId, userId, disabled, now })
      : await setConsultantDisabled(tx, { userId, disabled, now });
    if (!changed) return "notFound" as const;
    await writeAuditBy(
      tx,
      params.actor,
      { tenantId, action: disabled ? "user.disable" : "user.enable", targetType: "user", targetId: userId },
      now,
    );
    return "ok" as const;
  });
  return result === "ok" ? ok({ id: userId }) : fail(result);
}

/** The signed-in user's language preference (set by the language switch), audited when it changes. */
export async function setUserLocale(
  db: Db,
  params: { userId: string; current: "de" | "en" | null; locale: unknown; now?: Date },
): Promise<Outcome<{ locale: "de" | "en"; changed: boolean }>> {
  const parsed = z.enum(["de", "en"]).safeParse(params.locale);
  if (!parsed.success) return fail("invalid", localizedIssues(parsed.error));
  const locale = parsed.data;
  if (params.current === locale) return ok({ locale, changed: false });
  await db.transaction(async (tx) => {
    await storeLocale(tx, { userId: params.userId, locale });
    await writeAuditBy(
      tx,
      { userId: params.userId, via: "app" },
      { tenantId: null, action: "user.locale", targetType: "user", targetId: params.userId, details: { locale } },
      params.now,
    );
  });
  return ok({ locale, changed: true });
}
