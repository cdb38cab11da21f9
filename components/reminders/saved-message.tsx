"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { focusElement } from "./focus";

/** The message a save leads to on a new page (a created plan), focused when it appears. */
export function SavedMessage({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => focusElement(ref.current), []);
  return (
    <p ref={ref} role="status" className="mt-2 rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
      {children}
    </p>
  );
}
