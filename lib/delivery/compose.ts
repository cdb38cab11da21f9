import { and, eq, inArray } from "drizzle-orm";
import type Mail from "nodemailer/lib/mailer";
import type { Db } from "../db";
import { localized, type Locale } from "../i18n/locale";
import { headerDisplayName } from "../mail/address";
import { planScheduleSchema, templateSetSchema, type PlanSchedule, type TemplateSet } from "../reminders/plan-schema";
import { computeSchedule } from "../reminders/schedule";
import { renderReminderMail, TemplateError } from "../reminders/templates";
import { chunks } from "./chunks";
import { isDigestEmpty, loadDigestContents, renderDigestMail } from "./digest";
import { deliveryKey, messageIdFor, parseDigestKey } from "./keys";
import type { CancelReason, DeliveryFailure } from "./types";
import { unsubscribeLinks } from "./unsubscribe";

/**
 * Composition of the outbox's mails, for a whole claimed batch at once. What the rows
 * need is loaded with a fixed number of IN queries (plans, assignments, learners,
 * trainings, unsubscribes, suppressions; digests: see digest.ts), never one per row:
 * the worker calls this for every batch it claims.
 *
 * The assignment, the learner, the plan, unsubscribes and suppressions are read again
 * here, right before the SMTP hand-over: a completion or an unsubscribe that arrived
 * while the row was `sending` (stop-reminders cancels pending rows only) stops the mail.
 */

export type DeliveryRow = Db["t"]["deliveries"]["$inferSelect"];

export interface ComposeSender {
  fromAddress: string;
  fromName: string;
  replyTo: string | null;
  /** The tenant's verified key for the From domain (DMARC alignment), or null: unsigned. */
  dkim: { domainName: string; keySelector: string; privateKey: string } | null;
}

export interface ComposedMail {
  /** For nodemailer's sendMail (file and URL access disabled; DKIM option when a key is set). */
  message: Mail.Options;
  messageId: string;
  subject: string;
  locale: Locale;
  variantIndex: number | null;
}

/**
 * What becomes of one row: a mail, a reason not to send it (the row is cancelled), or a
 * failure of the mail itself (class "message": its plan's stored templates cannot be
 * rendered — never expected, since plans are validated when saved; the row fails
 * instead of the whole batch).
 */
export type PreparedMail = ComposedMail | { cancel: CancelReason } | { fail: DeliveryFailure };

export interface ComposeTenant {
  id: string;
  name: string;
  timezone: string;
  locale: Locale;
}

/**
 * The signed header fields: RFC 6376 §5.4.1's list, plus the RFC 8058 pair (a
 * one-click unsubscribe counts only when the signature covers both) and Auto-Submitted.
 */
export const DKIM_HEADER_FIELDS =
  "From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:" +
  "In-Reply-To:References:List-Id:List-Unsubscribe:List-Unsubscribe-Post:Auto-Submitted";

interface Loaded {
  plans: Map<string, { name: string; active: boolean; trainingId: string; schedule: PlanSchedule | null; templates: TemplateSet | null }>;
  assignments: Map<string, { learnerId: string; trainingId: string; assignedAt: Date; dueAt: Date | null; completedAt: Date | null; withdrawnAt: Date | null }>;
  learners: Map<string, { firstName: string; lastName: string; locale: Locale | null; responsibleName: string | null; active: boolean }>;
  trainings: Map<string, { name: string; linkUrl: string | null }>;
  /** `${planId}|${learnerId}` */
  unsubscribed: Set<string>;
  /** lower-cased addresses */
  suppressed: Set<string>;
}

