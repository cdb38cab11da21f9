/**
 * `postillion apikey create | list | revoke` as separate processes against a real
 * database (a SQLite file, and Postgres when it answers): the key printed once works,
 * the list and the audit log never show it again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../audit/log";
import { createTestDb, postgresAvailable, type TestDb } from "../testing/databases";
import { runCli } from "../testing/cli";
import { createTenant } from "../tenants/queries";
import { authenticateApiKey } from "./service";

const pgOk = await postgresAvailable();
const NOW = "2026-12-01T09:00:00Z";

for (const dialect of ["sqlite", "postgres"] as const) {
  describe.skipIf(dialect === "postgres" && !pgOk)(`postillion apikey [${dialect}]`, () => {
    let handle: TestDb;
    let tenantId = "";
    beforeAll(async () => {
      handle = await createTestDb(dialect);
      tenantId = (await createTenant(handle.db, { slug: "acme", name: "Acme", timezone: "Europe/Vienna", locale: "de" })).id;
    });
    afterAll(async () => {
      await handle?.dispose();
    });
    const run = (args: string[]) => runCli([...args, "--now", NOW], { env: { DATABASE_URL: handle.url } });

    it("creates a key printed once as exactly {key, id, prefix}; it authenticates; list and revoke work by id", async () => {
      const [created, pastExpiry, noName, noTenant] = await Promise.all([
        run(["apikey", "create", "--tenant", "acme", "--name", "Moodle", "--expires", "2027-06-30T22:00:00Z", "--json"]),
        run(["apikey", "create", "--tenant", "acme", "--name", "Old", "--expires", "2026-11-30T00:00:00Z"]),
        run(["apikey", "create", "--tenant", "acme", "--json"]),
        run(["apikey", "create", "--tenant", "nobody", "--name", "X"]),
      ]);
      expect(created.code, created.stderr).toBe(0);
      const doc = JSON.parse(created.stdout) as { key: string; id: string; prefix: string };
      expect(Object.keys(doc).sort()).toEqual(["id", "key", "prefix"]);
      expect(doc.key).toMatch(/^pst_[A-Za-z0-9_-]{43}$/);
      expect(doc.prefix).toBe(doc.key.slice(0, 12));

      expect(pastExpiry.code).toBe(2);
      expect(pastExpiry.stderr).toContain("--expires: The expiry must be in the future.");
      expect(noName.code).toBe(2);
      expect(noName.stdout).toBe("");
      expect(noName.stderr).toContain("--name: Please fill this in.");
      expect(noTenant.code).toBe(2);
      expect(noTenant.stderr).toContain('--tenant: no tenant "nobody"');

      const auth = await authenticateApiKey(handle.db, { authorization: `Bearer ${doc.key}`, now: new Date(NOW) });
      expect(auth).toMatchObject({ ok: true, key: { id: doc.id, prefix: doc.prefix }, tenant: { slug: "acme", timezone: "Europe/Vienna" } });

      const listed = await run(["apikey", "list", "--tenant", "acme", "--json"]);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).not.toContain(doc.key);
      expect(JSON.parse(listed.stdout)).toEqual({
        tenant: "acme",
        keys: [
          {
            id: doc.id,
            name: "Moodle",
            prefix: doc.prefix,
            status: "active",
            createdAt: "2026-12-01T09:00:00.000Z",
            createdBy: null,
            expiresAt: "2027-06-30T22:00:00.000Z",
            lastUsedAt: "2026-12-01T09:00:00.000Z",
            revokedAt: null,
          },
        ],
      });

      const [revoked, unknown] = await Promise.all([
        run(["apikey", "revoke", "--tenant", "acme", "--id", doc.id, "--json"]),
        run(["apikey", "revoke", "--tenant", "acme", "--id", "no-such-key"]),
      ]);
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(JSON.parse(revoked.stdout)).toEqual({ id: doc.id, revoked: true });
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('--id: tenant acme has no API key "no-such-key"');
      expect(await authenticateApiKey(handle.db, { authorization: `Bearer ${doc.key}`, now: new Date(NOW) })).toEqual({ ok: false, reason: "revoked" });

      const human = await run(["apikey", "list", "--tenant", "acme"]);
      expect(human.stdout).toContain(`${doc.prefix}…  revoked  Moodle`);

      const audit = await listAudit(handle.db, { tenantId, limit: 10 });
      expect(audit.map((e) => e.action).sort()).toEqual(["apikey.create", "apikey.revoke"]);
      expect(audit.every((e) => e.actorUserId === null && (e.details as { via?: string }).via === "cli")).toBe(true);
      expect(JSON.stringify(audit)).not.toContain(doc.key.slice(12));
    });
  });
}
