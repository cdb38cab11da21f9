import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LanguageSwitch } from "@/components/language-switch";
import { LoginForm } from "@/components/login-form";
import { ClientMessages } from "@/app/_i18n/client-messages";
import { setLocaleAction } from "@/app/_server/locale-action";

export const metadata: Metadata = { title: "Sign in / Anmelden" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const t = await getTranslations("login");
  const { error } = await searchParams;
  return (
    <div className="flex min-h-screen flex-col">
      <header className="flex items-center justify-between px-6 py-4">
        <span className="text-lg font-semibold text-brand-800">Postillion</span>
        <LanguageSwitch action={setLocaleAction} />
      </header>
      <main id="main" className="flex flex-1 items-start justify-center px-4 pt-12">
        <div className="card w-full max-w-md">
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          <p className="mt-2 text-sm text-slate-700">{t("intro")}</p>
          <ClientMessages namespaces={["login"]}>
            <LoginForm initialError={error} />
          </ClientMessages>
        </div>
      </main>
    </div>
  );
}
