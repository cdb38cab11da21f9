import { cookies, headers } from "next/headers";
import { DEFAULT_LOCALE, isLocale, negotiateLocale, type Locale } from "@/lib/i18n/locale";
import { testOverride } from "../_server/request-context";

export const LOCALE_COOKIE = "NEXT_LOCALE";

/** The user's language: the switch's cookie, else the browser's preference, else German. */
export async function resolveLocale(): Promise<Locale> {
  const override = testOverride();
  if (override) return override.locale;
  const cookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(cookie)) return cookie;
  return negotiateLocale((await headers()).get("accept-language")) ?? DEFAULT_LOCALE;
}
