import crypto from "node:crypto";
import type { Db } from "../db";
import { pauseTenantSending } from "../delivery/pause";
import { failureAdvice } from "../delivery/failures";
import type { StepReport } from "../domain-check/types";
import { localized } from "../i18n/locale";
import { planScheduleSchema } from "../reminders/plan-schema";
import { createPlan, createTraining } from "../reminders/queries";
import { defaultTemplates } from "../reminders/templates";
import { putSenderSettings, type SenderSettingsValues } from "../sender/queries";

/**
 * Puts a tenant into one of the states a consultant meets on the review board, by
 * writing the rows directly (settings, a finished domain check, a proof, a plan, an
 * open pause, recent mails): the demo's extra tenants, the board's tests and its
 * benchmark all use it.
 */
export const TENANT_STATES = ["not_configured", "ready", "smtp_failed", "domain_red", "domain_green", "high_risk", "paused"] as const;
export type TenantState = (typeof TENANT_STATES)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const L = localized;

function settings(mode: SenderSettingsValues["mode"], p: { name: string; domain: string; noreply: string; now: Date }): SenderSettingsValues {
  return {
    mode,
    displayName: p.name,
    replyTo: `training@${p.domain}`,
    noreplyAddress: mode === "platform" ? p.noreply : null,
    fromAddress: mode === "platform" ? null : `training@${p.domain}`,
    smtpHost: mode === "custom_smtp" ? `smtp.${p.domain}` : null,
    smtpPort: mode === "custom_smtp" ? 587 : null,
    smtpSecurity: mode === "custom_smtp" ? "starttls" : null,
    smtpUser: null,
    smtpPasswordBox: null,
    ratePerMinute: 60,
    dailyQuota: 5_000,
    noReplyToConfirmedAt: null,
    freeMailAcknowledgedAt: null,
    noTlsAcknowledgedAt: null,
    lastTest: null,
    updatedAt: new Date(p.now.getTime() - 3 * DAY),
    updatedBy: null,
  };
}

/** The findings of a check of `domain`: green with a DMARC warning, or red (SPF lacks the platform). */
function checkSteps(green: boolean): StepReport[] {
  const spf: StepReport = {
    step: "spf-records",
    title: L("SPF-Eintrag", "SPF record"),
    status: green ? "ok" : "error",
    durationMs: 40,
    findings: [
      green
        ? { step: "spf-records", code: "spf.platform-included", status: "ok", title: L("Die Plattform ist im SPF-Eintrag", "The platform is in the SPF record"), detail: L("", "") }
        : {
            step: "spf-records",
            code: "spf.platform-missing",
            status: "error",
            title: L("Die Plattform fehlt noch im SPF-Eintrag", "The platform is not in the SPF record yet"),
            detail: L("Ihr Eintrag erlaubt unseren Versandservern nicht, für die Domain zu senden.", "Your record does not allow our sending servers to send for the domain."),
          },
    ],
  };
  const dmarc: StepReport = {
    step: "dmarc",
    title: L("DMARC", "DMARC"),
    status: "warning",
    durationMs: 20,
    findings: [
      { step: "dmarc", code: "dmarc.none", status: "warning", title: L("Es gibt keinen DMARC-Eintrag", "There is no DMARC record"), detail: L("", "") },
    ],
  };
  return [spf, dmarc];
}

async function insertCheck(db: Db, p: { tenantId: string; domain: string; green: boolean; at: Date }) {
  await db.orm.insert(db.t.domainChecks).values({
    id: crypto.randomUUID(),
    tenantId: p.tenantId,
    domain: p.domain,
    status: "done",
    verdict: p.green ? "green" : "not_ready",
    findings: checkSteps(p.green),
    raw: {},
    startedAt: new Date(p.at.getTime() - 2_000),
    finishedAt: p.at,
    startedBy: null,
  });
}

async function insertVerifiedProof(db: Db, p: { tenantId: string; address: string; now: Date }) {
  await db.orm.insert(db.t.addressProofs).values({
    id: crypto.randomUUID(),
    tenantId: p.tenantId,
    address: p.address.toLowerCase(),
    codeHash: null,
    expiresAt: null,
    failedAttempts: 0,
    sentAt: [p.now.getTime() - 4 * DAY],
    lastSentAt: new Date(p.now.getTime() - 4 * DAY),
    verifiedAt: new Date(p.now.getTime() - 4 * DAY),
    createdAt: new Date(p.now.getTime() - 4 * DAY),
  });
}

