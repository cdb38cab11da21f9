"use client";

import { island } from "../islands";

/** The lazy islands of this area (see components/islands.tsx). */
export const CreateApiKeyForm = island(() => import("./create-api-key-form").then((m) => m.CreateApiKeyForm));
export const RevokeApiKeyButton = island(() => import("./revoke-api-key-button").then((m) => m.RevokeApiKeyButton));
