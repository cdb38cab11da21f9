import { and, count, eq, inArray, isNull, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db } from "../db";
import type { Locale } from "../i18n/locale";
import { dayFromParts } from "../reminders/local-time";
import { escapeHtml, mailDocument, paragraphHtml } from "../reminders/templates";
import { chunks } from "./chunks";

/**
 * The weekly digest of one responsible person: their active learners whose training
 * is overdue or who escalated (got the plan's `escalateAfterSends` reminders without
 * completing), per training, with due dates and days overdue. Built when the digest
 * row is sent, not when it is planned, so it shows the state of that moment; an empty
 * digest is never sent (prepareMails cancels it, reason `digest_empty`).
 */

export interface DigestLearner {
  learnerId: string;
  firstName: string;
  lastName: string;
  email: string;
  dueAt: Date | null;
  /** Local days past the due date (≥ 1), or null when not overdue. */
  daysOverdue: number | null;
  /** Days until the due date when not overdue (0 = today), null without a due date. */
  daysLeft: number | null;
  /** Got the escalation threshold's reminders without completing. */
  escalated: boolean;
  remindersSent: number;
}

export interface DigestTraining {
  trainingId: string;
  name: string;
  link: string | null;
  learners: DigestLearner[];
}

export interface DigestContent {
  responsibleEmail: string;
  /** As the learners' records name the person (the first one found), else null. */
  responsibleName: string | null;
  trainings: DigestTraining[];
  /** Distinct learners in the digest. */
  learnerCount: number;
}

const localDay = (at: Date, timezone: string) => {
  const dt = DateTime.fromJSDate(at, { zone: timezone });
  return dayFromParts(dt.year, dt.month, dt.day);
};

function escalationThreshold(schedule: unknown): number | null {
  const k = (schedule as { escalateAfterSends?: unknown } | null)?.escalateAfterSends;
  return typeof k === "number" && Number.isInteger(k) && k >= 1 ? k : null;
}

/**
 * The digests of several responsible people of one tenant in a fixed number of queries
 * (learners, assignments, trainings, plans, sent counts). Keys: lower-cased e-mail.
 */
