import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * There is no client i18n provider in the root layout: a page wraps its client
 * islands in <ClientMessages namespaces={[…]}>. A client component whose namespace is
 * missing would fail only at render time, so this reads the sources: for every page
 * and layout, each client component it renders (directly or through an area's
 * components/<area>/islands.tsx), with the components those import, must find its
 * useTranslations namespaces among the page's ClientMessages.
 */
const root = path.resolve(__dirname, "../..");
const read = (file: string) => fs.readFileSync(file, "utf8");

function resolveModule(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? path.join(root, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : null;
  if (!base) return null;
  return [".tsx", ".ts", "/index.tsx"].map((ext) => base + ext).find((f) => fs.existsSync(f)) ?? null;
}

/** An area's list of lazy islands (components/<area>/islands.tsx). */
const isIslands = (file: string) => path.basename(file) === "islands.tsx" && file.startsWith(path.join(root, "components"));

/** Namespaces a client module translates with, including the local modules it imports. */
function clientNamespaces(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const source = read(file);
  const own = [...source.matchAll(/useTranslations\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]!);
  const imports = [...source.matchAll(/(?:from|import\()\s*"([^"]+)"/g)].map((m) => resolveModule(file, m[1]!)).filter((f): f is string => !!f);
  return [...own, ...imports.flatMap((f) => clientNamespaces(f, seen))];
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

describe("client messages", () => {
  const pages = walk(path.join(root, "app")).filter((f) => /\/(page|layout|not-found)\.tsx$/.test(f));

  it.each(pages.map((p) => [path.relative(root, p), p]))("%s gives its client components their messages", (_name, page) => {
    const source = read(page);
    const provided = [...source.matchAll(/<ClientMessages namespaces=\{\[([^\]]*)\]\}/g)].flatMap((m) =>
      [...m[1]!.matchAll(/"([^"]+)"/g)].map((n) => n[1]!),
    );
    const needed = new Set<string>();
    for (const m of source.matchAll(/import \{([^}]+)\} from "(@\/components\/[^"]+)"/g)) {
      const file = resolveModule(page, m[2]!);
      if (!file) continue;
      const names = m[1]!.split(",").map((n) => n.trim()).filter((n) => n && !n.startsWith("type "));
      // An island is loaded from the module its dynamic import names.
      const modules =
        isIslands(file)
          ? names.map((n) => new RegExp(`export const ${n} = (?:dynamic|island)\\(\\(\\) =>[\\s\\S]*?import\\("([^"]+)"\\)`).exec(read(file))?.[1]).map((s) => (s ? resolveModule(file, s) : null))
          : [file];
      for (const mod of modules) {
        if (mod && read(mod).startsWith('"use client"')) clientNamespaces(mod).forEach((n) => needed.add(n));
      }
    }
    const missing = [...needed].filter((n) => !provided.some((p) => n === p || n.startsWith(`${p}.`)));
    expect(missing).toEqual([]);
  });
});
