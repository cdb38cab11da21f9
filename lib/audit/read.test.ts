import { beforeAll, describe, expect, it } from "vitest";
import { appActor, CLI_ACTOR, apiActor } from "../auth/policy";
import { createApiKey } from "../api-keys/service";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { writeAudit, writeAuditBy } from "./log";
import { areaOf, auditCsvStream, auditListState, csvLine, displayDetails, listAuditPage, type AuditRow } from "./read";

const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";

describe("areaOf", () => {
  it("derives the area from the action's prefix, imports apart from learners", () => {
    expect(["sender.save", "domain.dkim.generate", "reminderPlan.update", "learner.put", "learner.import", "learner.import.upload", "learner.importer", "suppression.add", "delivery.resume", "user.create", "apikey.revoke", "tenant.create", "something.else"].map(areaOf)).toEqual([
      "sender", "domain", "reminders", "learners", "imports", "imports", "learners", "deliveries", "deliveries", "users", "apikeys", "tenant", "other",
    ]);
  });
});

describe("csvLine", () => {
  it("quotes every field, doubles quotes, defuses formulas, ends with CRLF", () => {
    expect(csvLine(['Jürgen "J"', "=1+1", null, "a;b"])).toBe('"Jürgen ""J""";"\'=1+1";"";"a;b"\r\n');
  });
});

describe("auditListState", () => {
  it("reads local days (to inclusive) and drops bad values", () => {
    const s = auditListState({ area: "sender", actor: "robot", from: "2026-03-29", to: "2026-03-29" }, "Europe/Berlin");
    expect(s.filter).toEqual({ area: "sender", from: new Date("2026-03-28T23:00:00Z"), to: new Date("2026-03-29T22:00:00Z") });
    expect(s.ignored).toBe(true);
  });
});

async function csvText(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}

