"use client";

import { useEffect, type RefObject } from "react";

/**
 * After a save, moves focus to where the outcome is: the first invalid field, else the
 * error summary, else the status message. Without this the button a keyboard user just
 * pressed may be gone or disabled, and focus falls back to <body>.
 *
 * `result` is the action's answer; a new object means a new outcome (useActionState
 * returns a fresh one per submission, so saving twice with the same outcome moves focus
 * again). Waits one frame, so a form that remounts (a new key) has its new elements.
 */
export function useFocusAfterSave(result: { ok: boolean } | null | undefined, container: RefObject<HTMLElement | null>) {
  useEffect(() => {
    if (!result) return;
    const frame = requestAnimationFrame(() => {
      const root = container.current;
      if (!root) return;
      const target =
        (result.ok ? null : root.querySelector<HTMLElement>('[aria-invalid="true"]')) ??
        (result.ok ? null : root.querySelector<HTMLElement>("[data-error-summary]")) ??
        root.querySelector<HTMLElement>('[data-testid="form-status"] > *') ??
        root.querySelector<HTMLElement>("[data-focus-after-save]");
      focusElement(target);
    });
    return () => cancelAnimationFrame(frame);
  }, [result, container]);
}

/** Focuses an element, making a message focusable by script (not by Tab) first. */
export function focusElement(el: HTMLElement | null) {
  if (!el) return;
  if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) el.tabIndex = -1;
  el.focus();
}
