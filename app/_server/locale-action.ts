"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { LOCALES } from "@/lib/i18n/locale";
import { writeAudit } from "@/lib/audit/log";
import { getDb } from "@/lib/db";
import { setUserLocale } from "@/lib/users/queries";
import { LOCALE_COOKIE } from "../_i18n/locale";
import { currentActor } from "./guard";
import { testOverride } from "./request-context";

const schema = z.object({ locale: z.enum(LOCALES) });

/** Language switch: a cookie for everyone, and the user's own preference when signed in. */
// An action endpoint accepts whatever a client posts, so the argument is checked, not trusted.
export async function setLocaleAction(formData: FormData): Promise<void> {
  const raw: unknown = formData;
  const parsed = schema.safeParse({ locale: raw instanceof FormData ? raw.get("locale") : undefined });
  if (!parsed.success) return;
  // Integration tests call this outside a request, where there is no cookie jar.
  if (!testOverride()) {
    (await cookies()).set(LOCALE_COOKIE, parsed.data.locale, {
      path: "/",
      maxAge: 365 * 24 * 3600,
      sameSite: "lax",
    });
  }
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
