import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetConfigCache } from "@/lib/config/platform-profile";
import { setProcessDb } from "@/lib/db";
import { forEachDatabase } from "@/lib/testing/databases";
import { rowCounts } from "@/lib/testing/row-counts";
import { findClosedPort } from "@/lib/testing/smtp-server";
import { seedTwoTenants } from "@/lib/testing/tenants";
import { runWithTestSession } from "@/app/_server/request-context";

// Every server action and route handler, discovered from the file tree (so the ones
// added later are covered too), fed malformed input as each role: the answer must be a
// field error or a 4xx — never a throw, a 5xx or an "unexpected error" — and nothing
// may be written. Figures per action and route are printed at the end.

const APP = path.resolve(import.meta.dirname);
const ROOT = path.dirname(APP);
const RUNS = 60;
const MEGABYTE = "x".repeat(1 << 20);
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

function appFiles(name: RegExp): string[] {
  return (fs.readdirSync(APP, { recursive: true }) as string[])
    .filter((f) => name.test(path.basename(f)))
    .map((f) => path.join(APP, f))
    .sort();
}

const ACTION_FILES = [...appFiles(/^actions\.ts$/), path.join(APP, "_server/locale-action.ts")];
const ROUTE_FILES = appFiles(/^route\.ts$/);
// next-auth's own handler reads the request scope (headers(), cookies()) of a running
// Next server and cannot be called as a function; the e2e suite signs in through it.
const SKIPPED_ROUTES = [/\[\.\.\.nextauth\]/];

/** Field names the forms know, read from the zod schemas so new fields join by themselves. */
function fieldNames(): string[] {
  const sources = [
    ...ACTION_FILES,
    ...(fs.readdirSync(path.join(ROOT, "lib"), { recursive: true }) as string[])
      .filter((f) => /schema.*\.ts$/.test(f) && !f.endsWith(".test.ts"))
      .map((f) => path.join(ROOT, "lib", f)),
  ];
  const names = new Set(["tenantSlug", "id", "locale"]);
  for (const file of sources) {
    for (const m of fs.readFileSync(file, "utf8").matchAll(/\b([a-zA-Z]\w*)\s*:\s*z\./g)) names.add(m[1]!);
  }
  return [...names];
}

const rel = (file: string) => path.relative(ROOT, file);

/** A value of the wrong kind, or of the right kind and wrong size. */
function badValue(slugs: string[]) {
  return fc.oneof(
    fc.constantFrom<unknown>(null, undefined, "", " ", "null", "true", "0", "-1", "1e309", "NaN", "../", "\u0000", MEGABYTE),
    fc.constantFrom(...slugs),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.string(),
    fc.uuid(),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
    fc.anything({ maxDepth: 2 }),
  );
}

/** Plain objects and FormData with the forms' field names and bad values, and non-objects. */
function malformedInputs(keys: string[], slugs: string[], seed: number): unknown[] {
  const field = fc.constantFrom(...keys);
  const object = fc.record(
    { tenantSlug: fc.constantFrom(...slugs), rest: fc.dictionary(field, badValue(slugs), { maxKeys: 8 }) },
    { requiredKeys: ["rest"] },
  ).map(({ tenantSlug, rest }) => (tenantSlug === undefined ? rest : { ...rest, tenantSlug }));
  const form = fc
    .array(fc.tuple(field, fc.oneof(fc.string(), fc.constantFrom(MEGABYTE, ...slugs), fc.constant(new Blob(["x"])))), { maxLength: 8 })
    .map((entries) => {
      const data = new FormData();
      data.set("tenantSlug", slugs[0]!);
      for (const [k, v] of entries) data.append(k, v);
      return data;
    });
  const fixed: unknown[] = [null, undefined, 0, "tenantSlug", [], [{ tenantSlug: slugs[0] }], new FormData(), new Date(), {}];
  fixed.push(Object.fromEntries(keys.map((k) => [k, MEGABYTE]).concat([["tenantSlug", slugs[0]!]])));
  fixed.push(Object.fromEntries(keys.map((k) => [k, null]).concat([["tenantSlug", slugs[0]!]])));
  fixed.push(Object.fromEntries(keys.map((k) => [k, [1, 2]]).concat([["tenantSlug", slugs[0]!]])));
  return [...fixed, ...fc.sample(fc.oneof(object, object, form, fc.anything()), { numRuns: RUNS, seed })];
}

