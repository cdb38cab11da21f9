import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/service";
import { OPERATIONS, OUTPUT_SCHEMAS } from "@/lib/api/operations";
import { appActor } from "@/lib/auth/policy";
import { resetConfigCache } from "@/lib/config/platform-profile";
import { setProcessDb, type Db } from "@/lib/db";
import { forEachDatabase } from "@/lib/testing/databases";
import { rowCounts } from "@/lib/testing/row-counts";
import { seedTwoTenants, type TwoTenants } from "@/lib/testing/tenants";
import { handlerFor, v1RouteFiles, type Handler } from "./_lib/route-table";
import * as assignmentRoute from "./assignments/[learnerExternalId]/[trainingExternalId]/route";
import * as completionsRoute from "./completions/route";
import * as deliveriesRoute from "./deliveries/route";
import * as learnerRoute from "./learners/[externalId]/route";
import * as batchRoute from "./learners/batch/route";
import * as learnersRoute from "./learners/route";
import * as trainingRoute from "./trainings/[externalId]/route";

// The HTTP API's route handlers called with real Request objects against a real
// database (SQLite and Postgres): keys, tenants, bodies, limits and the outcomes' statuses.

const BASE = "http://localhost/api/v1";

interface CallOptions {
  key?: string | null;
  params?: Record<string, string>;
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
  query?: string;
}

async function call(handler: Handler, method: string, path: string, o: CallOptions = {}) {
  const headers: Record<string, string> = { ...o.headers };
  if (o.key) headers.authorization = `Bearer ${o.key}`;
  let body: BodyInit | undefined = o.rawBody;
  if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers["content-type"] ??= "application/json";
  }
  const init: RequestInit & { duplex?: "half" } = { method, headers, body };
  if (body instanceof ReadableStream) init.duplex = "half";
  const response = await handler(new Request(`${BASE}${path}${o.query ?? ""}`, init), { params: Promise.resolve(o.params ?? {}) });
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json: json as Record<string, unknown> };
}

/** Row counts without the bookkeeping a refused request may still do (its rate slot, the key's last use). */
async function dataCounts(db: Db) {
  const { rate_limits: _r, ...rest } = await rowCounts(db);
  return rest;
}

const ENV_KEYS = ["API_RATE_PER_MINUTE"] as const;
const saved: Record<string, string | undefined> = {};
function setRate(limit: number) {
  process.env.API_RATE_PER_MINUTE = String(limit);
  resetConfigCache();
}

beforeAll(() => {
  for (const k of ENV_KEYS) saved[k] = process.env[k];
  setRate(1_000_000);
});
afterAll(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetConfigCache();
});

const anna = { email: "anna.berger@example.com", firstName: "Anna", lastName: "Berger" };

