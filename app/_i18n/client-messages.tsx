import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTimeZone } from "next-intl/server";
import type { Locale } from "@/lib/i18n/locale";
import { messagesFor, type Messages } from "./catalog";
import { pickMessages, type Tree } from "./pick";

/** "login", "reminders", "reminders.preview", …: a namespace or a nested one. */
type Namespace<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? never : `${Prefix}${K}` | Namespace<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
export type ClientNamespace = Namespace<Messages>;

/**
 * Gives the client components below it the messages of `namespaces` only. There is
 * no provider in the root layout: every page would otherwise carry the whole catalog
 * in its HTML. A page wraps each interactive island and names what it translates:
 *
 *   <ClientMessages namespaces={["sender"]}><SenderSettingsForm … /></ClientMessages>
 */
export async function ClientMessages({ namespaces, children }: { namespaces: readonly ClientNamespace[]; children: React.ReactNode }) {
  const locale = (await getLocale()) as Locale;
  const timeZone = await getTimeZone();
  const messages = pickMessages(messagesFor(locale) as unknown as Tree, namespaces);
  return (
    <NextIntlClientProvider locale={locale} timeZone={timeZone} messages={messages}>
      {children}
    </NextIntlClientProvider>
  );
}
