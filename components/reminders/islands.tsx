"use client";

import { island } from "../islands";

/** The lazy islands of this area (see components/islands.tsx). */
export const PlanEditor = island(() =>
  Promise.all([import("./plan-editor"), import("../query-provider")]).then(([{ PlanEditor: Editor }, { QueryProvider }]) => {
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
export const PlanPreviewPanel = island(() => import("./plan-preview").then((m) => m.PlanPreviewPanel));
