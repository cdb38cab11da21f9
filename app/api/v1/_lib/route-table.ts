import fs from "node:fs";
import path from "node:path";

/**
 * The route files of /api/v1 and the OpenAPI path each serves
 * (`learners/[externalId]/route.ts` → `/learners/{externalId}`), read from the file tree:
 * for the tests that hold the document and the handlers together, and the benchmark.
 */

export const V1_DIR = path.resolve(import.meta.dirname, "..");

export interface RouteFile {
  file: string;
  openApiPath: string;
}

export function v1RouteFiles(): RouteFile[] {
  return (fs.readdirSync(V1_DIR, { recursive: true }) as string[])
    .filter((f) => path.basename(f) === "route.ts")
    .map((f) => {
      const dir = path.dirname(f).split(path.sep).filter((p) => p !== ".");
      return { file: path.join(V1_DIR, f), openApiPath: `/${dir.map((p) => p.replace(/^\[(\w+)\]$/, "{$1}")).join("/")}` };
    })
    .sort((a, b) => a.openApiPath.localeCompare(b.openApiPath));
}

export type Handler = (request: Request, context?: { params: Promise<unknown> }) => Promise<Response>;

/** The handler of `method` for an OpenAPI path, or undefined. */
export async function handlerFor(openApiPath: string, method: string): Promise<Handler | undefined> {
  const route = v1RouteFiles().find((r) => r.openApiPath === openApiPath);
  if (!route) return undefined;
  const mod = (await import(route.file)) as Record<string, unknown>;
  const fn = mod[method.toUpperCase()];
  return typeof fn === "function" ? (fn as Handler) : undefined;
}
