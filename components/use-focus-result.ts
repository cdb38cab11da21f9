"use client";

import { useEffect, useRef } from "react";

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
