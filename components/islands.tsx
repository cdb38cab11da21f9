"use client";

import dynamic from "next/dynamic";

/*
 * Interactive islands that are not needed for a page's first paint, loaded as their
 * own chunks. The server still renders them (so the HTML is complete and their forms,
 * being server-action forms, work before their script arrives); the browser loads
 * their JavaScript after the page's first-load bundle, in parallel, and hydrates each
 * island when its chunk is there. This keeps every route's first-load JS near the
 * framework floor (lib/bench/first-load-js.ts fails above 1.10×): TanStack Query, the
 * plan editor and the check panels do not delay the rest of the page.
 *
 * A page imports the island from here instead of from its module.
 */
export const DomainCheckPanel = dynamic(() => import("./domain/check-panel").then((m) => m.DomainCheckPanel));
export const DkimPanel = dynamic(() => import("./domain/dkim-panel").then((m) => m.DkimPanel));
// The editor's live preview loads through TanStack Query: its provider comes with it.
export const PlanEditor = dynamic(() =>
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
export const PlanPreviewPanel = dynamic(() => import("./reminders/plan-preview").then((m) => m.PlanPreviewPanel));
export const SenderSettingsForm = dynamic(() => import("./sender/sender-settings-form").then((m) => m.SenderSettingsForm));
export const AddressProofForms = dynamic(() => import("./sender/address-proof-forms").then((m) => m.AddressProofForms));
export const SmtpCheckPanel = dynamic(() => import("./sender/smtp-check-panel").then((m) => m.SmtpCheckPanel));