async function loadReminderData(db: Db, tenantId: string, rows: DeliveryRow[]): Promise<Loaded> {
  const loaded: Loaded = {
    plans: new Map(),
    assignments: new Map(),
    learners: new Map(),
    trainings: new Map(),
    unsubscribed: new Set(),
    suppressed: new Set(),
  };
  const reminders = rows.filter((r) => r.kind === "reminder");
  const planIds = [...new Set(reminders.map((r) => r.planId).filter((id): id is string => !!id))];
  const assignmentIds = [...new Set(reminders.map((r) => r.assignmentId).filter((id): id is string => !!id))];

  const rp = db.t.reminderPlans;
  for (const part of chunks(planIds)) {
    const plans = await db.orm
      .select({ id: rp.id, name: rp.name, active: rp.active, trainingId: rp.trainingId, schedule: rp.schedule, templates: rp.templates })
      .from(rp)
      .where(and(eq(rp.tenantId, tenantId), inArray(rp.id, part)));
    for (const p of plans) {
      const schedule = planScheduleSchema.safeParse(p.schedule);
      const templates = templateSetSchema.safeParse(p.templates);
      loaded.plans.set(p.id, {
        name: p.name,
        active: p.active,
        trainingId: p.trainingId,
        schedule: schedule.success ? schedule.data : null,
        templates: templates.success ? templates.data : null,
      });
    }
  }
  const a = db.t.assignments;
  for (const part of chunks(assignmentIds)) {
    const list = await db.orm
      .select({ id: a.id, learnerId: a.learnerId, trainingId: a.trainingId, assignedAt: a.assignedAt, dueAt: a.dueAt, completedAt: a.completedAt, withdrawnAt: a.withdrawnAt })
      .from(a)
      .where(and(eq(a.tenantId, tenantId), inArray(a.id, part)));
    for (const { id, ...rest } of list) loaded.assignments.set(id, rest);
  }
  const learnerIds = [
    ...new Set([...reminders.map((r) => r.learnerId), ...[...loaded.assignments.values()].map((x) => x.learnerId)].filter((id): id is string => !!id)),
  ];
  const l = db.t.learners;
  for (const part of chunks(learnerIds)) {
    const list = await db.orm
      .select({ id: l.id, firstName: l.firstName, lastName: l.lastName, locale: l.locale, responsibleName: l.responsibleName, active: l.active })
      .from(l)
      .where(and(eq(l.tenantId, tenantId), inArray(l.id, part)));
    for (const { id, ...rest } of list) loaded.learners.set(id, rest);
  }
  const trainingIds = [...new Set([...loaded.assignments.values()].map((x) => x.trainingId))];
  const t = db.t.trainings;
  for (const part of chunks(trainingIds)) {
    const list = await db.orm.select({ id: t.id, name: t.name, linkUrl: t.linkUrl }).from(t).where(and(eq(t.tenantId, tenantId), inArray(t.id, part)));
    for (const { id, ...rest } of list) loaded.trainings.set(id, rest);
  }
  // Unsubscribes of these learners (few per learner), filtered to the batch's plans in memory.
  const u = db.t.unsubscribes;
  for (const part of chunks(learnerIds)) {
    const list = await db.orm
      .select({ planId: u.planId, learnerId: u.learnerId })
      .from(u)
      .where(and(eq(u.tenantId, tenantId), inArray(u.learnerId, part)));
    for (const x of list) loaded.unsubscribed.add(`${x.planId}|${x.learnerId}`);
  }
  const s = db.t.suppressions;
  const addresses = [...new Set(rows.map((r) => r.recipient.trim().toLowerCase()))];
  for (const part of chunks(addresses)) {
    const list = await db.orm
      .select({ address: s.address })
      .from(s)
      .where(and(eq(s.tenantId, tenantId), inArray(s.address, part)));
    for (const x of list) loaded.suppressed.add(x.address.toLowerCase());
  }
  return loaded;
}

function templateFailure(detail: string): { fail: DeliveryFailure } {
  return {
    fail: {
      class: "message",
      kind: "template_invalid",
      smtpCode: null,
      reply: detail,
      advice: localized(
        "Die Texte des Erinnerungsplans ließen sich nicht zu einer Mail zusammensetzen; sie wurde nicht gesendet. Bitte den Plan öffnen, die Texte prüfen und speichern.",
        "The reminder plan's texts could not be put together into a mail; it was not sent. Please open the plan, check its texts and save it.",
      ),
    },
  };
}

