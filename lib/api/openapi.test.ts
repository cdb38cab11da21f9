import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { MAX_BATCH } from "../learners/schema";
import { openApiDocument } from "./openapi";
import { OPERATIONS } from "./operations";
import { fieldPath } from "./problem";
import { referenceOperations, referenceProblems } from "./reference";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("the OpenAPI document", () => {
  const doc = openApiDocument() as Json;

  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
  });

  it("is generated from the zod schemas: limits, patterns and required fields follow them", () => {
    const s = doc.components.schemas;
    expect(s.LearnerInput.required).toEqual(["email", "firstName", "lastName"]);
    expect(s.LearnerInput.properties.active).toMatchObject({ type: "boolean", default: true });
    expect(s.LearnerRowInput.properties.externalId).toMatchObject({ maxLength: 200, pattern: "^[^\\s/\\\\?#%]+$" });
    expect(s.LearnerBatchInput.properties.learners).toMatchObject({ maxItems: MAX_BATCH, items: { $ref: "#/components/schemas/LearnerRowInput" } });
    expect(s.AssignmentInput.properties.assignedAt).toMatchObject({ type: "string", format: "date-time" });
    expect(s.Learner.properties.createdAt).toMatchObject({ type: "string", format: "date-time" });
    expect(s.Problem.required).toEqual(["type", "title", "status", "detail"]);
  });

  it("lists every operation once, with a key for all but the document itself", () => {
    const ops = Object.entries(doc.paths as Json).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`));
    expect(ops.sort()).toEqual(OPERATIONS.map((o) => `${o.method} ${o.path}`).sort());
    expect(doc.paths["/openapi.json"].get.security).toEqual([]);
    expect(doc.paths["/learners/{externalId}"].put.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(doc.paths["/learners/batch"].post.responses)).toEqual(expect.arrayContaining(["200", "401", "413", "415", "422", "429"]));
  });
});

describe("the reference page's content", () => {
  it("gives each operation its fields, responses and a curl example, in German from the document's extensions", () => {
    const doc = openApiDocument();
    const en = referenceOperations(doc, "en");
    const de = referenceOperations(doc, "de");
    const batch = en.find((o) => o.anchor === "upsertLearnerBatch")!;
    expect(batch.bodyFields.map((f) => f.name)).toEqual(expect.arrayContaining(["learners", "learners[].email", "learners[].externalId"]));
    expect(batch.bodyFields.find((f) => f.name === "learners[].locale")).toMatchObject({ type: '"de" | "en" | null', required: false });
    expect(batch.curl).toContain('curl -X POST "$POSTILLION_URL/api/v1/learners/batch"');
    expect(batch.curl).toContain("Authorization: Bearer $POSTILLION_API_KEY");
    const put = en.find((o) => o.anchor === "putAssignment")!;
    expect(put.curl).toContain("/api/v1/assignments/emp-4711/course-101");
    expect(put.responses.find((r) => r.status === "404")?.problemAnchor).toBe("problem-notFound");
    expect(de.find((o) => o.anchor === "putAssignment")!.summary).toBe("Schulung einer Person zuweisen");
    expect(en.find((o) => o.anchor === "getOpenApi")!.auth).toBe(false);
    const problems = referenceProblems("de", { ratePerMinute: 600 });
    expect(problems.find((p) => p.kind === "payloadTooLarge")!.detail).toBe("Der Inhalt darf höchstens 2097152 Bytes groß sein.");
    expect(problems.find((p) => p.kind === "rateLimited")!.detail).toBe("Dieser Schlüssel darf 600 Anfragen je Minute stellen. Bitte nach N s erneut versuchen.");
  });
});

describe("field paths of problems", () => {
  it("writes row indexes in brackets and as a JSON pointer", () => {
    expect(fieldPath("learners.3.email")).toEqual({ field: "learners[3].email", pointer: "/learners/3/email" });
    expect(fieldPath("email")).toEqual({ field: "email", pointer: "/email" });
    expect(fieldPath("_form")).toEqual({ field: "", pointer: "" });
  });
});
