"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";

/** Copies `text`; the outcome is announced to screen readers. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const t = useTranslations("domain");
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      // No clipboard permission (e.g. an insecure origin): the text stays selectable.
      setState("failed");
    }
  };
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" className="btn-secondary" onClick={copy}>
        {label}
      </button>
      <span role="status" aria-live="polite" className="text-sm text-slate-700">
        {state === "copied" ? t("copied") : state === "failed" ? t("copyFailed") : ""}
      </span>
    </span>
  );
}