interface Envelope {
  row: DeliveryRow;
  sender: ComposeSender;
  now: Date;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** The nodemailer message: From/Reply-To/To, Date, the row's Message-ID, both parts, the headers, DKIM. */
function message(e: Envelope): { message: Mail.Options; messageId: string } {
  const messageId = e.row.messageId ?? messageIdFor(deliveryKey(e.row), e.sender.fromAddress);
  const message: Mail.Options = {
    from: { name: headerDisplayName(e.sender.fromName) ?? "", address: e.sender.fromAddress },
    ...(e.sender.replyTo ? { replyTo: e.sender.replyTo } : {}),
    to: e.row.recipient,
    subject: e.subject,
    text: e.text,
    html: e.html,
    date: e.now,
    messageId,
    headers: {
      // RFC 3834: automatic mail; well-behaved auto-responders stay quiet.
      "Auto-Submitted": "auto-generated",
      "X-Auto-Response-Suppress": "OOF, AutoReply",
      ...e.headers,
    },
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(e.sender.dkim
      ? {
          dkim: {
            domainName: e.sender.dkim.domainName,
            keySelector: e.sender.dkim.keySelector,
            privateKey: e.sender.dkim.privateKey,
            headerFieldNames: DKIM_HEADER_FIELDS,
          },
        }
      : {}),
  };
  return { message, messageId };
}

function composeReminder(
  row: DeliveryRow,
  data: Loaded,
  p: { sender: ComposeSender; tenant: ComposeTenant; publicUrl: string; now: Date },
  totals: Map<string, { total: number; numbers: Set<number> }>,
): PreparedMail {
  const assignment = row.assignmentId ? data.assignments.get(row.assignmentId) : undefined;
  if (!assignment || assignment.withdrawnAt) return { cancel: "withdrawn" };
  if (assignment.completedAt) return { cancel: "completed" };
  const learnerId = row.learnerId ?? assignment.learnerId;
  const learner = data.learners.get(learnerId);
  if (!learner || !learner.active) return { cancel: "learner_inactive" };
  const plan = row.planId ? data.plans.get(row.planId) : undefined;
  if (!plan || !plan.active) return { cancel: "plan_inactive" };
  if (data.unsubscribed.has(`${row.planId}|${learnerId}`)) return { cancel: "unsubscribed" };
  if (data.suppressed.has(row.recipient.trim().toLowerCase())) return { cancel: "suppressed" };
  if (!plan.schedule || !plan.templates) return templateFailure("The plan's stored schedule or templates do not pass the plan schema.");
  const training = data.trainings.get(assignment.trainingId);

  // The series as the engine sees it now: its length ("reminder 2 of 4"), and whether
  // this occurrence still exists (the plan may have changed while the row was claimed).
  // Assignments of one wave share their instants: one computation serves them all.
  const key = `${row.planId}|${assignment.assignedAt.getTime()}|${assignment.dueAt?.getTime() ?? ""}`;
  let series = totals.get(key);
  if (!series) {
    const result = computeSchedule(plan.schedule, { assignedAt: assignment.assignedAt, dueAt: assignment.dueAt, completedAt: null }, { now: p.now });
    series = { total: result.details.length, numbers: new Set(result.details.map((d) => d.number)) };
    totals.set(key, series);
  }
  const number = row.occurrence ?? 1;
  if (!series.numbers.has(number)) return { cancel: "plan_changed" };

  const links = unsubscribeLinks(p.publicUrl, row.id);
  let rendered;
  try {
    rendered = renderReminderMail(
      plan.templates,
      {
        learnerFirstName: learner.firstName,
        learnerLastName: learner.lastName,
        trainingName: training?.name ?? "",
        trainingLink: training?.linkUrl ?? "",
        tenantName: p.tenant.name,
        responsibleName: learner.responsibleName,
        dueAt: assignment.dueAt,
        sendAt: p.now,
        timezone: p.tenant.timezone,
        reminderNumber: number,
        reminderTotal: Math.max(series.total, number),
      },
      { learner: learner.locale, tenant: p.tenant.locale },
      { unsubscribeUrl: links.page },
    );
  } catch (error) {
    if (error instanceof TemplateError) return templateFailure(error.message);
    throw error;
  }
  const { message: msg, messageId } = message({
    row,
    sender: p.sender,
    now: p.now,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    headers: {
      // RFC 2369 / RFC 8058: the one-click POST address; mail clients show "Unsubscribe".
      "List-Unsubscribe": `<${links.oneClick}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  });
  return { message: msg, messageId, subject: rendered.subject, locale: rendered.locale, variantIndex: rendered.variantIndex };
}

/**
 * Loads what the rows need in a few IN queries (not one per row) and composes each
 * mail, or says why it must not go (assignment completed meanwhile, learner inactive,
 * unsubscribed, suppressed, plan inactive or changed, digest empty …). Keyed by row id.
 */
export async function prepareMails(
  db: Db,
  p: { rows: DeliveryRow[]; sender: ComposeSender; tenant: ComposeTenant; publicUrl: string; now: Date },
): Promise<Map<string, PreparedMail>> {
  const out = new Map<string, PreparedMail>();
  if (p.rows.length === 0) return out;
  const rows = p.rows;
  // The worker claims per tenant; a mixed batch would mail with the wrong sender.
  if (rows.some((r) => r.tenantId !== p.tenant.id)) throw new Error("prepareMails: every row must belong to the given tenant");

  const data = await loadReminderData(db, p.tenant.id, rows);
  const digestRows = rows.filter((r) => r.kind === "digest");
  const digestEmails = digestRows.map((r) => parseDigestKey(r.digestKey ?? "")?.responsibleEmail ?? r.recipient);
  const digests = digestRows.length
    ? await loadDigestContents(db, { tenantId: p.tenant.id, responsibleEmails: digestEmails, now: p.now, timezone: p.tenant.timezone })
    : new Map();

  const totals = new Map<string, { total: number; numbers: Set<number> }>();
  for (const row of rows) {
    if (row.kind === "reminder") {
      out.set(row.id, composeReminder(row, data, p, totals));
      continue;
    }
    const email = (parseDigestKey(row.digestKey ?? "")?.responsibleEmail ?? row.recipient).trim().toLowerCase();
    const content = digests.get(email);
    if (!content || isDigestEmpty(content)) {
      out.set(row.id, { cancel: "digest_empty" });
      continue;
    }
    if (data.suppressed.has(row.recipient.trim().toLowerCase())) {
      out.set(row.id, { cancel: "suppressed" });
      continue;
    }
    const rendered = renderDigestMail(content, { locale: p.tenant.locale, tenantName: p.tenant.name, timezone: p.tenant.timezone });
    // A digest has no List-Unsubscribe: it is a work summary for the responsible person,
    // not a subscription; its footer says why it comes and that it comes only when needed.
    const { message: msg, messageId } = message({ row, sender: p.sender, now: p.now, subject: rendered.subject, text: rendered.text, html: rendered.html, headers: {} });
    out.set(row.id, { message: msg, messageId, subject: rendered.subject, locale: rendered.locale, variantIndex: null });
  }
  return out;
}
