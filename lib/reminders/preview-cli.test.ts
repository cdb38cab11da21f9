import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DESIGN_EXAMPLE_ASSIGNMENT, DESIGN_EXAMPLE_PLAN } from "./design-example";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const dir = mkdtempSync(path.join(tmpdir(), "postillion-preview-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
}

function postillion(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, "lib/cli/postillion.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const designPlan = DESIGN_EXAMPLE_PLAN;
const designAssignment = DESIGN_EXAMPLE_ASSIGNMENT;

// Each test starts a Node process with the TypeScript loader: seconds each on a busy machine.
describe("postillion preview", { timeout: 120_000 }, () => {
  it("prints exactly the DESIGN.md example's document with --json", () => {
    const r = postillion("preview", "--plan", file("plan.json", designPlan), "--assignment", file("a.json", designAssignment), "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      JSON.stringify(
        {
          reminders: [
            "2026-05-05T06:30:00.000Z",
            "2026-05-10T06:30:00.000Z",
            "2026-05-15T06:30:00.000Z",
            "2026-05-20T06:30:00.000Z",
          ],
          digests: [],
          notes: [
            {
              code: "cappedByMaxSends",
              text: "Limited to 4 reminders: 2 further dates until the end date are not used.",
            },
          ],
        },
        null,
        2,
      ) + "\n",
    );
  });

  it("words the notes in German with --locale de; the codes stay the same", () => {
    const r = postillion("preview", "--plan", file("plan-de.json", designPlan), "--assignment", file("a-de.json", designAssignment), "--json", "--locale", "de");
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { notes: unknown[] }).notes).toEqual([
      { code: "cappedByMaxSends", text: "Begrenzt auf 4 Erinnerungen: 2 weitere Termine bis zum Enddatum entfallen." },
    ]);
  });

  it("prints a table with local times without --json", () => {
    const r = postillion("preview", "--plan", file("plan2.json", designPlan), "--assignment", file("a2.json", designAssignment));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1  Tue 2026-05-05 08:30 CEST   2026-05-05T06:30:00.000Z");
    expect(r.stdout).toContain("Limited to 4 reminders");
  });

  it("names the bad field on stderr, prints nothing on stdout, exits non-zero", () => {
    const bad = { ...designPlan, endDate: null, sendTime: "8:30" };
    const r = postillion("preview", "--plan", file("bad.json", bad), "--assignment", file("a3.json", designAssignment), "--json");
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("sendTime: Please enter a time as HH:MM.");
    expect(r.stderr).toContain("endDate: A repeating reminder needs an end date, so that it stops.");
  });

  it("refuses a file that is not JSON", () => {
    const r = postillion("preview", "--plan", file("broken.json", "{"), "--assignment", file("a4.json", designAssignment), "--json");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/--plan: .*broken\.json is not valid JSON/);
  });
});
