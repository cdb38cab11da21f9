"use client";

import { island } from "../islands";

/** The lazy islands of this area (see components/islands.tsx). */
export const DomainCheckPanel = island(() => import("./check-panel").then((m) => m.DomainCheckPanel));
export const DkimPanel = island(() => import("./dkim-panel").then((m) => m.DkimPanel));
// The editor's live preview loads through TanStack Query: its provider comes with it.
