"use client";

import { island } from "../islands";

/** The lazy islands of this area (see components/islands.tsx). */
export const LearnerActionForm = island(() => import("./learner-action-form").then((m) => m.LearnerActionForm));
export const LearnerImport = island(() => import("./learner-import").then((m) => m.LearnerImport));
