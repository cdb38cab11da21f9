"use client";

import { island } from "../islands";

/** The lazy islands of this area (see components/islands.tsx). */
export const SuppressionForm = island(() => import("./suppression-form").then((m) => m.SuppressionForm));
export const PauseBanner = island(() => import("./pause-banner").then((m) => m.PauseBanner));
/** Unblock an address: the learner page's small confirmable action form. */
export const DeliveryActionForm = island(() => import("../learners/learner-action-form").then((m) => m.LearnerActionForm));