/** Requests a browser, a script or an attacker could send, and malformed route params. */
function malformedRequests(url: string, method: string, keys: string[], slugs: string[], seed: number): Request[] {
  const withBody = !["GET", "HEAD"].includes(method);
  const make = (body?: BodyInit, type = "application/json") =>
    new Request(url, withBody && body !== undefined ? { method, body, headers: { "content-type": type } } : { method });
  const fixed = [
    make(),
    make("{"),
    make("null"),
    make("[]"),
    make('"text"'),
    make("42"),
    make("{}", "text/plain"),
    make("a=1&b=2", "application/x-www-form-urlencoded"),
    make(JSON.stringify({ tenantSlug: slugs[0], sample: MEGABYTE })),
    make(`{"x":"${MEGABYTE}${MEGABYTE}"}`),
    make(new Uint8Array([0xff, 0xfe, 0x00, 0x7b])),
  ];
  const bodies = fc.sample(
    fc.oneof(fc.dictionary(fc.constantFrom(...keys), badValue(slugs), { maxKeys: 8 }), fc.anything({ maxDepth: 3 })),
    { numRuns: RUNS, seed },
  );
  return [...fixed, ...bodies.map((b) => make(JSON.stringify(b) ?? "undefined"))];
}

function malformedParams(names: string[], slugs: string[], seed: number): Record<string, unknown>[] {
  const value = badValue(slugs);
  const fixed = [{}, Object.fromEntries(names.map((n) => [n, MEGABYTE])), Object.fromEntries(names.map((n) => [n, ["a", "b"]]))];
  return [...fixed, ...fc.sample(fc.record(Object.fromEntries(names.map((n) => [n, value]))), { numRuns: 20, seed })];
}

interface Tally {
  inputs: number;
  /** Inputs the generator happened to make valid: answered ok, allowed to write. */
  accepted: number;
  failures: string[];
}

const tallies = new Map<string, Tally>();
const tally = (key: string) => tallies.get(key) ?? tallies.set(key, { inputs: 0, accepted: 0, failures: [] }).get(key)!;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const describeInput = (input: unknown) => {
  if (input instanceof FormData) return `FormData(${[...input.keys()].join(",")})`;
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
};

const ENV = { DNS_SERVERS: "", SMTP_RELAY_URL: "" };
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  // Nothing may reach the network: DNS and the relay point at a closed loopback port.
  const closed = await findClosedPort();
  ENV.DNS_SERVERS = `127.0.0.1:${closed}`;
  ENV.SMTP_RELAY_URL = `smtp://127.0.0.1:${closed}`;
  for (const [k, v] of Object.entries(ENV)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
  resetConfigCache();
});

afterAll(() => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetConfigCache();
  const rows = [...tallies].map(([name, t]) => `${name}: ${t.inputs} inputs (${t.accepted} valid by chance), ${t.failures.length} failures (5xx/throw/unexpected/write)`);
  console.log(`malformed input:\n  ${rows.join("\n  ")}`);
});