/** An active plan of a new training; "high" is a daily reminder for half a year (what the spam meter rates high). */
export async function insertPlan(db: Db, p: { tenantId: string; name: string; risk: "low" | "high"; timezone?: string; now: Date }) {
  const training = await createTraining(db, { tenantId: p.tenantId, name: p.name, externalId: null, linkUrl: null }, p.now);
  const high = p.risk === "high";
  const schedule = planScheduleSchema.parse({
    timezone: p.timezone ?? "Europe/Berlin",
    anchor: "assigned",
    offsetDays: high ? 0 : 3,
    startDate: null,
    sendTime: "09:00",
    repeatEveryDays: high ? 1 : 7,
    endDate: new Date(p.now.getTime() + 180 * DAY).toISOString().slice(0, 10),
    maxSends: high ? null : 3,
    weekdaysOnly: !high,
    escalateAfterSends: null,
  });
  await createPlan(
    db,
    {
      tenantId: p.tenantId,
      trainingId: training.id,
      name: p.name,
      active: true,
      schedule,
      templates: defaultTemplates,
      spamRisk: p.risk,
      highRiskConfirmedAt: high ? p.now : null,
      highRiskConfirmedBy: null,
    },
    p.now,
  );
}

/** Mails of the last days: `sent` sent, `failed` failed of which `bounced` refused by the recipient's server. */
export async function insertRecentMails(db: Db, p: { tenantId: string; domain: string; sent: number; failed: number; bounced: number; now: Date }) {
  const rows = [];
  for (let i = 0; i < p.sent + p.failed; i++) {
    const sent = i < p.sent;
    const bounced = !sent && i - p.sent < p.bounced;
    const at = new Date(p.now.getTime() - ((i % 6) + 1) * DAY);
    rows.push({
      id: crypto.randomUUID(),
      tenantId: p.tenantId,
      kind: "reminder" as const,
      recipient: `learner${i}@${p.domain}`,
      dueAt: at,
      status: sent ? ("sent" as const) : ("failed" as const),
      attempts: 1,
      sentAt: sent ? at : null,
      createdAt: at,
      updatedAt: at,
      lastAttemptAt: at,
      failureClass: sent ? null : bounced ? ("recipient" as const) : ("message" as const),
      lastErrorKind: sent ? null : bounced ? "mailbox_unknown" : "message_rejected",
      lastReply: sent ? null : bounced ? "550 5.1.1 User unknown" : "554 5.6.0 Message rejected",
    });
  }
  for (let i = 0; i < rows.length; i += 200) await db.orm.insert(db.t.deliveries).values(rows.slice(i, i + 200));
}

/**
 * Writes the rows of `state` for a tenant that has none yet. `domain` is the tenant's
 * mail domain, `noreply` the platform's no-reply address.
 */
export async function putTenantInState(
  db: Db,
  p: { tenantId: string; slug: string; name: string; state: TenantState; domain: string; noreply: string; now: Date },
): Promise<void> {
  const { tenantId, now } = p;
  const put = (mode: SenderSettingsValues["mode"], extra: Partial<SenderSettingsValues> = {}) =>
    putSenderSettings(db, { tenantId, values: { ...settings(mode, p), ...extra } });
  switch (p.state) {
    case "not_configured":
      return;
    case "ready":
      await put("platform");
      return;
    case "smtp_failed":
      await put("custom_smtp", {
        lastTest: { kind: "connection", ok: false, failure: "auth_failed", at: new Date(now.getTime() - 2 * HOUR).toISOString(), ms: 412 },
      });
      return;
    case "domain_red":
    case "domain_green": {
      await put("customer_domain");
      await insertVerifiedProof(db, { tenantId, address: `training@${p.domain}`, now });
      await insertCheck(db, { tenantId, domain: p.domain, green: p.state === "domain_green", at: new Date(now.getTime() - 5 * HOUR) });
      return;
    }
    case "high_risk":
      await put("platform");
      await insertPlan(db, { tenantId, name: "Daily reminder", risk: "high", now });
      return;
    case "paused":
      await put("platform");
      await db.transaction(async (tx) => {
        await pauseTenantSending(tx, {
          tenantId,
          failure: {
            class: "sender",
            kind: "policy_rejected",
            smtpCode: 550,
            reply: "550 5.7.1 Sender address rejected: not permitted",
            advice: failureAdvice("policy_rejected", "sender"),
          },
          deliveryId: null,
          now: new Date(now.getTime() - 3 * HOUR),
        });
      });
      return;
  }
}
