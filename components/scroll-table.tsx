import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";

/**
 * A table that may be wider than a phone: it scrolls sideways inside a focusable region
 * (keyboard users can scroll it too), and on narrow screens a line above it says so —
 * a cut-off column otherwise looks like a missing one.
 */
export async function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  const t = await getTranslations("table");
  return (
    <div>
      <p className="mb-1 text-xs text-slate-600 md:hidden" aria-hidden="true" data-testid="scroll-hint">
        {t("scrollHint")}
      </p>
      <div
        role="region"
        aria-label={label}
        tabIndex={0}
        className="overflow-x-auto rounded-md border border-slate-200 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-700 md:border-0"
      >
        <div className="min-w-[36rem]">{children}</div>
      </div>
    </div>
  );
}
