import type { Locale } from "../i18n/locale";
import { BODY_LIMIT_BYTES } from "./limits";
import { PROBLEMS, type ProblemKind } from "./problem";

/**
 * The API reference page's content, read from the generated OpenAPI document (never from
 * a second description): per operation its method, path, texts, parameters, body fields,
 * responses and a curl example. Texts in the reader's language (German from the
 * document's x-de-* extensions).
 */

type Json = Record<string, unknown>;

export interface ReferenceField {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

export interface ReferenceParam extends ReferenceField {
  in: "path" | "query";
}

export interface ReferenceResponse {
  status: string;
  description: string;
  /** The answer's schema (component name), or the problem type's anchor. */
  schema: string | null;
  problemAnchor: string | null;
}

export interface ReferenceOperation {
  anchor: string;
  method: string;
  path: string;
  tag: string;
  summary: string;
  description: string;
  auth: boolean;
  params: ReferenceParam[];
  bodyFields: ReferenceField[];
  responses: ReferenceResponse[];
  curl: string;
}

export interface ReferenceProblem {
  anchor: string;
  kind: ProblemKind;
  status: number;
  title: string;
  detail: string;
}

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function resolve(doc: Json, schema: unknown): Json {
  if (!isObj(schema)) return {};
  const ref = schema.$ref;
  if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) {
    const name = ref.slice("#/components/schemas/".length);
    const schemas = (doc.components as Json | undefined)?.schemas as Json | undefined;
    return isObj(schemas?.[name]) ? (schemas[name] as Json) : {};
  }
  return schema;
}

/** A short type for people: `string`, `"de" | "en" | null`, `string (date-time)`, `Learner[]`. */
export function typeLabel(schema: unknown): string {
  if (!isObj(schema)) return "any";
  if (typeof schema.$ref === "string") return schema.$ref.split("/").pop() ?? "object";
  if (Array.isArray(schema.anyOf)) return schema.anyOf.map(typeLabel).join(" | ");
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.type === "array") return `${typeLabel(schema.items)}[]`;
  if (typeof schema.type === "string") {
    return typeof schema.format === "string" ? `${schema.type} (${schema.format})` : schema.type;
  }
  return "any";
}

const text = (node: Json, locale: Locale, key: "summary" | "description") => {
  const de = node[`x-de-${key}`];
  const en = node[key];
  return String((locale === "de" && typeof de === "string" ? de : en) ?? "");
};

function fieldsOf(doc: Json, schema: unknown, locale: Locale, prefix = ""): ReferenceField[] {
  const s = resolve(doc, schema);
  const props = isObj(s.properties) ? s.properties : {};
  const required = Array.isArray(s.required) ? (s.required as string[]) : [];
  const out: ReferenceField[] = [];
  for (const [name, prop] of Object.entries(props)) {
    if (!isObj(prop)) continue;
    out.push({ name: `${prefix}${name}`, type: typeLabel(prop), required: required.includes(name), description: text(prop, locale, "description") });
    // One level into arrays of objects: a batch's rows are listed as `learners[].email`.
    if (prop.type === "array" && isObj(prop.items)) {
      const item = resolve(doc, prop.items);
      if (isObj(item.properties)) out.push(...fieldsOf(doc, item, locale, `${prefix}${name}[].`));
    }
  }
  return out;
}

function curlFor(method: string, path: string, params: Json[], auth: boolean, body: unknown): string {
  let url = path;
  for (const p of params) {
    if (p.in === "path" && typeof p.example === "string") url = url.replace(`{${String(p.name)}}`, p.example);
  }
  const lines = [`curl -X ${method.toUpperCase()} "$POSTILLION_URL/api/v1${url}"`];
  if (auth) lines.push(`  -H "Authorization: Bearer $POSTILLION_API_KEY"`);
  if (body !== undefined) {
    lines.push(`  -H "Content-Type: application/json"`);
    lines.push(`  -d '${JSON.stringify(body, null, 2).replace(/'/g, "'\\''")}'`);
  }
  return lines.join(" \\\n");
}

export function referenceOperations(doc: Json, locale: Locale): ReferenceOperation[] {
  const out: ReferenceOperation[] = [];
  for (const [path, item] of Object.entries(isObj(doc.paths) ? doc.paths : {})) {
    if (!isObj(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!isObj(op)) continue;
      const params = (Array.isArray(op.parameters) ? op.parameters : []).filter(isObj);
      const body = isObj(op.requestBody) ? ((op.requestBody.content as Json | undefined)?.["application/json"] as Json | undefined) : undefined;
      const auth = Array.isArray(op.security) ? op.security.length > 0 : true;
      out.push({
        anchor: String(op.operationId ?? `${method}-${path}`),
        method: method.toUpperCase(),
        path: `/api/v1${path}`,
        tag: Array.isArray(op.tags) ? String(op.tags[0]) : "",
        summary: text(op, locale, "summary"),
        description: text(op, locale, "description"),
        auth,
        params: params.map((p) => ({
          name: String(p.name),
          in: p.in === "path" ? "path" : "query",
          type: typeLabel(p.schema),
          required: p.required === true,
          description: text(p, locale, "description"),
        })),
        bodyFields: body ? fieldsOf(doc, body.schema, locale) : [],
        responses: Object.entries(isObj(op.responses) ? op.responses : {}).map(([status, r]) => {
          const res = isObj(r) ? r : {};
          const content = isObj(res.content) ? res.content : {};
          const schema = Object.values(content).map((c) => (isObj(c) ? c.schema : undefined))[0];
          const problem = typeof res["x-problem-type"] === "string" ? res["x-problem-type"].split("#")[1] ?? null : null;
          return {
            status,
            description: text(res, locale, "description"),
            schema: problem ? null : isObj(schema) && typeof schema.$ref === "string" ? typeLabel(schema) : null,
            problemAnchor: problem,
          };
        }),
        curl: curlFor(method, path, params, auth, body?.example),
      });
    }
  }
  return out;
}

export function referenceProblems(locale: Locale, limits: { ratePerMinute: number }): ReferenceProblem[] {
  const params: Partial<Record<ProblemKind, Record<string, string | number>>> = {
    payloadTooLarge: { limit: BODY_LIMIT_BYTES },
    rateLimited: { limit: limits.ratePerMinute, seconds: "N" },
  };
  return (Object.keys(PROBLEMS) as ProblemKind[]).map((kind) => ({
    anchor: `problem-${kind}`,
    kind,
    status: PROBLEMS[kind].status,
    title: PROBLEMS[kind].title[locale],
    detail: PROBLEMS[kind].detail[locale].replace(/\{(\w+)\}/g, (whole, k: string) => String(params[kind]?.[k] ?? whole)),
  }));
}

/** The answers' schemas the reference lists below the operations, with their fields. */
export function referenceSchemas(doc: Json, locale: Locale, names: string[]): { name: string; fields: ReferenceField[] }[] {
  return names.map((name) => ({ name, fields: fieldsOf(doc, { $ref: `#/components/schemas/${name}` }, locale) }));
}
