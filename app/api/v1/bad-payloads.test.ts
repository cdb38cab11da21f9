import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { createApiKey } from "@/lib/api-keys/service";
import { appActor } from "@/lib/auth/policy";
import { resetConfigCache } from "@/lib/config/platform-profile";
import { setProcessDb, type Db } from "@/lib/db";
import { assignmentPutSchema, completionSchema, learnerBatchSchema, learnerPutSchema, learnerRowSchema } from "@/lib/learners/schema";
import { forEachDatabase } from "@/lib/testing/databases";
import { rowCounts } from "@/lib/testing/row-counts";
import { seedTwoTenants } from "@/lib/testing/tenants";
import * as assignmentRoute from "./assignments/[learnerExternalId]/[trainingExternalId]/route";
import * as completionsRoute from "./completions/route";
import * as learnerRoute from "./learners/[externalId]/route";
import * as batchRoute from "./learners/batch/route";
import * as trainingRoute from "./trainings/[externalId]/route";

// Bad payloads derived from the zod schemas' JSON Schema (each field's type, length,
// format, enum and whether it is required): a valid body with one to three fields made
// wrong — another type, missing, over the length, a bad instant, nested junk — plus extra
// huge keys. Each is checked to fail the schema before it is sent. The API must answer
// every one with a 4xx problem, never a 5xx, and write nothing.

const RUNS = 130; // per operation: 4 × 130 = 520 bad payloads per database

type JsonSchema = { type?: string; anyOf?: JsonSchema[]; maxLength?: number; minLength?: number; format?: string; enum?: unknown[]; properties?: Record<string, JsonSchema>; required?: string[] };

const BAD_INSTANTS = ["2026-13-45T10:00:00Z", "2026-05-04", "2026-05-04T07:30:00", "yesterday", "1714800000", "2026-05-04T25:00:00Z", "", " ", "2026-02-30T10:00:00Z"];
const HUGE = "ü".repeat(5000);

function acceptedTypes(s: JsonSchema): Set<string> {
  if (s.anyOf) return new Set(s.anyOf.flatMap((x) => [...acceptedTypes(x)]));
  return new Set(s.type ? [s.type] : []);
}

const junk = fc.oneof(
  fc.anything({ maxDepth: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 2 }), { maxKeys: 5 }),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }),
);

/** Values a field of this JSON Schema must refuse. */
function wrongValue(s: JsonSchema, required: boolean): fc.Arbitrary<unknown> {
  const ok = acceptedTypes(s);
  const options: fc.Arbitrary<unknown>[] = [];
  if (!ok.has("string")) options.push(fc.string({ maxLength: 20 }), fc.constant(HUGE));
  if (!ok.has("number") && !ok.has("integer")) options.push(fc.integer(), fc.double());
  if (!ok.has("boolean")) options.push(fc.boolean());
  if (!ok.has("null") && required) options.push(fc.constant(null));
  options.push(junk.filter((v) => typeof v === "object" && v !== null));
  const str = s.anyOf?.find((x) => x.type === "string") ?? (s.type === "string" ? s : undefined);
  if (str?.maxLength) options.push(fc.integer({ min: 1, max: 3000 }).map((n) => "x".repeat(str.maxLength! + n)));
  if (str?.format === "date-time") options.push(fc.constantFrom(...BAD_INSTANTS), fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace("Z", "")));
  if (str?.enum) options.push(fc.string({ minLength: 1, maxLength: 5 }).filter((v) => !str.enum!.includes(v)));
  return fc.oneof(...options);
}

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/** A valid object with 1–3 fields made wrong (or dropped), sometimes with extra huge keys. */
function badObject(schema: z.ZodType, valid: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const js = jsonSchemaOf(schema);
  const fields = Object.keys(js.properties ?? {});
  const required = new Set(js.required ?? []);
  const mutation = fc.constantFrom(...fields).chain((field) =>
    fc.oneof(
      wrongValue(js.properties![field]!, required.has(field)).map((value) => ({ field, value, drop: false })),
      ...(required.has(field) ? [fc.constant({ field, value: undefined as unknown, drop: true })] : []),
    ),
  );
  return fc
    .record({
      mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
      extra: fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.oneof(fc.constant(HUGE), junk), { maxKeys: 3 }), { nil: undefined }),
    })
    .map(({ mutations, extra }) => {
      const out: Record<string, unknown> = { ...extra, ...valid };
      for (const m of mutations) {
        if (m.drop) delete out[m.field];
        else out[m.field] = m.value;
      }
      return out;
    })
    .filter((body) => !schema.safeParse(body).success);
}

const validLearner = { email: "anna.berger@example.com", firstName: "Anna", lastName: "Berger", locale: "de", active: true };
const validRow = (i: number) => ({ ...validLearner, externalId: `row-${i}`, email: `row${i}@example.com` });

