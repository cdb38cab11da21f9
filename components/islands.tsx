"use client";

import dynamic from "next/dynamic";
import type { ComponentType } from "react";
import { useHydrated } from "./use-hydrated";

/*
 * Interactive islands that are not needed for a page's first paint, loaded as their
 * own chunks. The server still renders them (so the HTML is complete and their forms,
 * being server-action forms, work before their script arrives); the browser loads
 * their JavaScript after the page's first-load bundle, in parallel, and hydrates each
 * island when its chunk is there. This keeps every route's first-load JS near the
 * framework floor (lib/bench/first-load-js.ts fails above 1.10×): TanStack Query, the
 * plan editor and the check panels do not delay the rest of the page.
 *
 * Each area lists its islands in its own module (components/<area>/islands.tsx), so a
 * page's first-load bundle holds only the lazy loaders of its own area; a page imports
 * the island from there instead of from the component's module. Until an island has
 * hydrated, its wrapper says data-island="pending" (then "ready"): end-to-end tests
 * wait for that instead of for time (e2e/fixtures.ts islandsReady).
 */
export function island<P extends object>(load: () => Promise<ComponentType<P>>) {
  return dynamic(() =>
    load().then((Component) => {
      // Defined inside the lazy chunk, so "ready" means this island's code has run.
      function Island(props: P) {
        const hydrated = useHydrated();
        return (
          <div data-island={hydrated ? "ready" : "pending"} className="contents">
            <Component {...props} />
          </div>
        );
      }
      return Island;
    }),
  );
}
