import { beforeAll, expect, it } from "vitest";
import { CLI_ACTOR } from "../auth/policy";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { encodeLearnerCursor } from "./cursor";
import { countActiveLearners, getLearner, getLearnerDetail, listLearners } from "./queries";
import { learnerListQuerySchema, type LearnerListQuery } from "./schema";
import { applyLearnerRows, type ImportRow, putLearner, putTraining, recordCompletion, withdrawAssignment } from "./service";
import { assignmentStatus } from "./status";

const now = new Date("2026-12-01T09:00:00Z");
const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(3, "0");

/** The model the list must agree with: every learner, its assignments, computed in JS. */
interface Model {
  id: string;
  externalId: string;
  firstName: string;
  lastName: string;
  email: string;
  active: boolean;
  assignments: { training: string; dueAt: Date | null; completedAt: Date | null; withdrawnAt: Date | null }[];
}

const N = 250;

function learnerOf(i: number) {
  return {
    externalId: `P-${pad(i)}`,
    // Few distinct (last, first) pairs: many ties, so the id decides the order across pages.
    lastName: i === 7 ? "Müller" : `Name${pad(i % 60)}`,
    firstName: `Vorname${pad(i % 7)}`,
    email: `person${pad(i)}@firma${i % 4}.example`,
    locale: null,
    responsibleName: null,
    responsibleEmail: null,
    active: i % 9 !== 0,
  };
}

/** Training of learner i (and a second one for every fifth), with a due date in the past, future or none. */
function assignmentsOf(i: number): { training: string; dueAt: Date | null }[] {
  // Independent of the training (i % 3): none, past or future by i / 3.
  const due = (k: number) => (k % 3 === 0 ? null : new Date(now.getTime() + (k % 3 === 1 ? -5 : 5) * DAY));
  const out = [{ training: `T${i % 3}`, dueAt: due(Math.floor(i / 3)) }];
  if (i % 5 === 0) out.push({ training: `T${(i + 1) % 3}`, dueAt: due(Math.floor(i / 3) + 1) });
  return out;
}

