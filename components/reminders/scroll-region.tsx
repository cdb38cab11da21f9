"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";

// Scroll shadows: the white covers move with the content ("local"), the grey edges stay
// ("scroll"), so an edge shows grey exactly where more content hides.
const SHADOWS = [
  "linear-gradient(to right, #fff 30%, rgba(255,255,255,0)) left center / 40px 100% no-repeat local",
  "linear-gradient(to left, #fff 30%, rgba(255,255,255,0)) right center / 40px 100% no-repeat local",
  "radial-gradient(farthest-side at 0 50%, rgba(15,23,42,.25), rgba(15,23,42,0)) left center / 14px 100% no-repeat scroll",
  "radial-gradient(farthest-side at 100% 50%, rgba(15,23,42,.25), rgba(15,23,42,0)) right center / 14px 100% no-repeat scroll",
].join(", ");

/**
 * A wide table on a narrow screen: scrolls sideways and says so (a hint and edge
 * shadows), and can be scrolled by keyboard. On wide screens it is just the table.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  const t = useTranslations("reminders");
  const ref = useRef<HTMLDivElement>(null);
  const hintId = useId();
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => setOverflows(el.scrollWidth > el.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <div>
      {overflows ? (
        <p id={hintId} className="mb-1 text-xs text-slate-700" data-testid="scroll-hint">
          {t("scrollHint")} <span aria-hidden="true">→</span>
        </p>
      ) : null}
      <div
        ref={ref}
        className="overflow-x-auto"
        style={{ background: SHADOWS }}
        role={overflows ? "region" : undefined}
        aria-label={overflows ? label : undefined}
        aria-describedby={overflows ? hintId : undefined}
        tabIndex={overflows ? 0 : undefined}
      >
        {children}
      </div>
    </div>
  );
}
