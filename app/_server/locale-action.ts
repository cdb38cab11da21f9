"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { LOCALES } from "@/lib/i18n/locale";
import { getDb } from "@/lib/db";
import { setUserLocale } from "@/lib/users/service";
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
  if (actor) await setUserLocale(db, { userId: actor.id, current: actor.locale, locale: parsed.data.locale });
}