forEachDatabase("learner list", (db) => {
  let ids: TwoTenants;
  const trainingIds = new Map<string, string>();
  const model: Model[] = [];

  beforeAll(async () => {
    ids = await seedTwoTenants(db(), { prefix: "lst" });
    const tenant = { id: ids.a, timezone: "Europe/Berlin" };
    for (const ext of ["T0", "T1", "T2"]) {
      await putTraining(db(), { tenant, actor: CLI_ACTOR, externalId: ext, input: { name: `Training ${ext}` }, now });
    }
    const t = db().t.trainings;
    for (const row of await db().orm.select({ id: t.id, externalId: t.externalId }).from(t)) trainingIds.set(row.externalId!, row.id);
    const rows: ImportRow[] = [];
    for (let i = 0; i < N; i++) {
      for (const a of assignmentsOf(i)) {
        rows.push({ learner: learnerOf(i), assignment: { trainingId: trainingIds.get(a.training)!, assignedAt: new Date(now.getTime() - 30 * DAY), dueAt: a.dueAt } });
      }
    }
    await db().transaction((tx) => applyLearnerRows(tx, { tenantId: ids.a, rows, now }));
    for (let i = 0; i < N; i++) {
      const l = learnerOf(i);
      const stored = await getLearner(db(), { tenantId: ids.a, externalId: l.externalId });
      const m: Model = { id: stored!.id, ...l, assignments: [] };
      for (const [k, a] of assignmentsOf(i).entries()) {
        let completedAt: Date | null = null;
        let withdrawnAt: Date | null = null;
        const pair = { learnerExternalId: l.externalId, trainingExternalId: a.training };
        if ((i + k) % 4 === 0) {
          completedAt = new Date(now.getTime() - DAY);
          await recordCompletion(db(), { tenant, actor: CLI_ACTOR, input: { ...pair, completedAt: completedAt.toISOString() }, now });
        } else if ((i + k) % 11 === 0) {
          withdrawnAt = now;
          await withdrawAssignment(db(), { tenant, actor: CLI_ACTOR, ...pair, now });
        }
        m.assignments.push({ training: a.training, dueAt: a.dueAt, completedAt, withdrawnAt });
      }
      model.push(m);
    }
    // Another tenant's learner that matches every search: must never show up.
    await putLearner(db(), { tenant: { id: ids.b, timezone: "UTC" }, actor: CLI_ACTOR, externalId: "P-000", input: { ...learnerOf(0), active: true }, now });
  });

  function expected(query: Partial<LearnerListQuery>): string[] {
    const q = query.q?.toLowerCase();
    const training = query.training ? [...trainingIds].find(([ext, id]) => ext === query.training || id === query.training)?.[0] ?? "none" : undefined;
    return model
      // With an "@" after the first character: e-mails starting with it; else a substring of "first last email".
      .filter((m) => !q || (q.indexOf("@") > 0 ? m.email.startsWith(q) : `${m.firstName} ${m.lastName} ${m.email}`.toLowerCase().includes(q)))
      .filter((m) => {
        const relevant = m.assignments.filter((a) => !training || a.training === training);
        if (query.status === "inactive") return !m.active && (!training || relevant.some((a) => !a.withdrawnAt));
        if (!query.status) return !training || relevant.some((a) => !a.withdrawnAt);
        if ((query.status === "open" || query.status === "overdue") && !m.active) return false;
        return relevant.some((a) => assignmentStatus(a, now) === query.status);
      })
      .sort((a, b) => (a.lastName < b.lastName ? -1 : a.lastName > b.lastName ? 1 : a.firstName < b.firstName ? -1 : a.firstName > b.firstName ? 1 : a.id < b.id ? -1 : 1))
      .map((m) => m.externalId);
  }

  /** Every page, following nextCursor, as the externalIds seen. */
  async function allPages(query: Record<string, unknown>) {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const parsed = learnerListQuerySchema.parse({ ...query, cursor });
      const out = await listLearners(db(), { tenantId: ids.a, query: parsed, now });
      expect(out.items.length).toBeLessThanOrEqual(parsed.limit);
      seen.push(...out.items.map((i) => i.externalId));
      if (!out.nextCursor) return seen;
      cursor = out.nextCursor;
    }
    throw new Error("paging did not end");
  }

  it.each([
    [{}],
    [{ q: "VORNAME003" }],
    [{ q: "firma2.example" }],
    [{ q: "Person017@Firma1.example" }],
    [{ q: "person01" }],
    [{ q: "person02" }],
    [{ q: "person0", status: "overdue", training: "T1" }],
    [{ q: "@firma3.example" }],
    [{ q: "MÜL" }],
    [{ q: "%" }],
    [{ q: "erson017@firma1" }],
    [{ status: "open" }],
    [{ status: "overdue" }],
    [{ status: "completed" }],
    [{ status: "inactive" }],
    [{ training: "T1" }],
    [{ training: "T2", status: "overdue" }],
    [{ training: "T0", status: "inactive" }],
    [{ training: "unknown" }],
    [{ q: "name01", status: "open", training: "T0" }],
  ])("pages through %j without duplicates or gaps (limit 7 and 50)", async (query) => {
    const want = expected(query as Partial<LearnerListQuery>);
    // Every case but the unknown training and the escaped wildcard finds someone, and none finds everyone but the unfiltered one.
    const empty = (query as { training?: string }).training === "unknown" || ["%", "erson017@firma1"].includes((query as { q?: string }).q ?? "");
    expect(want.length > 0).toBe(!empty);
    if (Object.keys(query).length > 0) expect(want.length).toBeLessThan(N);
    expect(await allPages({ ...query, limit: 7 })).toEqual(want);
    expect(await allPages({ ...query, limit: 50 })).toEqual(want);
  });

  it("a training filter takes the internal id as well as the external id", async () => {
    const byId = await allPages({ training: trainingIds.get("T2"), status: "overdue", limit: 20 });
    expect(byId).toEqual(expected({ training: "T2", status: "overdue" }));
    expect(byId.length).toBeGreaterThan(5);
  });

  it("each item carries its open, overdue and completed counts over all trainings", async () => {
    const page = await listLearners(db(), { tenantId: ids.a, query: learnerListQuerySchema.parse({ limit: 200 }), now });
    for (const item of page.items) {
      const m = model.find((x) => x.externalId === item.externalId)!;
      const count = (s: string) => m.assignments.filter((a) => assignmentStatus(a, now) === s).length;
      expect([item.openCount, item.overdueCount, item.completedCount]).toEqual([count("open"), count("overdue"), count("completed")]);
    }
    expect(page.items.some((i) => i.overdueCount > 0) && page.items.some((i) => i.completedCount > 0)).toBe(true);
  });

  it("the schema refuses a cursor that does not decode; a valid one past the end gives an empty page", async () => {
    expect(learnerListQuerySchema.safeParse({ cursor: "not a cursor" }).success).toBe(false);
    expect(learnerListQuerySchema.safeParse({ cursor: "bm9wZQ" }).success).toBe(false);
    const end = learnerListQuerySchema.parse({ cursor: encodeLearnerCursor({ lastName: "zzz", firstName: "", id: "" }) });
    expect(await listLearners(db(), { tenantId: ids.a, query: end, now })).toEqual({ items: [], nextCursor: null });
  });

  it("detail: assignments with status and training name; another tenant's id is missing", async () => {
    const m = model.find((x) => x.externalId === "P-010")!;
    const detail = await getLearnerDetail(db(), { tenantId: ids.a, id: m.id, now });
    expect(detail?.externalId).toBe("P-010");
    expect(detail?.assignments.map((a) => [a.trainingName, a.status])).toEqual(
      m.assignments.map((a) => [`Training ${a.training}`, assignmentStatus(a, now)]).sort(),
    );
    expect(await getLearnerDetail(db(), { tenantId: ids.b, id: m.id, now })).toBeUndefined();
  });

  it("counts a tenant's active learners only: inactive ones and other tenants' do not count", async () => {
    const active = model.filter((m) => m.active).length;
    expect(active).toBeLessThan(N);
    expect(await countActiveLearners(db(), { tenantId: ids.a })).toBe(active);
    expect(await countActiveLearners(db(), { tenantId: ids.b })).toBe(1);
    expect(await countActiveLearners(db(), { tenantId: "no-such-tenant" })).toBe(0);
  });
});
