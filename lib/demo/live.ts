import { and, eq, inArray } from "drizzle-orm";
import { DateTime } from "luxon";
import { CLI_ACTOR } from "../auth/policy";
import { encryptionKeys } from "../config/encryption";
import { config } from "../config/platform-profile";
import type { Db } from "../db";
import { getTrainingByExternalId, listPlans } from "../reminders/queries";
import { savePlan } from "../reminders/service";
import { defaultTemplates } from "../reminders/templates";
import { putAssignment, putTraining, recordCompletion, upsertLearnerBatch } from "../learners/service";
import { getSenderSettings } from "../sender/queries";
import { applySenderSettings, senderEnvironment, type SenderEnvironment } from "../sender/service";
import type { EncryptionKeys } from "../crypto/secret-box";
import { getTenantBySlug } from "../tenants/queries";
import { ascii, must } from "./learners";
import { DEMO_TENANTS } from "./seed";

/**
 * The part of the demo that sends while one watches (`npm run demo`, each start):
 * a "live" training per demo tenant whose reminder plan sends at the next full minute
 * after the start (plus one), assigned to a handful of learners — two of whom complete
 * it at once (their reminders are cancelled), and one whose address the demo's SMTP
 * catcher rejects with 550 5.1.1 (failed, suppressed). The demo tenants send through the
 * platform relay (the catcher) unless someone chose another way already.
 *
 * Each start begins the live part afresh: the live plan's outbox rows, the bounce's
 * suppression and the live learners' unsubscribes are removed, the plan's send time and
 * the assignments are set relative to now, and the planner plans them again — so it
 * works the second time too.
 */

export const LIVE_TRAINING = {
  externalId: "demo-live-101",
  de: "Phishing erkennen (Live-Demo)",
  en: "Spotting phishing (live demo)",
  link: "https://learning.example/courses/phishing-101",
} as const;
const LIVE_PLAN_NAME = { de: "Live-Demo: Erinnerung in zwei Minuten", en: "Live demo: reminder in two minutes" } as const;

const LIVE_NAMES = {
  de: [["Mia", "Neumann"], ["Paul", "Schulz"], ["Lea", "Zimmermann"], ["Tom", "Braun"], ["Sophie", "Krüger"], ["Noah", "Hartmann"], ["Emil", "Lange"], ["Lina", "Werner"]],
  en: [["Ava", "Green"], ["Noah", "Hall"], ["Mia", "Clarke"], ["Leo", "Wright"], ["Ruby", "King"], ["Oscar", "Scott"], ["Ella", "Baker"], ["Jacob", "Hill"]],
} as const;
/** Learners at these positions complete the live training right away. */
const COMPLETING = new Set([6, 7]);

/** The one address per demo tenant that the catcher rejects (550 5.1.1). */
export const DEMO_BOUNCE = {
  acme: { email: "ehemalig.mitarbeiter@acme.example", firstName: "Erik", lastName: "Ehemalig" },
  globex: { email: "former.employee@globex.example", firstName: "Fiona", lastName: "Former" },
} as const;
export const DEMO_BOUNCE_ADDRESSES: readonly string[] = Object.values(DEMO_BOUNCE).map((b) => b.email);

const MINUTE = 60_000;

export interface LiveDemo {
  /** Live assignments that will receive a reminder (the completed ones not counted). */
  assigned: number;
  firstDueAt: Date;
  inMinutes: number;
}

/** When the live reminders go: the full minute after now + 1 minute (so 1–2 minutes ahead). */
export function liveSendInstant(now: Date): Date {
  return new Date(Math.ceil((now.getTime() + MINUTE) / MINUTE) * MINUTE);
}

