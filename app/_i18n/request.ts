import { getRequestConfig } from "next-intl/server";
import { messagesFor } from "./catalog";
import { resolveLocale } from "./locale";

export default getRequestConfig(async () => {
  const locale = await resolveLocale();
  return { locale, messages: messagesFor(locale), timeZone: "Europe/Berlin" };
});
