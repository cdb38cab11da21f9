"use client";

import { island } from "../islands";

/** The lazy islands of this area (see components/islands.tsx). */
export const SenderSettingsForm = island(() => import("./sender-settings-form").then((m) => m.SenderSettingsForm));
export const AddressProofForms = island(() => import("./address-proof-forms").then((m) => m.AddressProofForms));
export const SmtpCheckPanel = island(() => import("./smtp-check-panel").then((m) => m.SmtpCheckPanel));
