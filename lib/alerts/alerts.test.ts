import { beforeAll, expect, it } from "vitest";
import { raiseAlert, resolveAlerts } from "../delivery/alerts";
import type { Db } from "../db";
import { forEachDatabase } from "../testing/databases";
import { seedTwoTenants, type TwoTenants } from "../testing/tenants";
import { alertTenantFor, listUserAlerts, unreadAlertCount } from "./queries";
import { markAlertRead, markAllAlertsRead } from "./service";

const t0 = new Date("2026-12-01T09:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

async function raise(db: Db, tenantId: string | null, key: string, minutes: number) {
  const message = { de: { title: `T ${key}`, text: `Text ${key}` }, en: { title: `T ${key} en`, text: `Text ${key} en` } };
  return (
    await raiseAlert(db, { tenantId, kind: "test", severity: "error", message, detail: "550 no", link: "/t/x/deliveries", dedupeKey: key, now: at(minutes) })
  ).alertId;
}

forEachDatabase("alerts for users", (db) => {
  const ids = {} as TwoTenants;
  const consultant = () => ({ id: ids.consultant, role: "consultant" as const });
  const adminA = () => ({ id: ids.adminA, role: "admin" as const });
  const adminB = () => ({ id: ids.adminB, role: "admin" as const });
  const trainerA = () => ({ id: ids.trainerA, role: "trainer" as const });
  const alert = {} as Record<"a1" | "a2" | "b1" | "global", string>;

  beforeAll(async () => {
    Object.assign(ids, await seedTwoTenants(db(), { prefix: "alerts" }));
    alert.a1 = await raise(db(), ids.a, "a1", 1);
    alert.b1 = await raise(db(), ids.b, "b1", 2);
    alert.a2 = await raise(db(), ids.a, "a2", 3);
    alert.global = await raise(db(), null, "global", 4);
  });

  it("shows consultants every alert, admins their tenants' and trainers none; unread counts match", async () => {
    const titles = async (viewer: ReturnType<typeof consultant> | ReturnType<typeof adminA> | ReturnType<typeof trainerA>) =>
      (await listUserAlerts(db(), viewer, { page: 1 })).items.map((i) => i.message.de.title);
    expect(await titles(consultant())).toEqual(["T global", "T a2", "T b1", "T a1"]);
    expect(await titles(adminA())).toEqual(["T a2", "T a1"]);
    expect(await titles(adminB())).toEqual(["T b1"]);
    expect(await titles(trainerA())).toEqual([]);
    expect(await unreadAlertCount(db(), consultant())).toBe(4);
    expect(await unreadAlertCount(db(), adminA())).toBe(2);
    expect(await unreadAlertCount(db(), adminB())).toBe(1);
    expect(await unreadAlertCount(db(), trainerA())).toBe(0);
    const first = (await listUserAlerts(db(), adminA(), { page: 1 })).items[0]!;
    expect(first.tenant).toEqual({ slug: "alerts-a", name: "A" });
    expect(first.readAt).toBeNull();
  });

  it("narrows to one organisation the viewer may see; another's slug is not found and shows nothing", async () => {
    const titles = async (viewer: ReturnType<typeof consultant> | ReturnType<typeof adminA>, tenant: string) =>
      (await listUserAlerts(db(), viewer, { page: 1, tenant })).items.map((i) => i.message.de.title);
    expect(await titles(consultant(), "alerts-a")).toEqual(["T a2", "T a1"]);
    expect(await titles(consultant(), "alerts-b")).toEqual(["T b1"]);
    expect(await unreadAlertCount(db(), consultant(), "alerts-a")).toBe(2);
    expect(await alertTenantFor(db(), consultant(), "alerts-b")).toEqual({ id: ids.b, slug: "alerts-b", name: "B" });
    expect(await alertTenantFor(db(), adminA(), "alerts-a")).toMatchObject({ id: ids.a });
    // An admin of A: B's slug answers as a made-up one does, and lists nothing.
    expect(await alertTenantFor(db(), adminA(), "alerts-b")).toBeNull();
    expect(await alertTenantFor(db(), adminA(), "nobody-here")).toBeNull();
    expect(await alertTenantFor(db(), trainerA(), "alerts-a")).toBeNull();
    expect(await titles(adminA(), "alerts-b")).toEqual([]);
    expect(await unreadAlertCount(db(), adminA(), "alerts-b")).toBe(0);
  });

  it("lists open before resolved, newest first, in pages", async () => {
    await resolveAlerts(db(), { dedupeKey: "a2", now: at(10) });
    const page1 = await listUserAlerts(db(), consultant(), { page: 1, pageSize: 2 });
    const page2 = await listUserAlerts(db(), consultant(), { page: 2, pageSize: 2 });
    expect(page1.items.map((i) => i.message.en.title)).toEqual(["T global en", "T b1 en"]);
    expect(page1.hasMore).toBe(true);
    expect(page2.items.map((i) => i.message.en.title)).toEqual(["T a1 en", "T a2 en"]);
    expect(page2.items[1]!.resolvedAt).toEqual(at(10));
    expect(page2.hasMore).toBe(false);
  });

  it("refuses to mark an alert of another tenant, or a made-up id, and writes nothing", async () => {
    expect(await markAlertRead(db(), { viewer: adminB(), input: { alertId: alert.a1 }, now: at(20) })).toMatchObject({ ok: false, code: "notFound" });
    expect(await markAlertRead(db(), { viewer: trainerA(), input: { alertId: alert.a1 }, now: at(20) })).toMatchObject({ ok: false, code: "notFound" });
    expect(await markAlertRead(db(), { viewer: adminA(), input: { alertId: crypto.randomUUID() }, now: at(20) })).toMatchObject({ ok: false, code: "notFound" });
    expect(await markAlertRead(db(), { viewer: adminA(), input: { alertId: "nope" }, now: at(20) })).toMatchObject({ ok: false, code: "notFound" });
    expect(await unreadAlertCount(db(), adminA())).toBe(2);
    expect(await unreadAlertCount(db(), adminB())).toBe(1);
  });

  it("a parallel burst of 'mark read' writes one read, keeps the first time, and leaves others' counts alone", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => markAlertRead(db(), { viewer: adminA(), input: { alertId: alert.a1 }, now: at(30 + i) })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && r.data.marked)).toHaveLength(1);
    expect(await unreadAlertCount(db(), adminA())).toBe(1);
    expect(await unreadAlertCount(db(), consultant())).toBe(4);
    const a1 = (await listUserAlerts(db(), adminA(), { page: 1 })).items.find((i) => i.id === alert.a1)!;
    expect(a1.readAt!.getTime()).toBeGreaterThanOrEqual(at(30).getTime());
  });

  it("'mark all read' of one organisation marks only its alerts; an admin cannot reach another's; a bad slug marks nothing", async () => {
    const before = await unreadAlertCount(db(), consultant());
    expect(await markAllAlertsRead(db(), { viewer: consultant(), input: { tenant: "not a slug!" }, now: at(35) })).toMatchObject({ ok: false, code: "notFound" });
    expect(await markAllAlertsRead(db(), { viewer: adminA(), input: { tenant: "alerts-b" }, now: at(35) })).toEqual({ ok: true, data: { marked: 0 } });
    expect(await unreadAlertCount(db(), adminA(), "alerts-b")).toBe(0);
    expect(await unreadAlertCount(db(), adminB())).toBe(1);
    const ofB = await Promise.all(Array.from({ length: 5 }, () => markAllAlertsRead(db(), { viewer: consultant(), input: { tenant: "alerts-b" }, now: at(36) })));
    expect(ofB.map((r) => (r.ok ? r.data.marked : -1)).reduce((s, n) => s + n, 0)).toBe(1);
    expect(await unreadAlertCount(db(), consultant(), "alerts-b")).toBe(0);
    expect(await unreadAlertCount(db(), consultant())).toBe(before - 1);
    expect(await unreadAlertCount(db(), adminB())).toBe(1);
  });

  it("a parallel burst of 'mark all read' marks each visible alert once for that user only", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => markAllAlertsRead(db(), { viewer: consultant(), now: at(40) })));
    const marked = results.map((r) => (r.ok ? r.data.marked : -1));
    expect(marked.reduce((s, n) => s + n, 0)).toBe(3);
    expect(await unreadAlertCount(db(), consultant())).toBe(0);
    expect(await unreadAlertCount(db(), adminB())).toBe(1);
    expect(await markAllAlertsRead(db(), { viewer: trainerA(), now: at(41) })).toEqual({ ok: true, data: { marked: 0 } });
    await raise(db(), ids.b, "b2", 50);
    expect(await unreadAlertCount(db(), consultant())).toBe(1);
    expect(await unreadAlertCount(db(), adminB())).toBe(2);
    expect(await unreadAlertCount(db(), adminA())).toBe(1);
  });
});