/** `env`: the operator's sender environment and keys (default: from the configuration). */
export async function refreshLiveDemo(db: Db, p: { now: Date; env?: { sender: SenderEnvironment; keys: EncryptionKeys } }): Promise<LiveDemo> {
  const env = p.env?.sender ?? senderEnvironment(config());
  const keys = p.env?.keys ?? encryptionKeys();
  const sendAt = liveSendInstant(p.now);
  // Assigned a moment ago: the engine drops instants before assignedAt.
  const assignedAt = new Date(p.now.getTime() - MINUTE);
  let assigned = 0;

  for (const demo of DEMO_TENANTS) {
    const tenant = await getTenantBySlug(db, demo.slug);
    if (!tenant) continue;
    const ref = { id: tenant.id, timezone: tenant.timezone };
    const locale = demo.locale;
    const domain = `${demo.slug}.example`;

    if (!(await getSenderSettings(db, { tenantId: tenant.id }))) {
      must(
        await applySenderSettings(db, {
          tenantId: tenant.id,
          actorUserId: null,
          via: "cli",
          raw: {
            mode: "platform",
            noreplyAddress: env.profile.noreplyAddresses[0],
            displayName: tenant.name,
            replyTo: locale === "de" ? `schulung@${domain}` : `training@${domain}`,
          },
          env,
          keys,
          now: p.now,
        }),
        `sender of ${demo.slug}`,
      );
    }

    must(
      await putTraining(db, {
        tenant: ref,
        actor: CLI_ACTOR,
        externalId: LIVE_TRAINING.externalId,
        input: { name: LIVE_TRAINING[locale], link: LIVE_TRAINING.link },
        now: p.now,
      }),
      `live training of ${demo.slug}`,
    );
    const training = (await getTrainingByExternalId(db, { tenantId: tenant.id, externalId: LIVE_TRAINING.externalId }))!;
    const existing = (await listPlans(db, { tenantId: tenant.id, trainingIds: [training.id] }))[0];

    // Start afresh: the previous start's rows, the bounce's suppression, unsubscribes.
    const bounce = DEMO_BOUNCE[demo.slug];
    const names = LIVE_NAMES[locale];
    const learners = [
      ...names.map(([firstName, lastName], i) => ({
        externalId: `demo-live-${String(i + 1).padStart(3, "0")}`,
        email: `${ascii(firstName)}.${ascii(lastName)}@${domain}`,
        firstName,
        lastName,
        locale: i === 5 ? (locale === "de" ? "en" : "de") : null,
        responsibleName: null,
        responsibleEmail: null,
        active: true,
      })),
      {
        externalId: `demo-live-${String(names.length + 1).padStart(3, "0")}`,
        email: bounce.email,
        firstName: bounce.firstName,
        lastName: bounce.lastName,
        locale: null,
        responsibleName: null,
        responsibleEmail: null,
        active: true,
      },
    ];
    const addresses = learners.map((l) => l.email.toLowerCase());
    await db.transaction(async (tx) => {
      if (existing) {
        await tx.orm.delete(tx.t.deliveries).where(eq(tx.t.deliveries.planId, existing.id));
        await tx.orm.delete(tx.t.unsubscribes).where(eq(tx.t.unsubscribes.planId, existing.id));
      }
      await tx.orm
        .delete(tx.t.suppressions)
        .where(and(eq(tx.t.suppressions.tenantId, tenant.id), inArray(tx.t.suppressions.address, addresses)));
    });

    // The plan: once at the send instant (in the tenant's zone), once more two days later.
    const local = DateTime.fromJSDate(sendAt, { zone: tenant.timezone });
    const assignedDay = DateTime.fromJSDate(assignedAt, { zone: tenant.timezone }).startOf("day");
    must(
      await savePlan(db, {
        tenant: ref,
        actor: CLI_ACTOR,
        input: {
          id: existing?.id ?? null,
          trainingId: training.id,
          name: LIVE_PLAN_NAME[locale],
          active: true,
          anchor: "assigned",
          offsetDays: Math.round(local.startOf("day").diff(assignedDay, "days").days),
          startDate: null,
          sendTime: local.toFormat("HH:mm"),
          repeatEveryDays: 2,
          endDate: local.plus({ days: 30 }).toISODate(),
          maxSends: 2,
          weekdaysOnly: false,
          escalateAfterSends: null,
          digestWeekday: 1,
          digestTime: "08:00",
          templates: existing?.templates ?? defaultTemplates,
          confirmHighRisk: false,
        },
        now: p.now,
      }),
      `live plan of ${demo.slug}`,
    );

    must(await upsertLearnerBatch(db, { tenant: ref, actor: CLI_ACTOR, input: { learners }, now: p.now }), `live learners of ${demo.slug}`);
    for (const [i, learner] of learners.entries()) {
      must(
        await putAssignment(db, {
          tenant: ref,
          actor: CLI_ACTOR,
          learnerExternalId: learner.externalId,
          trainingExternalId: LIVE_TRAINING.externalId,
          input: { assignedAt: assignedAt.toISOString(), dueAt: new Date(p.now.getTime() + 14 * 86_400_000).toISOString() },
          now: p.now,
        }),
        `live assignment ${learner.externalId}`,
      );
      if (COMPLETING.has(i)) {
        must(
          await recordCompletion(db, {
            tenant: ref,
            actor: CLI_ACTOR,
            input: { learnerExternalId: learner.externalId, trainingExternalId: LIVE_TRAINING.externalId, completedAt: p.now.toISOString() },
            now: p.now,
          }),
          `live completion ${learner.externalId}`,
        );
      } else assigned++;
    }
  }
  return { assigned, firstDueAt: sendAt, inMinutes: Math.round((sendAt.getTime() - p.now.getTime()) / MINUTE) };
}
