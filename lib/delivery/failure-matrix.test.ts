import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { listAudit } from "../audit/log";
import { appActor } from "../auth/policy";
import type { Db } from "../db";
import { forEachDatabase } from "../testing/databases";
import { seedDeliveryTenant, testDeliveryEnvironment, type DeliveryTenant } from "../testing/delivery";
import { startFaultSmtpServer, type Fault, type FaultSmtpServer } from "../testing/fault-smtp-server";
import { createUser } from "../users/queries";
import { listAlerts } from "./alerts";
import { BACKOFF_MS, GIVE_UP_AFTER_MS } from "./failures";
import { getOpenPause, pausedTenantIds, resumeTenantSending } from "./pause";
import type { DeliveryEnvironment } from "./sender";
import { listSuppressions } from "./suppressions";
import { runWorkerOnce } from "./worker";

/**
 * The failure matrix through the real worker (runWorkerOnce) against a loopback SMTP
 * server that answers 421 / 451 / 454 / 535 / 550 5.1.1 / 550 5.7.1 / 552, drops the
 * connection after DATA, or stalls. Each case ends in its designed state, nothing is
 * lost (every mail either arrived or is failed with the reason shown), and retries
 * follow the backoff on a fake clock (jitter fixed at its middle: random() = 0.5).
 */

