"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { LOCALES } from "@/lib/i18n/locale";
import { writeAudit } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { setUserLocale } from "@/lib/users/queries";
import { LOCALE_COOKIE } from "../_i18n/locale";
import { currentActor } from "./guard";

const schema = z.object({ locale: z.enum(LOCALES) });

/** Language switch: a cookie for everyone, and the user's own preference when signed in. */
export async function setLocaleAction(formData: FormData): Promise<void> {
  const parsed = schema.safeParse({ locale: formData.get("locale") });
  if (!parsed.success) return;
  (await cookies()).set(LOCALE_COOKIE, parsed.data.locale, {
    path: "/",
    maxAge: 365 * 24 * 3600,
    sameSite: "lax",
  });
  const db = await getDb();
  const actor = await currentActor(db);
  if (actor && actor.locale !== parsed.data.locale) {
    await db.transaction(async (tx) => {
      await setUserLocale(tx, { userId: actor.id, locale: parsed.data.locale });
      await writeAudit(tx, {
        tenantId: null,
        actorUserId: actor.id,
        action: "user.locale",
        targetType: "user",
        targetId: actor.id,
        details: { locale: parsed.data.locale },
      });
    });
  }
}
