import type { Metadata } from "next";
import { getLocale } from "next-intl/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Postillion", template: "%s · Postillion" },
  description: "Mail settings and training reminders",
};

// No client i18n provider here: each page wraps its client islands in
// <ClientMessages namespaces={[…]}> (app/_i18n/client-messages.tsx), so a page's
// HTML carries only the messages its client components use.
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
