"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useHydrated } from "./use-hydrated";

function errorText(t: ReturnType<typeof useTranslations<"login">>, code: string | undefined | null) {
  if (!code) return null;
  const throttled = /^throttled:(\d+)$/.exec(code);
  if (throttled) return t("throttled", { seconds: Number(throttled[1]) });
  if (code === "invalid" || code === "CredentialsSignin") return t("invalid");
  return t("failed");
}

export function LoginForm({ initialError }: { initialError?: string }) {
  const t = useTranslations("login");
  const [error, setError] = useState<string | null>(errorText(t, initialError));
  const [pending, setPending] = useState(false);
  const router = useRouter();
  // Until React has hydrated, a click would submit the form natively instead of
  // signing in (on a slow or busy machine a real risk): the button waits for the
  // script, and method="post" keeps the password out of any address even then.
  const hydrated = useHydrated();

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    // Loaded on submit, so next-auth's client code is not part of the page's first load.
    const { signIn } = await import("next-auth/react");
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      // The server decides where the user lands (tenant list or their tenant).
      router.replace("/");
      router.refresh();
      return;
    }
    setPending(false);
    setError(errorText(t, result?.error ?? "failed"));
  }

  return (
    <form className="mt-6 space-y-4" method="post" onSubmit={onSubmit} noValidate>
      <div>
        <label htmlFor="email" className="block text-sm font-medium">
          {t("email")}
        </label>
        <input id="email" name="email" type="email" autoComplete="username" required className="input mt-1" />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          {t("password")}
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="input mt-1"
        />
      </div>
      <div aria-live="polite" data-testid="login-error">
        {error ? <p className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">{error}</p> : null}
      </div>
      <button type="submit" className="btn-primary w-full" disabled={pending || !hydrated} aria-busy={pending}>
        {pending ? t("submitting") : t("submit")}
      </button>
    </form>
  );
}