export async function loadDigestContents(
  db: Db,
  p: { tenantId: string; responsibleEmails: string[]; now: Date; timezone: string },
): Promise<Map<string, DigestContent>> {
  const emails = [...new Set(p.responsibleEmails.map((e) => e.trim().toLowerCase()))];
  const out = new Map<string, DigestContent>(emails.map((e) => [e, { responsibleEmail: e, responsibleName: null, trainings: [], learnerCount: 0 }]));
  if (emails.length === 0) return out;
  const l = db.t.learners;
  const learnerRows = [];
  for (const part of chunks(emails)) {
    learnerRows.push(
      ...(await db.orm
        .select({ id: l.id, firstName: l.firstName, lastName: l.lastName, email: l.email, responsibleName: l.responsibleName, responsibleEmail: l.responsibleEmail })
        .from(l)
        .where(and(eq(l.tenantId, p.tenantId), eq(l.active, true), inArray(sql<string>`lower(${l.responsibleEmail})`, part)))),
    );
  }
  if (learnerRows.length === 0) return out;
  const learnerById = new Map(learnerRows.map((r) => [r.id, r]));

  const a = db.t.assignments;
  const assignmentRows = [];
  for (const part of chunks([...learnerById.keys()])) {
    assignmentRows.push(
      ...(await db.orm
        .select({ id: a.id, learnerId: a.learnerId, trainingId: a.trainingId, dueAt: a.dueAt })
        .from(a)
        .where(and(eq(a.tenantId, p.tenantId), inArray(a.learnerId, part), isNull(a.completedAt), isNull(a.withdrawnAt)))),
    );
  }
  if (assignmentRows.length === 0) return out;
  const trainingIds = [...new Set(assignmentRows.map((r) => r.trainingId))];

  const t = db.t.trainings;
  const rp = db.t.reminderPlans;
  const trainings = new Map<string, { name: string; link: string | null }>();
  const thresholds = new Map<string, { planId: string; k: number }[]>();
  for (const part of chunks(trainingIds)) {
    for (const r of await db.orm.select({ id: t.id, name: t.name, link: t.linkUrl }).from(t).where(and(eq(t.tenantId, p.tenantId), inArray(t.id, part)))) {
      trainings.set(r.id, { name: r.name, link: r.link });
    }
    const plans = await db.orm
      .select({ id: rp.id, trainingId: rp.trainingId, schedule: rp.schedule })
      .from(rp)
      .where(and(eq(rp.tenantId, p.tenantId), eq(rp.active, true), inArray(rp.trainingId, part)));
    for (const plan of plans) {
      const k = escalationThreshold(plan.schedule);
      if (k === null) continue;
      thresholds.set(plan.trainingId, [...(thresholds.get(plan.trainingId) ?? []), { planId: plan.id, k }]);
    }
  }

  // Sent reminders per (plan, assignment), only where some plan escalates at all.
  const sent = new Map<string, number>();
  const escalating = assignmentRows.filter((r) => thresholds.has(r.trainingId)).map((r) => r.id);
  const d = db.t.deliveries;
  for (const part of chunks(escalating)) {
    const rows = await db.orm
      .select({ planId: d.planId, assignmentId: d.assignmentId, n: count() })
      .from(d)
      .where(and(eq(d.tenantId, p.tenantId), inArray(d.assignmentId, part), eq(d.kind, "reminder"), eq(d.status, "sent")))
      .groupBy(d.planId, d.assignmentId);
    for (const r of rows) sent.set(`${r.planId}|${r.assignmentId}`, Number(r.n));
  }

  const today = localDay(p.now, p.timezone);
  const byEmail = new Map<string, Map<string, DigestTraining>>();
  const people = new Map<string, Set<string>>();
  for (const asg of assignmentRows) {
    const learner = learnerById.get(asg.learnerId)!;
    const training = trainings.get(asg.trainingId);
    if (!training) continue;
    const dueDay = asg.dueAt ? localDay(asg.dueAt, p.timezone) : null;
    const overdue = asg.dueAt !== null && asg.dueAt.getTime() < p.now.getTime();
    let escalated = false;
    let remindersSent = 0;
    for (const { planId, k } of thresholds.get(asg.trainingId) ?? []) {
      const n = sent.get(`${planId}|${asg.id}`) ?? 0;
      remindersSent = Math.max(remindersSent, n);
      if (n >= k) escalated = true;
    }
    if (!overdue && !escalated) continue;
    const email = (learner.responsibleEmail ?? "").trim().toLowerCase();
    const content = out.get(email);
    if (!content) continue;
    content.responsibleName ??= learner.responsibleName?.trim() || null;
    let perTraining = byEmail.get(email);
    if (!perTraining) byEmail.set(email, (perTraining = new Map()));
    let entry = perTraining.get(asg.trainingId);
    if (!entry) perTraining.set(asg.trainingId, (entry = { trainingId: asg.trainingId, name: training.name, link: training.link, learners: [] }));
    entry.learners.push({
      learnerId: learner.id,
      firstName: learner.firstName,
      lastName: learner.lastName,
      email: learner.email,
      dueAt: asg.dueAt,
      daysOverdue: overdue && dueDay !== null ? Math.max(1, today - dueDay) : null,
      daysLeft: !overdue && dueDay !== null ? Math.max(0, dueDay - today) : null,
      escalated,
      remindersSent,
    });
    let seen = people.get(email);
    if (!seen) people.set(email, (seen = new Set()));
    seen.add(learner.id);
  }
  const byName = (x: { name: string }, y: { name: string }) => x.name.localeCompare(y.name);
  for (const [email, perTraining] of byEmail) {
    const content = out.get(email)!;
    content.trainings = [...perTraining.values()].sort(byName);
    for (const training of content.trainings) {
      // Longest overdue first, then by name: who needs a word most comes first.
      training.learners.sort(
        (x, y) => (y.daysOverdue ?? -1) - (x.daysOverdue ?? -1) || x.lastName.localeCompare(y.lastName) || x.firstName.localeCompare(y.firstName),
      );
    }
    content.learnerCount = people.get(email)?.size ?? 0;
  }
  return out;
}

/** One responsible person's digest (see loadDigestContents). */
export async function loadDigestContent(db: Db, p: { tenantId: string; responsibleEmail: string; now: Date; timezone?: string }): Promise<DigestContent> {
  let timezone = p.timezone;
  if (!timezone) {
    const tn = db.t.tenants;
    const [tenant] = await db.orm.select({ timezone: tn.timezone }).from(tn).where(eq(tn.id, p.tenantId));
    timezone = tenant?.timezone ?? "UTC";
  }
  const all = await loadDigestContents(db, { tenantId: p.tenantId, responsibleEmails: [p.responsibleEmail], now: p.now, timezone });
  return all.get(p.responsibleEmail.trim().toLowerCase())!;
}

export function isDigestEmpty(content: DigestContent): boolean {
  return content.learnerCount === 0;
}

// ── Rendering ─────────────────────────────────────────────────────────────────

const INTL: Record<Locale, string> = { de: "de-DE", en: "en-GB" };

