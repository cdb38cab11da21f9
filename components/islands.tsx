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
 * A page imports the island from here instead of from its module. Until an island has
 * hydrated, its wrapper says data-island="pending" (then "ready"): end-to-end tests
 * wait for that instead of for time (e2e/fixtures.ts islandsReady).
 */
function island<P extends object>(load: () => Promise<ComponentType<P>>) {
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

export const DomainCheckPanel = island(() => import("./domain/check-panel").then((m) => m.DomainCheckPanel));
export const DkimPanel = island(() => import("./domain/dkim-panel").then((m) => m.DkimPanel));
// The editor's live preview loads through TanStack Query: its provider comes with it.
export const PlanEditor = island(() =>
  Promise.all([import("./reminders/plan-editor"), import("./query-provider")]).then(([{ PlanEditor: Editor }, { QueryProvider }]) => {
    function PlanEditorWithQueries(props: React.ComponentProps<typeof Editor>) {
      return (
        <QueryProvider>
          <Editor {...props} />
        </QueryProvider>
      );
    }
    return PlanEditorWithQueries;
  }),
);
export const PlanPreviewPanel = island(() => import("./reminders/plan-preview").then((m) => m.PlanPreviewPanel));
export const SenderSettingsForm = island(() => import("./sender/sender-settings-form").then((m) => m.SenderSettingsForm));
export const AddressProofForms = island(() => import("./sender/address-proof-forms").then((m) => m.AddressProofForms));
export const SmtpCheckPanel = island(() => import("./sender/smtp-check-panel").then((m) => m.SmtpCheckPanel));
export const CreateApiKeyForm = island(() => import("./api-keys/create-api-key-form").then((m) => m.CreateApiKeyForm));
export const RevokeApiKeyButton = island(() => import("./api-keys/revoke-api-key-button").then((m) => m.RevokeApiKeyButton));
export const LearnerActionForm = island(() => import("./learners/learner-action-form").then((m) => m.LearnerActionForm));
export const LearnerImport = island(() => import("./learners/learner-import").then((m) => m.LearnerImport));
