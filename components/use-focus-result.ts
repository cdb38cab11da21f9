"use client";

import { useEffect, useRef, type RefObject } from "react";

/**
 * Moves the keyboard focus after a form's result arrives: to the form's first invalid
 * field when there is one, else to the element holding the result (give it
 * tabIndex={-1}). Without this, focus falls back to <body> after a server action and a
 * screen-reader or keyboard user has to search for what happened.
 *
 *   const ref = useFocusResult<HTMLParagraphElement>(state);
 *   <p ref={ref} tabIndex={-1}>{state.message}</p>
 *
 * `result` must be a new object for each submission (as useActionState returns).
 */
export function useFocusResult<T extends HTMLElement>(result: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const target = ref.current;
    if (!result || !target) return;
    const invalid = target.closest("form")?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? target).focus();
  }, [result]);
  return ref;
}

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