const WORDS = {
  de: {
    subject: (n: number) => (n === 1 ? "Wochenübersicht: 1 Person mit offener Schulung" : `Wochenübersicht: ${n} Personen mit offenen Schulungen`),
    hello: (name: string | null) => (name ? `Hallo ${name},` : "Guten Tag,"),
    intro:
      "hier ist Ihre wöchentliche Übersicht: Diese Personen, für die Sie als verantwortlich eingetragen sind, haben eine Schulung noch nicht abgeschlossen.",
    due: (date: string) => `fällig am ${date}`,
    noDue: "ohne Frist",
    overdue: (n: number) => (n === 1 ? "seit 1 Tag überfällig" : `seit ${n} Tagen überfällig`),
    left: (n: number) => (n === 0 ? "heute fällig" : n === 1 ? "noch 1 Tag" : `noch ${n} Tage`),
    escalated: (n: number) => (n === 1 ? "1 Erinnerung ohne Abschluss" : `${n} Erinnerungen ohne Abschluss`),
    link: "Zur Schulung",
    closing: "Ein kurzes Wort von Ihnen hilft oft mehr als eine weitere Erinnerung.",
    regards: "Viele Grüße",
    footer: "Sie erhalten diese Übersicht, weil Sie bei diesen Personen als verantwortlich eingetragen sind. Sie kommt nur in Wochen, in denen etwas offen ist.",
  },
  en: {
    subject: (n: number) => (n === 1 ? "Weekly summary: 1 person with an open training" : `Weekly summary: ${n} people with open trainings`),
    hello: (name: string | null) => (name ? `Hello ${name},` : "Hello,"),
    intro: "here is your weekly summary: these people, for whom you are named as the responsible person, have not completed a training yet.",
    due: (date: string) => `due on ${date}`,
    noDue: "no deadline",
    overdue: (n: number) => (n === 1 ? "1 day overdue" : `${n} days overdue`),
    left: (n: number) => (n === 0 ? "due today" : n === 1 ? "1 day left" : `${n} days left`),
    escalated: (n: number) => (n === 1 ? "1 reminder without completion" : `${n} reminders without completion`),
    link: "Open the training",
    closing: "A short word from you often helps more than another reminder.",
    regards: "Kind regards",
    footer: "You receive this summary because you are named as the responsible person for these people. It only comes in weeks when something is open.",
  },
} as const;

export interface RenderedDigest {
  locale: Locale;
  subject: string;
  text: string;
  html: string;
}

function learnerLine(learner: DigestLearner, locale: Locale, timezone: string): string {
  const w = WORDS[locale];
  const parts: string[] = [];
  if (learner.dueAt) {
    parts.push(w.due(DateTime.fromJSDate(learner.dueAt, { zone: timezone }).setLocale(INTL[locale]).toLocaleString(DateTime.DATE_FULL)));
    parts.push(learner.daysOverdue !== null ? w.overdue(learner.daysOverdue) : w.left(learner.daysLeft ?? 0));
  } else {
    parts.push(w.noDue);
  }
  if (learner.escalated) parts.push(w.escalated(learner.remindersSent));
  return `${learner.firstName} ${learner.lastName} (${learner.email}): ${parts.join(", ")}`;
}

const isWebLink = (url: string | null): url is string => !!url && /^https?:\/\/[^\s]+$/i.test(url);

/** The digest mail in German or English: plain text, and HTML with one list per training. */
export function renderDigestMail(content: DigestContent, ctx: { locale: Locale; tenantName: string; timezone: string }): RenderedDigest {
  const { locale, timezone } = ctx;
  const w = WORDS[locale];
  const subject = w.subject(content.learnerCount);
  const text: string[] = [w.hello(content.responsibleName), "", w.intro, ""];
  const html: string[] = [paragraphHtml([w.hello(content.responsibleName)]), paragraphHtml([w.intro])];
  for (const training of content.trainings) {
    const lines = training.learners.map((l) => learnerLine(l, locale, timezone));
    text.push(training.name, ...lines.map((line) => `- ${line}`));
    if (isWebLink(training.link)) text.push(`${w.link}: ${training.link}`);
    text.push("");
    html.push(
      `<h2 style="margin:24px 0 8px;font:bold 16px/1.4 Arial,Helvetica,sans-serif;color:#111827;">${escapeHtml(training.name)}</h2>`,
      `<ul style="margin:0 0 12px;padding-left:20px;">\n${lines.map((line) => `<li style="margin:0 0 4px;">${escapeHtml(line)}</li>`).join("\n")}\n</ul>`,
    );
    if (isWebLink(training.link)) {
      html.push(`<p style="margin:0 0 16px;"><a href="${escapeHtml(training.link)}" style="color:#1d4ed8;">${escapeHtml(w.link)}</a></p>`);
    }
  }
  text.push(w.closing, "", w.regards, ctx.tenantName, "", "-- ", w.footer, "");
  html.push(paragraphHtml([w.closing]), paragraphHtml([w.regards, ctx.tenantName]));
  return {
    locale,
    subject,
    text: text.join("\n"),
    html: mailDocument({ locale, subject, heading: ctx.tenantName, bodyHtml: html.join("\n"), footerHtml: escapeHtml(w.footer) }),
  };
}
