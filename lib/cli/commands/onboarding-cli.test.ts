/**
 * `postillion tenant create`, `user create`, `training create` and `plan create` as
 * separate processes against a real database (a SQLite file, and Postgres when it
 * answers): the same use cases as the pages, audited as the CLI.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../audit/log";
import { getPlan } from "../../reminders/queries";
import { getTenantBySlug } from "../../tenants/queries";
import { createTestDb, postgresAvailable, type TestDb } from "../../testing/databases";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const CLI = path.join(ROOT, "lib/cli/postillion.mjs");
const dir = mkdtempSync(path.join(tmpdir(), "postillion-onboarding-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, JSON.stringify(content));
  return p;
}

const pgOk = await postgresAvailable();

for (const dialect of ["sqlite", "postgres"] as const) {
  describe.skipIf(dialect === "postgres" && !pgOk)(`postillion onboarding commands [${dialect}]`, () => {
    let handle: TestDb;
    beforeAll(async () => {
      handle = await createTestDb(dialect);
    });
    afterAll(async () => {
      await handle?.dispose();
    });

    function run(args: string[], stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args, "--now", "2026-12-01T09:00:00Z"], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: handle.url, DATA_DIR: dir },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(stdin);
      });
    }

    it("creates a tenant, an admin and a training; bad or duplicate input exits 2 naming the flag", async () => {
      const tenant = await run(["tenant", "create", "--slug", "acme", "--name", "Acme", "--json"]);
      expect(tenant.code, tenant.stderr).toBe(0);
      expect(JSON.parse(tenant.stdout)).toMatchObject({ slug: "acme", timezone: "Europe/Berlin" });

      const [user, training, badTraining] = await Promise.all([
        run(["user", "create", "--email", "ada@acme.example", "--role", "admin", "--tenant", "acme", "--password-stdin", "--json"], "a-long-password\n"),
        run(["training", "create", "--tenant", "acme", "--name", "Fire safety", "--external-id", "FS-1", "--link", "https://lms.example/fs", "--json"]),
        run(["training", "create", "--tenant", "acme", "--name", "Bad", "--link", "javascript:alert(1)"]),
      ]);
      expect(user.code, user.stderr).toBe(0);
      expect(JSON.parse(user.stdout)).toMatchObject({ email: "ada@acme.example", role: "admin", tenant: "acme" });
      expect(training.code, training.stderr).toBe(0);
      expect(JSON.parse(training.stdout)).toMatchObject({ tenant: "acme", name: "Fire safety", externalId: "FS-1" });
      expect(badTraining.code).toBe(2);
      expect(badTraining.stdout).toBe("");
      expect(badTraining.stderr).toContain("--link: Please enter a full web address");

      const dup = await run(["training", "create", "--tenant", "acme", "--name", "Again", "--external-id", "FS-1"]);
      expect(dup.code).toBe(2);
      expect(dup.stderr).toContain("--external-id: Another training of this tenant already has this external ID.");

      const a = await getTenantBySlug(handle.db, "acme");
      const audit = await listAudit(handle.db, { tenantId: a!.id, limit: 10 });
      expect(audit.map((e) => e.action).sort()).toEqual(["tenant.create", "training.create", "user.create"]);
      expect(audit.every((e) => e.actorUserId === null && (e.details as { via?: string }).via === "cli")).toBe(true);
    }, 180_000);

    it("plan create: prints the id and spam risk; refuses a high-risk plan without confirmSpamRisk; counts both active plans", async () => {
      const calm = file(`calm-${dialect}.json`, { anchor: "fixed", startDate: "2027-01-04", sendTime: "09:00", repeatEveryDays: 7, endDate: "2027-01-31", maxSends: 3 });
      const busy = { anchor: "fixed", startDate: "2027-02-01", sendTime: "09:00", repeatEveryDays: 2, endDate: "2027-03-31", maxSends: 20 };
      const first = await run(["plan", "create", "--tenant", "acme", "--training", "FS-1", "--name", "Gentle", "--file", calm, "--json"]);
      expect(first.code, first.stderr).toBe(0);
      const doc = JSON.parse(first.stdout) as { id: string; spamRisk: { level: string; mails: number; activePlans: number } };
      expect(doc.spamRisk).toMatchObject({ level: "low", mails: 3, activePlans: 1 });
      const a = await getTenantBySlug(handle.db, "acme");
      expect(await getPlan(handle.db, { tenantId: a!.id, planId: doc.id })).toMatchObject({ name: "Gentle", active: true, spamRisk: "low" });

      const busyFile = file(`busy-${dialect}.json`, busy);
      const [refused, typo, noTraining] = await Promise.all([
        run(["plan", "create", "--tenant", "acme", "--training", "FS-1", "--name", "Busy", "--file", busyFile, "--json"]),
        run(["plan", "create", "--tenant", "acme", "--training", "FS-1", "--name", "T", "--file", file(`typo-${dialect}.json`, { ...busy, maxsends: 2 })]),
        run(["plan", "create", "--tenant", "acme", "--training", "NOPE", "--name", "T", "--file", busyFile]),
      ]);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toContain("confirmSpamRisk: high spam risk (High: up to 23 reminders");
      expect(typo.code).toBe(2);
      expect(typo.stderr).toContain('maxsends: unknown field (did you mean "maxSends"?)');
      expect(noTraining.code).toBe(2);
      expect(noTraining.stderr).toContain('--training: tenant acme has no training with external id "NOPE"');

      const confirmed = await run([
        "plan", "create", "--tenant", "acme", "--training", "FS-1", "--name", "Busy", "--json",
        "--file", file(`busy-ok-${dialect}.json`, { ...busy, confirmSpamRisk: true }),
      ]);
      expect(confirmed.code, confirmed.stderr).toBe(0);
      const saved = JSON.parse(confirmed.stdout) as { id: string; spamRisk: Record<string, unknown> };
      expect(saved.spamRisk).toMatchObject({ level: "high", mails: 23, activePlans: 2, aloneLevel: "high" });
      const [entry] = await listAudit(handle.db, { tenantId: a!.id, action: "reminderPlan.highRiskConfirmed" });
      expect(entry).toMatchObject({ actorUserId: null, targetId: saved.id, details: { mails: 23, via: "cli" } });
    }, 180_000);
  });
}