const PASSWORD = "relay-Passw0rd-9";
const MIN = 60_000;
const T0 = new Date("2026-11-30T08:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

let smtp: FaultSmtpServer;
let env: DeliveryEnvironment;

beforeAll(async () => {
  smtp = await startFaultSmtpServer({ users: { mailer: PASSWORD } });
  const base = testDeliveryEnvironment(smtp.port, { relayUrl: `smtp://mailer:${PASSWORD}@127.0.0.1:${smtp.port}` });
  // Short timeouts: the stalled server is given up on after 1.5 s.
  env = { ...base, probe: { ...base.probe, timeoutMs: 1_500 } };
});
afterAll(async () => {
  await smtp.close();
});

type Row = NonNullable<Awaited<ReturnType<typeof rowOf>>>;

async function rowOf(db: Db, id: string) {
  const [row] = await db.orm.select().from(db.t.deliveries).where(eq(db.t.deliveries.id, id));
  return row;
}

async function attemptsOf(db: Db, id: string) {
  const a = db.t.deliveryAttempts;
  return db.orm.select().from(a).where(eq(a.deliveryId, id)).orderBy(asc(a.attempt));
}

function tick(db: Db, now: Date) {
  return runWorkerOnce(db, { env, clock: () => now, random: () => 0.5, log: () => {} });
}

/** What arrived (acknowledged) for an address, by Message-ID. */
function arrived(address: string): (string | null)[] {
  return smtp.received.filter((m) => m.to.includes(address)).map((m) => m.messageId);
}

interface Case {
  name: string;
  tenant?: DeliveryTenant;
  rowId?: string;
  address?: string;
}

forEachDatabase("failure matrix through the worker", (getDb, dialect) => {
  const cases: Record<string, Case> = {};
  let consultantEmail = "";

  /** One tenant per case (a sender-wide failure pauses its whole tenant), one learner each. */
  async function seedCase(key: string, dueAt: Date, fault: Fault | null): Promise<Case> {
    const db = getDb();
    const tenant = await seedDeliveryTenant(db, { slug: `fm-${key}-${dialect.slice(0, 2)}`, relayPort: smtp.port, dueAt });
    const [row] = await tenant.addLearners(1);
    const c: Case = { name: key, tenant, rowId: row!.id, address: row!.recipient };
    smtp.fault(c.address!, fault);
    cases[key] = c;
    return c;
  }

  beforeAll(async () => {
    const db = getDb();
    consultantEmail = `consultant-fm-${dialect}@platform.example`;
    await createUser(db, { email: consultantEmail, name: "Consultant", role: "consultant", password: "long-enough-pass", locale: "en" });
    // The 4xx replies come after DATA: one at RCPT on a pooled connection that sent mail
    // before is re-queued by nodemailer's pool itself (no byte of the message went; up to
    // 5 times within the same attempt, a few ms apart), which the outbox never sees, so
    // whether a test's RCPT 4xx became an attempt would depend on connection reuse.
    await seedCase("421", T0, { at: "data", code: 421, message: "4.3.2 Service shutting down, try again", times: 2 });
    await seedCase("451", T0, { at: "data", code: 451, message: "4.7.1 Greylisted, please try again later", times: 1 });
    await seedCase("drop", T0, { at: "data", action: "drop", times: 1 });
    await seedCase("stall", T0, { at: "data", action: "stall", times: 1 });
    await seedCase("550-511", T0, { at: "rcpt", code: 550, message: "5.1.1 <unknown> User unknown" });
    await seedCase("552", T0, { at: "data", code: 552, message: "5.3.4 Message size exceeds fixed maximum message size" });
    await seedCase("550-571", T0, { at: "data", code: 550, message: "5.7.1 Unauthenticated email is not accepted due to DMARC policy" });
    await seedCase("expire", T0, { at: "data", code: 451, message: "4.3.0 Mailbox temporarily unavailable" });
  });

  it("first tick: each reply leads to its designed state", async () => {
    const db = getDb();
    const counts = await tick(db, T0);
    const r = async (k: string) => (await rowOf(db, cases[k]!.rowId!))!;

    for (const k of ["421", "451", "drop", "stall", "expire"]) {
      const row = await r(k);
      expect({ k, status: row.status, cls: row.failureClass, next: row.nextAttemptAt?.toISOString() }).toEqual({
        k,
        status: "retrying",
        cls: "temporary",
        next: at(BACKOFF_MS[0]!).toISOString(),
      });
    }
    expect((await r("421")).lastErrorKind).toBe("service_unavailable");
    expect((await r("451")).lastErrorKind).toBe("greylisted");
    expect((await r("drop")).lastErrorKind).toBe("dropped");
    expect((await r("stall")).lastErrorKind).toBe("timeout");
    expect((await r("421")).lastReply).toContain("421 4.3.2 Service shutting down");

    const bounced = await r("550-511");
    expect([bounced.status, bounced.failureClass, bounced.lastErrorKind]).toEqual(["failed", "recipient", "mailbox_unknown"]);
    expect(bounced.lastReply).toContain("550 5.1.1");
    const suppressed = await listSuppressions(db, { tenantId: cases["550-511"]!.tenant!.tenantId });
    expect(suppressed.items.map((s) => [s.address, s.reason, s.deliveryId])).toEqual([[cases["550-511"]!.address, "bounce", bounced.id]]);

    const big = await r("552");
    expect([big.status, big.failureClass, big.lastErrorKind]).toEqual(["failed", "message", "message_too_big"]);
    expect((await listSuppressions(db, { tenantId: cases["552"]!.tenant!.tenantId })).items).toHaveLength(0);

    const policy = await r("550-571");
    expect([policy.status, policy.failureClass, policy.lastErrorKind]).toEqual(["retrying", "sender", "policy_rejected"]);
    expect(policy.nextAttemptAt?.getTime()).toBe(T0.getTime());
    expect(await pausedTenantIds(db)).toEqual([cases["550-571"]!.tenant!.tenantId]);
    const [alert] = await listAlerts(db, { tenantId: cases["550-571"]!.tenant!.tenantId });
    expect(alert).toMatchObject({ kind: "sending_paused", link: `/t/${cases["550-571"]!.tenant!.slug}/deliveries`, resolvedAt: null });
    expect(alert!.detail).toContain("5.7.1");

    // Nothing is left claimed; the attempt of each row is on record with the server's reply.
    for (const c of Object.values(cases)) {
      expect((await r(c.name)).status).not.toBe("sending");
      const attempts = await attemptsOf(db, c.rowId!);
      expect(attempts).toHaveLength(1);
      expect(attempts[0]!.reply).toBeTruthy();
      expect(attempts[0]!.reply).not.toContain(PASSWORD);
    }
    expect(counts).toMatchObject({ sent: 0, failed: 2 });
    expect(counts.retrying).toBe(6);
  });

  it("half a minute later nothing is due: no connection attempt to those recipients", async () => {
    const db = getDb();
    const before = Object.values(cases).map((c) => smtp.rcptCount(c.address!));
    const counts = await tick(db, at(30_000));
    expect(counts).toMatchObject({ sent: 0, failed: 0, retrying: 0 });
    expect(Object.values(cases).map((c) => smtp.rcptCount(c.address!))).toEqual(before);
  });

  it("on the backoff: the 421 fails once more (then 5 min), the others arrive; the paused tenant waits and its alert is mailed", async () => {
    const db = getDb();
    const t1 = at(BACKOFF_MS[0]!);
    // What `worker --once --json` would print: three tenants' mails went in this tick.
    expect((await tick(db, t1)).sent).toBe(3);
    for (const k of ["451", "drop", "stall"]) {
      const row = (await rowOf(db, cases[k]!.rowId!))!;
      expect([k, row.status, row.attempts]).toEqual([k, "sent", 2]);
      expect(arrived(cases[k]!.address!)).toEqual([row.messageId]);
    }
    // The dropped mail was transmitted twice, each time with the same Message-ID.
    const drop = (await rowOf(db, cases.drop!.rowId!))!;
    expect(smtp.transmitted.filter((m) => m.to.includes(cases.drop!.address!)).map((m) => m.messageId)).toEqual([drop.messageId, drop.messageId]);

    const r421 = (await rowOf(db, cases["421"]!.rowId!))!;
    expect([r421.status, r421.attempts, r421.nextAttemptAt?.getTime()]).toEqual(["retrying", 2, t1.getTime() + BACKOFF_MS[1]!]);

    // Paused: due, but not tried.
    const policy = (await rowOf(db, cases["550-571"]!.rowId!))!;
    expect([policy.status, policy.attempts]).toEqual(["retrying", 1]);
    // The alert mail went to the consultant (the relay is fine), in English, with the link.
    const alertMail = smtp.received.find((m) => m.to.includes(consultantEmail));
    expect(alertMail?.raw).toContain(`Sending paused: Tenant ${cases["550-571"]!.tenant!.slug}`);
    expect(alertMail?.raw).toContain(`/t/${cases["550-571"]!.tenant!.slug}/deliveries`);
  });

  it("the 421 arrives at its second retry; resume after the fix sends the paused tenant's mail", async () => {
    const db = getDb();
    const t2 = at(BACKOFF_MS[0]! + BACKOFF_MS[1]!);
    smtp.fault(cases["550-571"]!.address!, null);
    const tenantId = cases["550-571"]!.tenant!.tenantId;
    const admin = await createUser(db, { email: `admin-fm-${dialect}@tenant.example`, name: "Admin", role: "admin", password: "long-enough-pass", tenantId });
    const resumed = await resumeTenantSending(db, { actor: appActor({ id: admin.id, role: "admin" }), tenantId, now: t2 });
    expect(resumed).toEqual({ ok: true, data: { resumed: true } });
    expect(await getOpenPause(db, { tenantId })).toBeNull();
    expect(await listAudit(db, { tenantId, action: "delivery.resume" })).toHaveLength(1);

    expect((await tick(db, t2)).sent).toBe(2);
    for (const k of ["421", "550-571"]) {
      const row = (await rowOf(db, cases[k]!.rowId!))!;
      expect([k, row.status]).toEqual([k, "sent"]);
      expect(arrived(cases[k]!.address!)).toEqual([row.messageId]);
    }
    expect((await listAlerts(db, { tenantId }))[0]!.resolvedAt).not.toBeNull();
  });

  it("a server that keeps answering 451 is tried on the backoff for 3 days, then given up (expired)", async () => {
    const db = getDb();
    const c = cases.expire!;
    const deadline = T0.getTime() + GIVE_UP_AFTER_MS;
    let row: Row = (await rowOf(db, c.rowId!))!;
    let tries = row.attempts;
    // Tick exactly when the row says it is due next, as a patient worker would.
    while (row.status === "retrying") {
      const due = row.nextAttemptAt!.getTime();
      const wait = BACKOFF_MS[Math.min(tries, BACKOFF_MS.length) - 1]!;
      expect(due - row.lastAttemptAt!.getTime()).toBe(Math.min(wait, deadline - row.lastAttemptAt!.getTime()));
      await tick(db, new Date(due));
      row = (await rowOf(db, c.rowId!))!;
      tries++;
      expect(row.attempts).toBe(tries);
      if (tries > 40) throw new Error("never gave up");
    }
    expect([row.status, row.failureClass, row.lastErrorKind]).toEqual(["failed", "expired", "temporary_reply"]);
    expect(row.lastAttemptAt!.getTime()).toBe(deadline);
    // 1, 5, 30 min, 2 h, 6 h … and the last try on the 3-day mark: 17 tries.
    expect(tries).toBe(17);
    const attempts = await attemptsOf(db, c.rowId!);
    expect(attempts.map((a) => a.outcome)).toEqual([...Array<string>(16).fill("temporary"), "expired"]);
    expect(arrived(c.address!)).toEqual([]);
  });

  it("535 at login pauses the tenant (its mail waits, due); 454 is retried like any temporary failure", async () => {
    const db = getDb();
    const day = 4 * 86_400_000;
    const auth = await seedCase("535", at(day), null);
    smtp.authFault({ code: 535, message: "5.7.8 Authentication credentials invalid" });
    try {
      await tick(db, at(day));
    } finally {
      smtp.authFault(null);
    }
    const row = (await rowOf(db, auth.rowId!))!;
    expect([row.status, row.failureClass, row.lastErrorKind, row.nextAttemptAt?.getTime()]).toEqual(["retrying", "sender", "auth_failed", at(day).getTime()]);
    expect(row.lastReply).toContain("535 5.7.8");
    expect(row.lastReply).not.toContain(PASSWORD);
    expect(await pausedTenantIds(db)).toEqual([auth.tenant!.tenantId]);
    // Still paused a minute later with a working server: not tried.
    await tick(db, at(day + MIN));
    expect((await rowOf(db, auth.rowId!))!.attempts).toBe(1);
    const consultant = appActor({ id: (await db.orm.select().from(db.t.users).where(eq(db.t.users.email, consultantEmail)))[0]!.id, role: "consultant" });
    await resumeTenantSending(db, { actor: consultant, tenantId: auth.tenant!.tenantId, now: at(day + 2 * MIN) });
    await tick(db, at(day + 2 * MIN));
    expect((await rowOf(db, auth.rowId!))!.status).toBe("sent");
    expect(arrived(auth.address!)).toHaveLength(1);

    const temp = await seedCase("454", at(day + 10 * MIN), null);
    smtp.authFault({ code: 454, message: "4.7.0 Temporary authentication failure", times: 1 });
    await tick(db, at(day + 10 * MIN));
    const r454 = (await rowOf(db, temp.rowId!))!;
    expect([r454.status, r454.failureClass, r454.lastErrorKind, r454.nextAttemptAt?.getTime()]).toEqual([
      "retrying",
      "temporary",
      "auth_temporary",
      at(day + 10 * MIN + BACKOFF_MS[0]!).getTime(),
    ]);
    expect(await pausedTenantIds(db)).toEqual([]);
    await tick(db, at(day + 11 * MIN));
    expect((await rowOf(db, temp.rowId!))!.status).toBe("sent");
  });

  it("nothing lost: every row of the matrix arrived exactly once or is failed with its reason", async () => {
    const db = getDb();
    const d = db.t.deliveries;
    const ids = Object.values(cases).map((c) => c.rowId!);
    const rows = (await db.orm.select().from(d).where(and(eq(d.kind, "reminder")))).filter((r) => ids.includes(r.id));
    expect(rows).toHaveLength(ids.length);
    for (const row of rows) {
      if (row.status === "sent") expect(arrived(row.recipient)).toEqual([row.messageId]);
      else {
        expect(row.status).toBe("failed");
        expect(row.lastReply).toBeTruthy();
        expect(arrived(row.recipient)).toEqual([]);
      }
    }
    const summary = Object.fromEntries(Object.values(cases).map((c) => [c.name, rows.find((r) => r.id === c.rowId)!.status]));
    expect(summary).toEqual({
      "421": "sent",
      "451": "sent",
      drop: "sent",
      stall: "sent",
      "550-511": "failed",
      "552": "failed",
      "550-571": "sent",
      expire: "failed",
      "535": "sent",
      "454": "sent",
    });
  });
});
