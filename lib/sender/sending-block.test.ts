import { expect, it } from "vitest";
import { forEachDatabase } from "../testing/databases";
import { createTenant } from "../tenants/queries";
import { putSenderSettings } from "./queries";
import type { SenderState } from "./service";
import { loadSendingVerdict, modeAvailable, sendingVerdict } from "./sending-block";

it("a tenant without a mode cannot send and is sent to the sender settings", () => {
  expect(sendingVerdict({ status: "not_configured" }, "admin")).toEqual({
    canSend: false,
    mode: null,
    reasons: [{ reason: "not_configured", fix: "sender" }],
  });
});

it("a missing relay asks a customer to wait for the operator, and tells a consultant what to configure", () => {
  const state: SenderState = { status: "not_ready", mode: "platform", reasons: ["relay_missing"] };
  expect(sendingVerdict(state, "admin")).toMatchObject({ canSend: false, reasons: [{ reason: "relay_missing", fix: "platform_config" }] });
  expect(sendingVerdict(state, "trainer")).toMatchObject({ reasons: [{ reason: "relay_missing" }] });
  expect(sendingVerdict(state, "consultant")).toMatchObject({ reasons: [{ reason: "relay_missing_operator", fix: "platform_config" }] });
});

it("each own-domain reason points to where it is fixed", () => {
  const verdict = sendingVerdict({ status: "not_ready", mode: "customer_domain", reasons: ["domain_not_green", "address_not_proven"] }, "admin");
  expect(verdict).toEqual({
    canSend: false,
    mode: "customer_domain",
    reasons: [
      { reason: "domain_not_green", fix: "domain" },
      { reason: "address_not_proven", fix: "sender" },
    ],
  });
  expect(sendingVerdict({ status: "ready", mode: "custom_smtp", notes: [] }, "admin")).toEqual({ canSend: true, mode: "custom_smtp" });
});

it("only the own SMTP server works without the operator's relay", () => {
  expect(modeAvailable("platform", false)).toBe(false);
  expect(modeAvailable("customer_domain", false)).toBe(false);
  expect(modeAvailable("custom_smtp", false)).toBe(true);
  expect(modeAvailable("platform", true)).toBe(true);
});

forEachDatabase("loadSendingVerdict", (db) => {
  it("reads the tenant's stored settings: platform mode without relay is blocked, with relay it can send", async () => {
    const tenant = await createTenant(db(), { slug: "verdict-a", name: "A", timezone: "Europe/Berlin", locale: "de" });
    const now = new Date("2026-11-28T10:00:00Z");
    const before = await loadSendingVerdict(db(), { tenantId: tenant.id, relayConfigured: true, viewer: "admin", now });
    expect(before.verdict).toMatchObject({ canSend: false, reasons: [{ reason: "not_configured" }] });
    await putSenderSettings(db(), {
      tenantId: tenant.id,
      values: {
        mode: "platform",
        displayName: "A",
        replyTo: "hr@a.example",
        noreplyAddress: "noreply@platform.example",
        fromAddress: null,
        smtpHost: null,
        smtpPort: null,
        smtpSecurity: null,
        smtpUser: null,
        smtpPasswordBox: null,
        ratePerMinute: 60,
        dailyQuota: 10000,
        noReplyToConfirmedAt: null,
        freeMailAcknowledgedAt: null,
        noTlsAcknowledgedAt: null,
        lastTest: null,
        updatedAt: now,
        updatedBy: null,
      },
    });
    const noRelay = await loadSendingVerdict(db(), { tenantId: tenant.id, relayConfigured: false, viewer: "consultant", now });
    expect(noRelay.verdict).toMatchObject({ canSend: false, mode: "platform", reasons: [{ reason: "relay_missing_operator" }] });
    const withRelay = await loadSendingVerdict(db(), { tenantId: tenant.id, relayConfigured: true, viewer: "admin", now });
    expect(withRelay.verdict).toEqual({ canSend: true, mode: "platform" });
  });
});
