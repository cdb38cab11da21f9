import crypto from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { CLI_ACTOR } from "../auth/policy";
import { parseEncryptionKeys } from "../crypto/secret-box";
import type { Db } from "../db";
import type { DeliveryEnvironment } from "../delivery/sender";
import type { DeliveryRow } from "../delivery/outbox";
import { applyLearnerRows, type ImportRow } from "../learners/service";
import { defaultTemplateSet } from "../reminders/defaults";
import { savePlan, saveTraining } from "../reminders/service";
import { senderSettingsSchema } from "../sender/sender-schema";
import { saveSenderSettings, type SenderEnvironment } from "../sender/service";
import { createTenant } from "../tenants/queries";

/**
 * A tenant ready to send through a loopback relay, for the delivery tests: platform mode
 * (noreply@platform.example) with the given rate and quota, one training, one active plan
 * with ONE reminder at `dueAt` (fixed start, UTC zone), and learners with assignments whose
 * reminder row is due then. The rows are the planner's when it plans on assignment, else
 * inserted here with the same key and instant (an upsert either way).
 */

export const TEST_KEYS_SPEC = `k1:${Buffer.alloc(32, 7).toString("base64")}`;
export const TEST_NOREPLY = "noreply@platform.example";
export const TEST_PUBLIC_URL = "https://postillion.test";

export function testDeliveryEnvironment(relayPort: number, extra: Partial<SenderEnvironment> = {}): DeliveryEnvironment {
  return {
    sender: {
      profile: { noreplyAddresses: [TEST_NOREPLY], allowedPorts: [relayPort] },
      policy: { allowPrivate: true, allowedPorts: [relayPort] },
      relayUrl: `smtp://127.0.0.1:${relayPort}`,
      defaults: { ratePerMinute: 60, dailyQuota: 10_000 },
      ...extra,
    },
    keys: parseEncryptionKeys(TEST_KEYS_SPEC),
    publicUrl: TEST_PUBLIC_URL,
    probe: { timeoutMs: 5_000, tlsRejectUnauthorized: false },
  };
}

/** The environment a spawned `postillion worker` needs to send through the same relay. */
export function workerProcessEnv(p: { databaseUrl: string; relayPort: number; dataDir: string }): Record<string, string> {
  return {
    DATABASE_URL: p.databaseUrl,
    DATA_DIR: p.dataDir,
    SMTP_RELAY_URL: `smtp://127.0.0.1:${p.relayPort}`,
    PLATFORM_NOREPLY_ADDRESSES: TEST_NOREPLY,
    POSTILLION_ENCRYPTION_KEYS: TEST_KEYS_SPEC,
    NEXTAUTH_SECRET: "x".repeat(40),
    PUBLIC_URL: TEST_PUBLIC_URL,
    POSTILLION_SQLITE_TX_GUARD: "throw",
  };
}

export interface DeliveryTenant {
  tenantId: string;
  slug: string;
  trainingExternalId: string;
  planId: string;
  dueAt: Date;
  /** Adds `count` learners (external ids L1, L2, …) with an assignment each; returns their reminder rows (due at `dueAt`). */
  addLearners(count: number): Promise<DeliveryRow[]>;
}

export async function seedDeliveryTenant(
  db: Db,
  p: { slug: string; relayPort: number; dueAt: Date; ratePerMinute?: number; dailyQuota?: number; timezone?: string; now?: Date },
): Promise<DeliveryTenant> {
  const timezone = p.timezone ?? "UTC";
  const now = p.now ?? new Date(p.dueAt.getTime() - 86_400_000);
  const tenant = await createTenant(db, { slug: p.slug, name: `Tenant ${p.slug}`, timezone, locale: "en" });
  const env = testDeliveryEnvironment(p.relayPort);
  const input = senderSettingsSchema(env.sender.profile).parse({
    mode: "platform",
    noreplyAddress: TEST_NOREPLY,
    displayName: "Acme Training",
    replyTo: "",
    confirmNoReplyTo: "on",
    ratePerMinute: String(p.ratePerMinute ?? Math.min(600, p.dailyQuota ?? 600)),
    dailyQuota: String(p.dailyQuota ?? 10_000),
  });
  await saveSenderSettings(db, { tenantId: tenant.id, actorUserId: null, via: "cli", input, keys: env.keys, now });
  const ref = { id: tenant.id, timezone };
  const trainingExternalId = `T-${p.slug}`;
  const training = await saveTraining(db, { tenant: ref, actor: CLI_ACTOR, input: { name: "Fire safety", externalId: trainingExternalId }, now });
  if (!training.ok) throw new Error(`training: ${training.code}`);
  const local = p.dueAt.toISOString();
  const plan = await savePlan(db, {
    tenant: ref,
    actor: CLI_ACTOR,
    input: {
      trainingId: training.data.id,
      name: "Once",
      active: true,
      anchor: "fixed",
      offsetDays: 0,
      startDate: local.slice(0, 10),
      sendTime: local.slice(11, 16),
      repeatEveryDays: null,
      endDate: null,
      maxSends: 1,
      weekdaysOnly: false,
      escalateAfterSends: null,
      digestWeekday: null,
      digestTime: null,
      templates: defaultTemplateSet(),
      confirmHighRisk: false,
    },
    now,
  });
  if (!plan.ok) throw new Error(`plan: ${plan.code} ${JSON.stringify(plan)}`);
  const planId = plan.data.id;
  let learnerNo = 0;

  return {
    tenantId: tenant.id,
    slug: p.slug,
    trainingExternalId,
    planId,
    dueAt: p.dueAt,
    async addLearners(count) {
      const externalIds: string[] = [];
      const rows: ImportRow[] = [];
      for (let i = 0; i < count; i++) {
        const n = ++learnerNo;
        const externalId = `L${n}`;
        externalIds.push(externalId);
        rows.push({
          learner: { externalId, email: `learner${n}@${p.slug}.example`, firstName: "Lea", lastName: `No ${n}`, locale: null, responsibleName: null, responsibleEmail: null, active: true },
          assignment: { trainingId: training.data.id, assignedAt: new Date(p.dueAt.getTime() - 7 * 86_400_000), dueAt: null },
        });
      }
      // The CSV import's building block: multi-row upserts, planned like any import.
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500);
        await db.transaction((tx) => applyLearnerRows(tx, { tenantId: tenant.id, rows: chunk, now }));
      }
      const l = db.t.learners;
      const as = db.t.assignments;
      const pairs = await db.orm
        .select({ learnerId: l.id, email: l.email, assignmentId: as.id })
        .from(l)
        .innerJoin(as, eq(as.learnerId, l.id))
        .where(and(eq(l.tenantId, tenant.id), inArray(l.externalId, externalIds)));
      const assignmentIds = pairs.map((x) => x.assignmentId);
      const d = db.t.deliveries;
      for (let i = 0; i < pairs.length; i += 500) {
        await db.orm
          .insert(d)
          .values(
            pairs.slice(i, i + 500).map(({ assignmentId, learnerId, email }) => ({
              id: crypto.randomUUID(),
              tenantId: tenant.id,
              kind: "reminder" as const,
              planId,
              assignmentId,
              learnerId,
              occurrence: 1,
              recipient: email,
              dueAt: p.dueAt,
              nextAttemptAt: p.dueAt,
              status: "planned" as const,
              attempts: 0,
              createdAt: now,
              updatedAt: now,
            })),
          )
          .onConflictDoNothing();
      }
      return db.orm
        .select()
        .from(d)
        .where(and(eq(d.tenantId, tenant.id), eq(d.planId, planId), inArray(d.assignmentId, assignmentIds)));
    },
  };
}
