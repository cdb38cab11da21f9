/** `postillion sender set` as a separate process, on both databases: the sender page's use case, schema and audit. */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../audit/log";
import { decryptSecret, parseEncryptionKeys, secretAad } from "../crypto/secret-box";
import { runCli } from "../testing/cli";
import { createTestDb, postgresAvailable, type TestDb } from "../testing/databases";
import { seedTwoTenants } from "../testing/tenants";
import { getSenderSettings } from "./queries";

const KEYS = `k1:${crypto.randomBytes(32).toString("base64")}`;
const PASSWORD = "Sup3r-Secret+Pa55/word";

function run(args: string[], env: Record<string, string>, stdin = "") {
  return runCli(args, {
    env: { POSTILLION_ENCRYPTION_KEYS: KEYS, PLATFORM_NOREPLY_ADDRESSES: "noreply@platform.example", SMTP_ALLOWED_PORTS: "25,465,587", SMTP_RELAY_URL: "", ...env },
    stdin,
  });
}

const pgOk = await postgresAvailable();

// The CLI process opens the database by URL, so the suite keeps its own handles.
for (const dialect of ["sqlite", "postgres"] as const) describe.skipIf(dialect === "postgres" && !pgOk)(`postillion sender set [${dialect}]`, () => {
  let handle: TestDb;
  let ids: Awaited<ReturnType<typeof seedTwoTenants>>;
  const getDb = () => handle.db;
  beforeAll(async () => {
    handle = await createTestDb(dialect);
    ids = await seedTwoTenants(getDb(), { prefix: `cliset-${dialect}` });
  });
  afterAll(async () => {
    await handle?.dispose();
  });

  it("saves custom_smtp with the password from stdin and prints the settings without it", { timeout: 120_000 }, async () => {
    const r = await run(
      [
        "sender", "set", "--tenant", `cliset-${dialect}-a`, "--mode", "custom_smtp", "--host", "smtp.acme.example", "--port", "587",
        "--security", "starttls", "--user", "mailer", "--password-stdin", "--from", "training@acme.example", "--display-name", "ACME Akademie",
        "--reply-to", "team@acme.example", "--rate-per-minute", "30", "--json",
      ],
      { DATABASE_URL: handle.url },
      `${PASSWORD}\n`,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(PASSWORD);
    const doc = JSON.parse(r.stdout) as { settings: Record<string, unknown>; state: Record<string, unknown> };
    expect(doc.settings).toMatchObject({ mode: "custom_smtp", smtpHost: "smtp.acme.example", smtpPort: 587, smtpUser: "mailer", hasPassword: true, ratePerMinute: 30 });
    expect(doc.settings).not.toHaveProperty("smtpPasswordBox");
    expect(doc.state).toEqual({ status: "not_ready", mode: "custom_smtp", reasons: ["not_tested"] });

    const row = await getSenderSettings(getDb(), { tenantId: ids.a });
    expect(decryptSecret(row!.smtpPasswordBox!, { keys: parseEncryptionKeys(KEYS).keys, aad: secretAad(ids.a, "smtp_password") })).toBe(PASSWORD);
    const audit = (await listAudit(getDb(), { tenantId: ids.a })).filter((e) => e.action === "sender.save");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorUserId: null, details: { via: "cli", mode: "custom_smtp", changes: { password: "[redacted]" } } });
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
  });

  it("refuses bad input with exit 2, naming the flag, and saves nothing", { timeout: 120_000 }, async () => {
    const r = await run(
      ["sender", "set", "--tenant", `cliset-${dialect}-b`, "--mode", "platform", "--noreply-address", "noreply@platform.example", "--display-name", "B", "--json"],
      { DATABASE_URL: handle.url },
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("--confirm-no-reply-to");
    expect(await getSenderSettings(getDb(), { tenantId: ids.b })).toBeUndefined();
  });
});