const badBatch: fc.Arbitrary<unknown> = fc.oneof(
  // Rows of which one to three are bad.
  fc
    .record({
      size: fc.integer({ min: 1, max: 25 }),
      bad: fc.array(fc.tuple(fc.nat(), badObject(learnerRowSchema, validRow(0))), { minLength: 1, maxLength: 3 }),
    })
    .map(({ size, bad }) => {
      const learners: unknown[] = Array.from({ length: size }, (_, i) => validRow(i));
      for (const [at, row] of bad) learners[at % size] = row;
      return { learners };
    }),
  // The list itself wrong.
  badObject(learnerBatchSchema, { learners: [validRow(0)] }),
).filter((b) => !learnerBatchSchema.safeParse(b).success);

const badIds = fc.constantFrom("a b", "x/y", "", "x".repeat(201), "100%", "q?", "#1");

async function dataCounts(db: Db) {
  const { rate_limits: _r, ...rest } = await rowCounts(db);
  return rest;
}

let savedRate: string | undefined;
beforeAll(() => {
  savedRate = process.env.API_RATE_PER_MINUTE;
  process.env.API_RATE_PER_MINUTE = "1000000";
  resetConfigCache();
});
afterAll(() => {
  if (savedRate === undefined) delete process.env.API_RATE_PER_MINUTE;
  else process.env.API_RATE_PER_MINUTE = savedRate;
  resetConfigCache();
});

forEachDatabase("API v1 bad payloads", (db) => {
  let key = "";

  beforeAll(async () => {
    setProcessDb(db());
    const ids = await seedTwoTenants(db(), { prefix: "badpay" });
    const created = await createApiKey(db(), { tenant: { id: ids.a, timezone: "Europe/Berlin" }, actor: appActor({ id: ids.adminA, role: "admin" }), input: { name: "fuzz" } });
    if (!created.ok) throw new Error(created.code);
    key = created.data.key;
    // A learner and a training exist, so assignments and completions fail on their bodies alone.
    const send = (handler: typeof learnerRoute.PUT, path: string, params: Record<string, string>, body: unknown) =>
      handler(new Request(`http://localhost/api/v1${path}`, { method: "PUT", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) }), {
        params: Promise.resolve(params),
      });
    expect((await send(learnerRoute.PUT, "/learners/emp-1", { externalId: "emp-1" }, validLearner)).status).toBe(201);
    expect((await send(trainingRoute.PUT, "/trainings/course-1", { externalId: "course-1" }, { name: "Fire safety" })).status).toBe(201);
  });

  type Case = { handler: (r: Request, c: { params: Promise<unknown> }) => Promise<Response>; method: string; path: string; params: Record<string, string>; body: unknown };

  const cases: [string, fc.Arbitrary<Case>][] = [
    [
      "PUT /learners/{externalId}",
      fc.oneof(
        badObject(learnerPutSchema, validLearner).map((body) => ({ body, externalId: "emp-9" })),
        badIds.map((externalId) => ({ body: validLearner as unknown, externalId })),
      ).map(({ body, externalId }) => ({ handler: learnerRoute.PUT, method: "PUT", path: "/learners/x", params: { externalId }, body })),
    ],
    ["POST /learners/batch", badBatch.map((body) => ({ handler: batchRoute.POST, method: "POST", path: "/learners/batch", params: {}, body }))],
    [
      "PUT /assignments/{learnerExternalId}/{trainingExternalId}",
      fc.oneof(
        badObject(assignmentPutSchema, { assignedAt: "2026-05-04T07:30:00Z", dueAt: "2026-06-30T22:00:00Z" }).map((body) => ({ body, ids: ["emp-1", "course-1"] })),
        fc.tuple(badIds, fc.constantFrom("course-1", "y z")).map((ids) => ({ body: { assignedAt: "2026-05-04T07:30:00Z" } as unknown, ids })),
      ).map(({ body, ids }) => ({
        handler: assignmentRoute.PUT,
        method: "PUT",
        path: "/assignments/x/y",
        params: { learnerExternalId: ids[0]!, trainingExternalId: ids[1]! },
        body,
      })),
    ],
    [
      "POST /completions",
      badObject(completionSchema, { learnerExternalId: "emp-1", trainingExternalId: "course-1", completedAt: "2026-05-10T12:00:00Z" }).map((body) => ({
        handler: completionsRoute.POST,
        method: "POST",
        path: "/completions",
        params: {},
        body,
      })),
    ],
  ];

  it.each(cases)("%s: every bad payload is a 4xx problem and writes nothing", { timeout: 120_000 }, async (_name, arbitrary) => {
    const before = await dataCounts(db());
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(arbitrary, async (c) => {
        const request = new Request(`http://localhost/api/v1${c.path}`, {
          method: c.method,
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify(c.body),
        });
        const response = await c.handler(request, { params: Promise.resolve(c.params) });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(response.headers.get("content-type")).toBe("application/problem+json");
        const body = (await response.json()) as { errors?: { field: string }[] };
        if (response.status === 422) expect(body.errors?.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS, seed: 4711 },
    );
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
    expect(await dataCounts(db())).toEqual(before);
  });
});
