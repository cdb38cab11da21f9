import { z } from "zod";
import { externalIdSchema } from "../learners/schema";
import { BODY_LIMIT_BYTES } from "./limits";
import { FIELD_DESCRIPTIONS, INPUT_SCHEMAS, OPERATIONS, OUTPUT_SCHEMAS, QUERY_DESCRIPTIONS, type Operation } from "./operations";
import { PROBLEM_CONTENT_TYPE, problemType } from "./problem";

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas that validate the
 * requests (lib/learners/schema.ts, io "input") and the answers' schemas (lib/api/schemas.ts,
 * io "output") with zod 4's z.toJSONSchema, plus the operation table. Nothing here is
 * written by hand twice: a changed schema changes the document.
 */

type Json = Record<string, unknown>;

const REF = (name: string) => `#/components/schemas/${name}`;

/** Strips the per-schema `$schema`/`$id` and adds the field descriptions (English, German in x-de-description). */
function describe(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(describe);
  if (!schema || typeof schema !== "object") return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema as Json)) {
    if (k === "$schema" || k === "$id") continue;
    if (k === "properties" && v && typeof v === "object") {
      out.properties = Object.fromEntries(
        Object.entries(v as Json).map(([name, prop]) => {
          const d = FIELD_DESCRIPTIONS[name];
          const described = describe(prop) as Json;
          return [name, d && !described.$ref ? { ...described, description: d.en, "x-de-description": d.de } : described];
        }),
      );
    } else out[k] = describe(v);
  }
  return out;
}

function componentSchemas(): Json {
  const inputs = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(INPUT_SCHEMAS)) inputs.add(schema, { id });
  const outputs = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(OUTPUT_SCHEMAS)) outputs.add(schema, { id });
  const options = { uri: REF, unrepresentable: "any", target: "draft-2020-12" } as const;
  return {
    ...(describe(z.toJSONSchema(inputs, { ...options, io: "input" }).schemas) as Json),
    ...(describe(z.toJSONSchema(outputs, { ...options, io: "output" }).schemas) as Json),
  };
}

function queryParameters(query: z.ZodObject): Json[] {
  const schema = z.toJSONSchema(query, { io: "input", unrepresentable: "any" }) as Json & { properties?: Json; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, prop]) => ({
    name,
    in: "query",
    required: (schema.required ?? []).includes(name),
    description: QUERY_DESCRIPTIONS[name]?.en,
    "x-de-description": QUERY_DESCRIPTIONS[name]?.de,
    schema: describe(prop),
  }));
}

function operationObject(op: Operation): Json {
  const idSchema = describe(z.toJSONSchema(externalIdSchema, { io: "input" }));
  const parameters = [
    ...(op.pathParams ?? []).map((p) => ({
      name: p.name,
      in: "path",
      required: true,
      description: p.description.en,
      "x-de-description": p.description.de,
      schema: idSchema,
      example: p.example,
    })),
    ...(op.query ? queryParameters(op.query) : []),
  ];
  const responses = Object.fromEntries(
    Object.entries(op.responses).map(([status, r]) => {
      const content = r.problem
        ? { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: REF("Problem") } } }
        : r.schema
          ? { "application/json": { schema: { $ref: REF(r.schema) } } }
          : { "application/json": { schema: { type: "object" } } };
      const headers = r.headers
        ? Object.fromEntries(Object.entries(r.headers).map(([h, d]) => [h, { description: d.en, schema: { type: h === "Retry-After" ? "integer" : "string" } }]))
        : undefined;
      return [
        status,
        {
          description: r.description.en,
          "x-de-description": r.description.de,
          ...(r.problem ? { "x-problem-type": problemType(r.problem) } : {}),
          ...(headers ? { headers } : {}),
          content,
        },
      ];
    }),
  );
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary.en,
    "x-de-summary": op.summary.de,
    description: op.description.en,
    "x-de-description": op.description.de,
    security: op.auth ? [{ apiKey: [] }] : [],
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: REF(op.body.schema) }, example: op.body.example } },
          },
        }
      : {}),
    responses,
  };
}

let cached: Json | undefined;

/** The document (built once per process; it depends on code only). */
export function openApiDocument(): Json {
  if (cached) return cached;
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) {
    paths[op.path] ??= {};
    paths[op.path]![op.method] = operationObject(op);
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Postillion API",
      version: "1.0.0",
      description:
        "The learning platform's interface to Postillion: trainings, learners, assignments and completions in, reminder deliveries out. " +
        "Authenticate with a tenant's API key as `Authorization: Bearer pst_…`. Bodies are JSON of at most " +
        `${BODY_LIMIT_BYTES / 1024 / 1024} MB. Errors are RFC 9457 problem details (application/problem+json) whose \`errors\` list names each bad field ` +
        "(`learners[3].email`); 400 means the request could not be read (malformed JSON, bad query parameter), 422 that the body's fields are invalid. " +
        "Instants are ISO-8601; answers give them in UTC. Messages are English, German with `Accept-Language: de`.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ apiKey: [] }],
    tags: ["Trainings", "Learners", "Assignments", "Deliveries", "Meta"].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "A tenant's API key (pst_…), created by an admin under API keys." } },
      schemas: componentSchemas(),
    },
  };
  return cached;
}