forEachDatabase("audit read model", (db) => {
  let ids: TwoTenants;
  let apiKey = "";
  const base = new Date("2026-06-10T08:00:00Z");
  const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000);

  beforeAll(async () => {
    ids = await seedTwoTenants(db(), { prefix: "auditread", adminAName: "Ada Admin" });
    const admin = appActor({ id: ids.adminA, role: "admin" });
    await writeAuditBy(db(), admin, { tenantId: ids.a, action: "sender.save", details: { changes: { fromName: { from: "Alt", to: "Neu" }, password: "changed" }, smtpPassword: "hunter2-secret" } }, at(0));
    await writeAuditBy(db(), CLI_ACTOR, { tenantId: ids.a, action: "learner.import", details: { created: 3 } }, at(1));
    await writeAuditBy(db(), apiActor({ id: "00000000-0000-4000-8000-000000000001" }), { tenantId: ids.a, action: "learner.put", details: { externalId: "L1" } }, at(2));
    await writeAudit(db(), { tenantId: ids.a, actorUserId: null, action: "delivery.unsubscribed", details: { address: "l@x.example" } }, at(3));
    // Secrets a careless use case might pass, under names redact() knows and ones it does not.
    await writeAudit(db(), { tenantId: ids.a, actorUserId: ids.adminA, action: "domain.dkim.generate", details: { selector: "s1", key: PEM, privateKey: PEM, codeHash: "abc123hash", keyHash: "def456hash", passwordBox: "box-cipher" } }, at(4));
    await writeAudit(db(), { tenantId: ids.b, actorUserId: ids.adminB, action: "sender.save", details: {} }, at(5));
    await writeAudit(db(), { tenantId: ids.b, actorUserId: ids.adminB, action: "learner.import.upload", details: { rows: 2 } }, at(5));
    const created = await createApiKey(db(), { tenant: { id: ids.a, timezone: "Europe/Berlin" }, actor: admin, input: { name: "LMS" }, now: at(6) });
    if (!created.ok) throw new Error("key not created");
    apiKey = created.data.key;
    await writeAudit(db(), { tenantId: ids.a, actorUserId: ids.adminA, action: "apikey.create", details: { echoed: apiKey } }, at(7));
  });

  it("lists newest first in keyset pages, only the tenant's own rows", async () => {
    const seen: AuditRow[] = [];
    let cursor: string | null = null;
    do {
      const page: { rows: AuditRow[]; next: string | null } = await listAuditPage(db(), { tenantId: ids.a, cursor, limit: 3 });
      seen.push(...page.rows);
      cursor = page.next;
    } while (cursor);
    expect(seen.map((r) => r.action)).toEqual(["apikey.create", "apikey.create", "domain.dkim.generate", "delivery.unsubscribed", "learner.put", "learner.import", "sender.save"]);
    expect(new Set(seen.map((r) => r.id)).size).toBe(7);
    expect(seen.at(-1)).toMatchObject({ actorKind: "user", actorName: "Ada Admin", area: "sender", details: { changes: { fromName: { from: "Alt", to: "Neu" } } } });
  });

  it("filters by area, actor and local days", async () => {
    const actions = async (filter: Parameters<typeof listAuditPage>[1]["filter"]) => (await listAuditPage(db(), { tenantId: ids.a, filter })).rows.map((r) => r.action);
    expect(await actions({ area: "learners" })).toEqual(["learner.put"]);
    expect(await actions({ area: "imports" })).toEqual(["learner.import"]);
    // The import's steps (upload, dry run) are imports too, not learner changes.
    const ofB = async (area: "imports" | "learners") => (await listAuditPage(db(), { tenantId: ids.b, filter: { area } })).rows.map((r) => r.action);
    expect(await ofB("imports")).toEqual(["learner.import.upload"]);
    expect(await ofB("learners")).toEqual([]);
    expect(await actions({ area: "deliveries" })).toEqual(["delivery.unsubscribed"]);
    expect(await actions({ actor: "cli" })).toEqual(["learner.import"]);
    expect(await actions({ actor: "api" })).toEqual(["learner.put"]);
    expect(await actions({ actor: "learner" })).toEqual(["delivery.unsubscribed"]);
    expect(await actions({ actor: "user", area: "sender" })).toEqual(["sender.save"]);
    expect(await actions({ from: at(2), to: at(4) })).toEqual(["delivery.unsubscribed", "learner.put"]);
    const state = auditListState({ from: "2026-06-11" }, "Europe/Berlin");
    expect(await actions(state.filter)).toEqual([]);
  });

  it("never lets a secret reach the list or the CSV", async () => {
    const page = JSON.stringify((await listAuditPage(db(), { tenantId: ids.a })).rows);
    const csv = await csvText(
      auditCsvStream(db(), {
        tenantId: ids.a,
        timezone: "Europe/Berlin",
        text: { header: ["Zeit", "Wer", "Bereich", "Was", "Aktion", "Ziel", "Details"], actor: (r) => r.actorName ?? r.actorKind, area: (a) => a, what: (a) => a },
      }),
    );
    for (const secret of ["hunter2-secret", "BEGIN PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "abc123hash", "def456hash", "box-cipher", apiKey]) {
      expect(page).not.toContain(secret);
      expect(csv).not.toContain(secret);
    }
    expect(page).toContain("[redacted]");
  });

  it("exports the filtered list as CSV for German Excel", async () => {
    const csv = await csvText(
      auditCsvStream(db(), {
        tenantId: ids.a,
        timezone: "Europe/Berlin",
        filter: { area: "sender" },
        text: { header: ["Zeit", "Wer", "Bereich", "Was", "Aktion", "Ziel", "Details"], actor: (r) => r.actorName ?? r.actorKind, area: () => "Absender", what: () => "Absender geändert" },
      }),
    );
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const lines = csv.slice(1).split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^"2026-06-10 10:00:00";"Ada Admin";"Absender";"Absender geändert";"sender.save";"";"\{""changes"":/);
  });
});

describe("displayDetails", () => {
  it("redacts hashes, PEM keys and whole API keys in any field", () => {
    expect(displayDetails({ a: { codeHash: "h" }, list: [PEM], key: `pst_${"a".repeat(43)}`, prefix: "pst_abcdefgh" })).toEqual({
      a: { codeHash: "[redacted]" },
      list: ["[redacted]"],
      key: "[redacted]",
      prefix: "pst_abcdefgh",
    });
  });
});
