import { CLI_ACTOR } from "../auth/policy";
import type { Db } from "../db";
import { getLearnerDetail, listLearners } from "../learners/queries";
import { learnerListQuerySchema } from "../learners/schema";
import { putAssignment, putTraining, recordCompletion, setLearnerActive, upsertLearnerBatch } from "../learners/service";

/**
 * The demo's learners: a few dozen per tenant with assignments across its trainings —
 * open ones, overdue ones, completed ones and one inactive learner — so the learner
 * pages have something to show. Written through the same use cases the learning
 * platform's API calls (audited as the command line), with dates relative to `now`.
 */

const DAY = 86_400_000;

interface DemoTenant {
  id: string;
  timezone: string;
  locale: "de" | "en";
}

/** The demo's trainings; the privacy training (seed.ts) is the one with the reminder plan. */
export const DEMO_TRAININGS = {
  privacy: {
    externalId: "demo-privacy-101",
    de: "Datenschutz-Grundschulung",
    en: "Data protection basics",
    link: "https://learning.example/courses/privacy-101",
  },
  security: {
    externalId: "demo-security-201",
    de: "IT-Sicherheit im Büro",
    en: "IT security at the office",
    link: "https://learning.example/courses/security-201",
  },
  safety: {
    externalId: "demo-safety-301",
    de: "Arbeitsschutz-Unterweisung",
    en: "Workplace safety briefing",
    link: "https://learning.example/courses/safety-301",
  },
} as const;

const NAMES = {
  de: {
    first: ["Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Katrin", "Lukas"],
    last: ["Müller", "Schmidt", "Weber", "Fischer", "Becker", "Wagner", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein"],
    responsible: [
      { name: "Petra Personal", email: "petra.personal@acme.example" },
      { name: "Markus Meister", email: "markus.meister@acme.example" },
      null,
    ],
    domain: "acme.example",
  },
  en: {
    first: ["Alice", "Brian", "Chloe", "Daniel", "Emma", "Finn", "Grace", "Harry", "Isla", "Jack", "Kate", "Liam"],
    last: ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Evans", "Thomas", "Roberts", "Walker"],
    responsible: [
      { name: "Hannah Human", email: "hannah.human@globex.example" },
      { name: "Oliver Owen", email: "oliver.owen@globex.example" },
      null,
    ],
    domain: "globex.example",
  },
} as const;

export const DEMO_LEARNERS_PER_TENANT = 36;
/** The one learner the demo shows as deactivated. */
const INACTIVE = 7;

export function ascii(text: string): string {
  return text.toLowerCase().replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss");
}

interface DemoAssignment {
  training: keyof typeof DEMO_TRAININGS;
  assignedAt: Date;
  dueAt: Date | null;
  completedAt: Date | null;
}

/** Learner i's assignments: every sixth completed, every sixth (offset 1) overdue, the rest open. */
function assignmentsOf(i: number, now: Date): DemoAssignment[] {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const list: DemoAssignment[] = [];
  const kind = i % 6;
  if (kind === 0) list.push({ training: "privacy", assignedAt: ago(40), dueAt: ago(10), completedAt: ago(20 + (i % 5)) });
  else if (kind === 1) list.push({ training: "privacy", assignedAt: ago(45), dueAt: ago(15 - (i % 7)), completedAt: null });
  else list.push({ training: "privacy", assignedAt: ago(1 + (i % 9)), dueAt: ago(-(14 + (i % 20))), completedAt: null });
  if (i % 3 === 0) {
    list.push({ training: "security", assignedAt: ago(12), dueAt: ago(i % 2 === 0 ? 2 : -20), completedAt: i % 9 === 0 ? ago(4) : null });
  }
  if (i % 4 === 1) list.push({ training: "safety", assignedAt: ago(5), dueAt: null, completedAt: null });
  return list;
}

/**
 * Adds the demo learners to a tenant that has none yet (so a second seed adds nothing).
 * Returns whether it added them.
 */
export async function seedDemoLearners(db: Db, tenant: DemoTenant, now: Date): Promise<boolean> {
  const existing = await listLearners(db, { tenantId: tenant.id, query: learnerListQuerySchema.parse({ limit: 1 }), now });
  if (existing.items.length > 0) return false;
  const ref = { id: tenant.id, timezone: tenant.timezone };
  const actor = CLI_ACTOR;
  const names = NAMES[tenant.locale];

  // The privacy training exists already (same name and link: unchanged); the others are new.
  for (const training of Object.values(DEMO_TRAININGS)) {
    must(
      await putTraining(db, { tenant: ref, actor, externalId: training.externalId, input: { name: training[tenant.locale], link: training.link }, now }),
      `training ${training.externalId}`,
    );
  }

  const learners = Array.from({ length: DEMO_LEARNERS_PER_TENANT }, (_, i) => {
    const firstName = names.first[i % names.first.length]!;
    const lastName = names.last[(i * 5 + Math.floor(i / names.first.length)) % names.last.length]!;
    const responsible = names.responsible[i % names.responsible.length];
    return {
      externalId: `demo-learner-${String(i + 1).padStart(3, "0")}`,
      // (first, last) never repeats: every round of first names shifts the last names by one.
      email: `${ascii(firstName)}.${ascii(lastName)}@${names.domain}`,
      firstName,
      lastName,
      locale: i % 10 === 9 ? (tenant.locale === "de" ? "en" : "de") : null,
      responsibleName: responsible?.name ?? null,
      responsibleEmail: responsible?.email ?? null,
      active: true,
    };
  });
  must(await upsertLearnerBatch(db, { tenant: ref, actor, input: { learners }, now }), "learners");

  for (const [i, learner] of learners.entries()) {
    for (const a of assignmentsOf(i, now)) {
      const trainingExternalId = DEMO_TRAININGS[a.training].externalId;
      must(
        await putAssignment(db, {
          tenant: ref,
          actor,
          learnerExternalId: learner.externalId,
          trainingExternalId,
          input: { assignedAt: a.assignedAt.toISOString(), dueAt: a.dueAt?.toISOString() ?? null },
          now,
        }),
        `assignment ${learner.externalId}/${trainingExternalId}`,
      );
      if (a.completedAt) {
        must(
          await recordCompletion(db, {
            tenant: ref,
            actor,
            input: { learnerExternalId: learner.externalId, trainingExternalId, completedAt: a.completedAt.toISOString() },
            now,
          }),
          `completion ${learner.externalId}/${trainingExternalId}`,
        );
      }
    }
  }

  const inactive = await getLearnerDetail(db, { tenantId: tenant.id, externalId: learners[INACTIVE]!.externalId, now });
  if (!inactive) throw new Error("demo seed: the learner to deactivate is missing");
  must(await setLearnerActive(db, { tenant: ref, actor, learnerId: inactive.id, active: false, now }), "deactivation");
  return true;
}

/** The demo's own data is valid: a refusal is a bug in this file, said loudly. */
export function must(outcome: { ok: boolean }, what: string): void {
  if (!outcome.ok) throw new Error(`demo: ${what} was refused: ${JSON.stringify(outcome)}`);
}