forEachDatabase("malformed input", (db, dialect) => {
  const ids = {} as Awaited<ReturnType<typeof seedTwoTenants>>;
  const keys = fieldNames();

  beforeAll(async () => {
    setProcessDb(db());
    Object.assign(ids, await seedTwoTenants(db(), { prefix: "fuzz" }));
  });

  const roles = () =>
    [
      ["consultant", ids.consultant],
      ["admin", ids.adminA],
      ["trainer", ids.trainerA],
    ] as const;
  const slugs = ["fuzz-a", "fuzz-b", "no-such-tenant"];

  describe.each(ACTION_FILES.map(rel))("actions in %s", (file) => {
    it("answers every malformed input with a field error or a refusal, and writes nothing", { timeout: 300_000 }, async () => {
      const actions = Object.entries(await import(path.join(ROOT, file))).filter(
        (e): e is [string, (...args: unknown[]) => Promise<unknown>] => typeof e[1] === "function",
      );
      expect(actions.length).toBeGreaterThan(0);
      for (const [name, action] of actions) {
        for (const [role, userId] of roles()) {
          const t = tally(`${dialect} ${file} ${name}`);
          let before = await rowCounts(db());
          const inputs = malformedInputs(keys, slugs, name.length * 31 + role.length);
          for (const input of inputs) {
            t.inputs += 1;
            let result: unknown;
            try {
              // Actions for useActionState take (previous, formData); plain form actions take (formData).
              result = await runWithTestSession({ userId, locale: "en" }, () => (action.length >= 2 ? action(null, input) : action(input)));
            } catch (error) {
              t.failures.push(`${role} ${describeInput(input)}: threw ${(error as Error).message}`);
            }
            const after = await rowCounts(db());
            if (isRecord(result) && result.ok === true) {
              // The generator hit a valid input (e.g. a training with just a name): a legitimate write.
              t.accepted += 1;
              before = after;
              continue;
            }
            if (isRecord(result) && /unexpected/i.test(String(result.error))) {
              t.failures.push(`${role} ${describeInput(input)}: ${String(result.error)}`);
            }
            if (JSON.stringify(after) !== JSON.stringify(before)) {
              t.failures.push(`${role} ${describeInput(input)}: refused but wrote ${JSON.stringify(after)}`);
              before = after;
            }
          }
        }
        expect(tally(`${dialect} ${file} ${name}`).failures).toEqual([]);
      }
    });
  });

  describe.each(ROUTE_FILES.map(rel).filter((f) => !SKIPPED_ROUTES.some((r) => r.test(f))))("route %s", (file) => {
    it("answers every malformed request with a 4xx or 2xx, never a 5xx or a throw, and writes nothing", { timeout: 300_000 }, async () => {
      const route = (await import(path.join(ROOT, file))) as Record<string, unknown>;
      const paramNames = [...file.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!);
      const handlers = METHODS.filter((m) => typeof route[m] === "function");
      expect(handlers.length).toBeGreaterThan(0);
      for (const method of handlers) {
        const handler = route[method] as (request: Request, ctx: { params: Promise<unknown> }) => Promise<Response>;
        for (const [role, userId] of roles()) {
          const t = tally(`${dialect} ${file} ${method}`);
          const before = await rowCounts(db());
          const seed = method.length * 17 + role.length;
          const url = `http://localhost/${path.dirname(file).replace(/^app\//, "")}`;
          const good = Object.fromEntries(paramNames.map((n) => [n, n === "slug" ? "fuzz-a" : crypto.randomUUID()]));
          const cases: [Request, Record<string, unknown>][] = [
            ...malformedRequests(url, method, keys, slugs, seed).map((r): [Request, Record<string, unknown>] => [r, good]),
            ...malformedParams(paramNames, slugs, seed).map((p): [Request, Record<string, unknown>] => [
              new Request(url, { method, ...(["GET", "HEAD"].includes(method) ? {} : { body: "{}", headers: { "content-type": "application/json" } }) }),
              p,
            ]),
          ];
          for (const [request, params] of cases) {
            t.inputs += 1;
            try {
              const response = await runWithTestSession({ userId, locale: "en" }, () => handler(request, { params: Promise.resolve(params) }));
              if (response.status >= 500) t.failures.push(`${role} ${method} ${describeInput(params)}: ${response.status}`);
            } catch (error) {
              t.failures.push(`${role} ${method} ${describeInput(params)}: threw ${(error as Error).message}`);
            }
          }
          expect(await rowCounts(db()), `${method} as ${role} wrote rows`).toEqual(before);
        }
        expect(tally(`${dialect} ${file} ${method}`).failures).toEqual([]);
      }
    });
  });
});