forEachDatabase("API v1 route handlers", (db) => {
  let ids: TwoTenants;
  let keyA = "";
  let keyB = "";

  async function newKey(tenantId: string, adminId: string, name: string, expiry?: { expiresAt: string; now: Date }): Promise<{ key: string; id: string }> {
    const outcome = await createApiKey(db(), {
      tenant: { id: tenantId, timezone: "Europe/Berlin" },
      actor: appActor({ id: adminId, role: "admin" }),
      input: { name, expiresAt: expiry?.expiresAt },
      now: expiry?.now,
    });
    if (!outcome.ok) throw new Error(`createApiKey: ${outcome.code}`);
    return outcome.data;
  }

  beforeAll(async () => {
    setProcessDb(db());
    ids = await seedTwoTenants(db(), { prefix: "api" });
    keyA = (await newKey(ids.a, ids.adminA, "platform A")).key;
    keyB = (await newKey(ids.b, ids.adminB, "platform B")).key;
  });

  describe("keys", () => {
    it("answers 401 with the same problem and a Bearer challenge for a missing, malformed, unknown, revoked or expired key", async () => {
      const revoked = await newKey(ids.a, ids.adminA, "revoked");
      const outcome = await revokeApiKey(db(), { tenantId: ids.a, actor: appActor({ id: ids.adminA, role: "admin" }), keyId: revoked.id });
      expect(outcome.ok).toBe(true);
      // Created in 2020 to expire a day later: long expired now.
      const expired = await newKey(ids.a, ids.adminA, "expired", { expiresAt: "2020-01-02T00:00:00Z", now: new Date("2020-01-01T00:00:00Z") });

      const keys: (string | null)[] = [null, "not-a-key", `pst_${"x".repeat(43)}`, revoked.key, expired.key];
      const bodies = new Set<string>();
      for (const key of keys) {
        const before = await dataCounts(db());
        const r = await call(learnersRoute.GET, "GET", "/learners", { key });
        expect(r.status, String(key)).toBe(401);
        expect(r.headers.get("content-type")).toBe("application/problem+json");
        expect(r.headers.get("www-authenticate")).toMatch(/^Bearer realm="postillion"/);
        expect(r.json).toMatchObject({ status: 401, type: "/docs/api#problem-unauthorized", title: "Missing or invalid API key" });
        bodies.add(r.text);
        // A refused key reaches nothing: a write with it writes nothing.
        const w = await call(learnerRoute.PUT, "PUT", "/learners/emp-x", { key, params: { externalId: "emp-x" }, body: anna });
        expect(w.status).toBe(401);
        expect(await dataCounts(db())).toEqual(before);
      }
      expect(bodies.size).toBe(1);
    });
  });

  describe("idempotent writes", () => {
    it("PUT of a learner answers 201 created, then 200 unchanged, then 200 updated", async () => {
      const put = (body: unknown) => call(learnerRoute.PUT, "PUT", "/learners/emp-1", { key: keyA, params: { externalId: "emp-1" }, body });
      const first = await put(anna);
      expect(first.status).toBe(201);
      expect(first.json).toMatchObject({ result: "created", learner: { externalId: "emp-1", email: anna.email, active: true, locale: null } });
      expect((first.json.learner as { createdAt: string }).createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const again = await put({ ...anna, email: "ANNA.Berger@example.com " });
      expect(again.status).toBe(200);
      expect(again.json.result).toBe("unchanged");
      const changed = await put({ ...anna, locale: "en" });
      expect(changed.status).toBe(200);
      expect(changed.json).toMatchObject({ result: "updated", learner: { locale: "en" } });
    });

    it("PUT of a training and an assignment, then a completion, are idempotent too", async () => {
      const training = (body: unknown) => call(trainingRoute.PUT, "PUT", "/trainings/course-1", { key: keyA, params: { externalId: "course-1" }, body });
      expect((await training({ name: "Fire safety" })).status).toBe(201);
      expect((await training({ name: "Fire safety" })).json.result).toBe("unchanged");
      const params = { learnerExternalId: "emp-1", trainingExternalId: "course-1" };
      const assign = (body: unknown) => call(assignmentRoute.PUT, "PUT", "/assignments/emp-1/course-1", { key: keyA, params, body });
      const a1 = await assign({ assignedAt: "2026-05-04T09:30:00+02:00", dueAt: null });
      expect(a1.status).toBe(201);
      expect(a1.json.assignment).toMatchObject({ assignedAt: "2026-05-04T07:30:00.000Z", dueAt: null, trainingExternalId: "course-1" });
      expect((await assign({ assignedAt: "2026-05-04T07:30:00Z" })).json.result).toBe("unchanged");
      const done = { learnerExternalId: "emp-1", trainingExternalId: "course-1", completedAt: "2026-05-10T12:00:00Z" };
      const c1 = await call(completionsRoute.POST, "POST", "/completions", { key: keyA, body: done });
      expect(c1.status).toBe(200);
      expect(c1.json).toMatchObject({ result: "updated", assignment: { status: "completed", completedAt: "2026-05-10T12:00:00.000Z" } });
      expect((await call(completionsRoute.POST, "POST", "/completions", { key: keyA, body: done })).json.result).toBe("unchanged");

      const detail = await call(learnerRoute.GET, "GET", "/learners/emp-1", { key: keyA, params: { externalId: "emp-1" } });
      expect(detail.status).toBe(200);
      expect(detail.json).toMatchObject({ externalId: "emp-1", assignments: [{ trainingExternalId: "course-1", trainingName: "Fire safety", status: "completed" }] });
      expect(detail.json).not.toHaveProperty("id");
    });

    it("DELETE withdraws an assignment once; unknown ones are 404", async () => {
      await call(trainingRoute.PUT, "PUT", "/trainings/course-2", { key: keyA, params: { externalId: "course-2" }, body: { name: "First aid" } });
      const params = { learnerExternalId: "emp-1", trainingExternalId: "course-2" };
      await call(assignmentRoute.PUT, "PUT", "/assignments/emp-1/course-2", { key: keyA, params, body: { assignedAt: "2026-05-04T07:30:00Z" } });
      const del = () => call(assignmentRoute.DELETE, "DELETE", "/assignments/emp-1/course-2", { key: keyA, params });
      expect((await del()).json).toEqual({ withdrawn: true, cancelledReminders: 0 });
      expect((await del()).json).toEqual({ withdrawn: false, cancelledReminders: 0 });
      const missing = await call(assignmentRoute.DELETE, "DELETE", "/assignments/emp-1/nope", { key: keyA, params: { learnerExternalId: "emp-1", trainingExternalId: "nope" } });
      expect(missing.status).toBe(404);
    });
  });

  describe("tenants", () => {
    it("answers another tenant's learner with a 404 byte-identical to a missing one, and lists only its own", async () => {
      const other = await call(learnerRoute.GET, "GET", "/learners/emp-1", { key: keyB, params: { externalId: "emp-1" } });
      const missing = await call(learnerRoute.GET, "GET", "/learners/emp-nobody", { key: keyB, params: { externalId: "emp-nobody" } });
      expect(other.status).toBe(404);
      expect(other.text).toBe(missing.text);
      expect(other.headers.get("content-type")).toBe("application/problem+json");

      const assignOther = await call(assignmentRoute.PUT, "PUT", "/assignments/emp-1/course-1", {
        key: keyB,
        params: { learnerExternalId: "emp-1", trainingExternalId: "course-1" },
        body: { assignedAt: "2026-05-04T07:30:00Z" },
      });
      const assignMissing = await call(assignmentRoute.PUT, "PUT", "/assignments/emp-nobody/course-nothing", {
        key: keyB,
        params: { learnerExternalId: "emp-nobody", trainingExternalId: "course-nothing" },
        body: { assignedAt: "2026-05-04T07:30:00Z" },
      });
      expect(assignOther.status).toBe(404);
      expect(assignOther.text).toBe(assignMissing.text);

      const listB = await call(learnersRoute.GET, "GET", "/learners", { key: keyB });
      expect(listB.status).toBe(200);
      expect(listB.json).toEqual({ learners: [], nextCursor: null });
      const listA = await call(learnersRoute.GET, "GET", "/learners", { key: keyA });
      expect((listA.json.learners as { externalId: string }[]).map((l) => l.externalId)).toContain("emp-1");
    });

    it("the same external id in two tenants is two learners", async () => {
      const b = await call(learnerRoute.PUT, "PUT", "/learners/emp-1", { key: keyB, params: { externalId: "emp-1" }, body: { ...anna, firstName: "Other" } });
      expect(b.status).toBe(201);
      const a = await call(learnerRoute.GET, "GET", "/learners/emp-1", { key: keyA, params: { externalId: "emp-1" } });
      expect(a.json.firstName).toBe("Anna");
    });
  });

  describe("batches", () => {
    const rows = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => ({ externalId: `${prefix}-${i}`, email: `${prefix}${i}@example.com`, firstName: "F", lastName: `L${i}` }));

    it("refuses a batch with bad rows naming learners[3].email, and saves none of it", async () => {
      const learners = rows(6, "bad");
      learners[3]!.email = "not an address";
      (learners[5] as Record<string, unknown>).active = "yes";
      const before = await dataCounts(db());
      const r = await call(batchRoute.POST, "POST", "/learners/batch", { key: keyA, body: { learners } });
      expect(r.status).toBe(422);
      expect(r.json).toMatchObject({ type: "/docs/api#problem-invalid", status: 422 });
      const errors = r.json.errors as { field: string; pointer: string; message: string }[];
      expect(errors).toContainEqual({ field: "learners[3].email", pointer: "/learners/3/email", message: "Please enter a valid e-mail address." });
      expect(errors.map((e) => e.field)).toContain("learners[5].active");
      expect(await dataCounts(db())).toEqual(before);
    });

    it("names a duplicate external id inside one batch", async () => {
      const learners = rows(3, "dup");
      learners[2]!.externalId = "dup-0";
      const r = await call(batchRoute.POST, "POST", "/learners/batch", { key: keyA, body: { learners } });
      expect(r.status).toBe(422);
      expect((r.json.errors as { field: string }[]).map((e) => e.field)).toEqual(["learners[2].externalId"]);
    });

    it("saves 1,000 rows at once and says per row what happened", async () => {
      const learners = rows(1000, "many");
      const first = await call(batchRoute.POST, "POST", "/learners/batch", { key: keyA, body: { learners } });
      expect(first.status).toBe(200);
      expect(first.json).toMatchObject({ created: 1000, updated: 0, unchanged: 0 });
      learners[10]!.firstName = "Changed";
      const second = await call(batchRoute.POST, "POST", "/learners/batch", { key: keyA, body: { learners } });
      expect(second.json).toMatchObject({ created: 0, updated: 1, unchanged: 999 });
      expect((second.json.learners as { result: string }[])[10]).toEqual({ externalId: "many-10", result: "updated" });
      const tooMany = await call(batchRoute.POST, "POST", "/learners/batch", { key: keyA, body: { learners: rows(1001, "over") } });
      expect(tooMany.status).toBe(422);
      expect(tooMany.json.errors).toEqual([{ field: "learners", pointer: "/learners", message: "At most 1000 entries per call." }]);
    });

    it("pages the learner list with nextCursor", async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?q=many&limit=150${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const page = await call(learnersRoute.GET, "GET", "/learners", { key: keyA, query });
        expect(page.status).toBe(200);
        seen.push(...(page.json.learners as { externalId: string }[]).map((l) => l.externalId));
        cursor = page.json.nextCursor as string | null;
      } while (cursor);
      expect(seen).toHaveLength(1000);
      expect(new Set(seen).size).toBe(1000);
      const bad = await call(learnersRoute.GET, "GET", "/learners", { key: keyA, query: "?limit=0&cursor=zzz" });
      expect(bad.status).toBe(400);
      expect((bad.json.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(["cursor", "limit"]);
    });
  });

  describe("bodies", () => {
    it("refuses a body over 2 MB with 413, by declared length and by counting a stream", async () => {
      const huge = JSON.stringify({ ...anna, firstName: "x".repeat(2 * 1024 * 1024) });
      const before = await dataCounts(db());
      const declared = await call(learnerRoute.PUT, "PUT", "/learners/emp-big", {
        key: keyA,
        params: { externalId: "emp-big" },
        rawBody: huge,
        headers: { "content-type": "application/json", "content-length": String(huge.length) },
      });
      expect(declared.status).toBe(413);
      expect(declared.json).toMatchObject({ status: 413, type: "/docs/api#problem-payloadTooLarge" });
      // A client that lies about (or omits) the length is counted while reading.
      const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(new TextEncoder().encode('{"firstName":"'));
          if (sent > 4 * 1024 * 1024) controller.close();
          else {
            controller.enqueue(chunk);
            sent += chunk.byteLength;
          }
        },
      });
      const streamed = await call(learnerRoute.PUT, "PUT", "/learners/emp-big", {
        key: keyA,
        params: { externalId: "emp-big" },
        rawBody: stream,
        headers: { "content-type": "application/json", "content-length": "10" },
      });
      expect(streamed.status).toBe(413);
      expect(sent).toBeLessThan(3 * 1024 * 1024);
      expect(await dataCounts(db())).toEqual(before);
    });

    it("answers 415 for another media type and 400 for malformed JSON or a non-object", async () => {
      const put = (rawBody: string, type: string) =>
        call(learnerRoute.PUT, "PUT", "/learners/emp-2", { key: keyA, params: { externalId: "emp-2" }, rawBody, headers: { "content-type": type } });
      expect((await put(JSON.stringify(anna), "text/plain")).status).toBe(415);
      expect((await put("{", "application/json")).status).toBe(400);
      expect((await put("[1,2]", "application/json")).status).toBe(400);
      expect((await put(JSON.stringify(anna), "application/json; charset=utf-8")).status).toBe(201);
    });

    it("words problems in German for Accept-Language: de", async () => {
      const r = await call(learnerRoute.PUT, "PUT", "/learners/emp-3", {
        key: keyA,
        params: { externalId: "emp-3" },
        body: { ...anna, email: "kaputt" },
        headers: { "accept-language": "de-AT,de;q=0.9,en;q=0.5" },
      });
      expect(r.status).toBe(422);
      expect(r.json).toMatchObject({ title: "Ungültige Felder", errors: [{ field: "email", pointer: "/email", message: "Bitte eine gültige E-Mail-Adresse eingeben." }] });
      // A bad id in the path is named without a pointer into the body.
      const badId = await call(learnerRoute.PUT, "PUT", "/learners/a%20b", { key: keyA, params: { externalId: "a b" }, body: anna });
      expect(badId.status).toBe(422);
      expect(badId.json.errors).toEqual([{ field: "externalId", message: "An external ID without spaces and without / \\ ? # %." }]);
      const en = await call(learnerRoute.PUT, "PUT", "/learners/emp-3", { key: keyA, params: { externalId: "emp-3" }, body: { ...anna, email: "kaputt" } });
      expect(en.json.title).toBe("Invalid fields");
    });
  });

  describe("rate", () => {
    it("counts each key's requests in the database and answers 429 with Retry-After over the rate", async () => {
      const key = (await newKey(ids.b, ids.adminB, "limited")).key;
      const otherKey = (await newKey(ids.b, ids.adminB, "limited too")).key;
      setRate(3);
      try {
        const results = await Promise.all(Array.from({ length: 5 }, () => call(learnersRoute.GET, "GET", "/learners", { key })));
        const statuses = results.map((r) => r.status).sort();
        expect(statuses).toEqual([200, 200, 200, 429, 429]);
        const refused = results.find((r) => r.status === 429)!;
        const retry = Number(refused.headers.get("retry-after"));
        expect(Number.isInteger(retry) && retry >= 1 && retry <= 60).toBe(true);
        expect(refused.json).toMatchObject({ type: "/docs/api#problem-rateLimited", status: 429 });
        // Another key has its own budget.
        expect((await call(learnersRoute.GET, "GET", "/learners", { key: otherKey })).status).toBe(200);
      } finally {
        setRate(1_000_000);
      }
    });
  });

  describe("deliveries", () => {
    it("lists only the tenant's outbox rows, by change, filtered by since and status, paged by cursor", async () => {
      const t0 = new Date("2026-11-01T00:00:00Z").getTime();
      const row = (tenantId: string, i: number, status: "planned" | "sent" | "cancelled") => ({
        id: crypto.randomUUID(),
        tenantId,
        kind: "digest" as const,
        digestKey: `${tenantId}-${i}`,
        recipient: `boss${i}@example.com`,
        dueAt: new Date(t0 + i * 3_600_000),
        status,
        attempts: status === "sent" ? 1 : 0,
        sentAt: status === "sent" ? new Date(t0 + i * 3_600_000) : null,
        // Pairs share an updatedAt, so the cursor has to order by id too.
        updatedAt: new Date(t0 + Math.floor(i / 2) * 60_000),
      });
      const statuses = ["planned", "sent", "cancelled"] as const;
      await db().orm.insert(db().t.deliveries).values(Array.from({ length: 9 }, (_, i) => row(ids.a, i, statuses[i % 3]!)));
      await db().orm.insert(db().t.deliveries).values([row(ids.b, 0, "planned")]);

      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
        const page = await call(deliveriesRoute.GET, "GET", "/deliveries", { key: keyA, query });
        expect(page.status).toBe(200);
        all.push(...(page.json.deliveries as { recipient: string }[]).map((d) => d.recipient));
        cursor = page.json.nextCursor as string | null;
      } while (cursor);
      // Every row once, oldest change first (rows sharing an updatedAt in id order).
      expect(new Set(all).size).toBe(9);
      const minutes = all.map((r) => Math.floor(Number(r.match(/\d+/)![0]) / 2));
      expect(minutes).toEqual([...minutes].sort((x, y) => x - y));

      const since = await call(deliveriesRoute.GET, "GET", "/deliveries", { key: keyA, query: `?since=${encodeURIComponent(new Date(t0 + 3 * 60_000).toISOString())}` });
      expect((since.json.deliveries as unknown[]).length).toBe(3); // i = 6, 7, 8
      const sent = await call(deliveriesRoute.GET, "GET", "/deliveries", { key: keyA, query: "?status=sent" });
      const sentRows = sent.json.deliveries as { status: string; sentAt: string | null; kind: string }[];
      expect(sentRows.map((d) => d.status)).toEqual(["sent", "sent", "sent"]);
      expect(sentRows[0]!.sentAt).toMatch(/Z$/);
      const bad = await call(deliveriesRoute.GET, "GET", "/deliveries", { key: keyA, query: "?status=lost&since=yesterday&cursor=abc" });
      expect(bad.status).toBe(400);
      expect((bad.json.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(["cursor", "since", "status"]);
      const other = await call(deliveriesRoute.GET, "GET", "/deliveries", { key: keyB });
      expect((other.json.deliveries as unknown[]).length).toBe(1);
    });
  });

  describe("the OpenAPI document's operations", () => {
    it("every route handler is documented, and every documented operation has a handler", async () => {
      const documented = OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path}`).sort();
      const served: string[] = [];
      for (const route of v1RouteFiles()) {
        const mod = (await import(route.file)) as Record<string, unknown>;
        for (const m of ["GET", "PUT", "POST", "DELETE", "PATCH"]) if (typeof mod[m] === "function") served.push(`${m} ${route.openApiPath}`);
      }
      expect(served.sort()).toEqual(documented);
    });

    it("each documented operation, called with its examples, answers a status the document lists, with the documented schema", async () => {
      for (const op of OPERATIONS) {
        const handler = await handlerFor(op.path, op.method);
        expect(handler, `${op.method} ${op.path}`).toBeDefined();
        const params = Object.fromEntries((op.pathParams ?? []).map((p) => [p.name, p.example]));
        const path = op.path.replace(/\{(\w+)\}/g, (_, n: string) => params[n]!);
        const variants: CallOptions[] = [
          { key: keyA, params, body: op.body?.example },
          { key: null, params, body: op.body?.example },
          ...(op.body ? [{ key: keyA, params, body: {} }] : []),
        ];
        for (const v of variants) {
          const r = await call(handler!, op.method.toUpperCase(), path, v);
          const spec = op.responses[r.status];
          expect(spec, `${op.method} ${op.path} answered ${r.status}: ${r.text.slice(0, 200)}`).toBeDefined();
          const schema = spec!.problem ? OUTPUT_SCHEMAS.Problem : spec!.schema ? OUTPUT_SCHEMAS[spec!.schema] : undefined;
          if (schema) expect(schema.safeParse(r.json).error, `${op.method} ${op.path} ${r.status}`).toBeUndefined();
        }
      }
    });
  });
});
