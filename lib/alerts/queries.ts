import { and, count, desc, eq, inArray, isNotNull, isNull, notExists, sql, type SQL } from "drizzle-orm";
import type { AlertMessage, AlertSeverity } from "../delivery/alerts";
import type { Db } from "../db";
import { can, type Role } from "../auth/policy";
import { ALERTS_PAGE_SIZE } from "./schema";

/**
 * Who sees which alert: the people the alert mail goes to (lib/delivery/alerts.ts).
 * Consultants see every alert (also those of no tenant), admins the alerts of their
 * own tenants, trainers none — an alert asks for a fix in the sender, domain or
 * deliveries, which trainers cannot open. Tenants are read from the memberships table
 * in the same statement, so a removed membership hides the alerts at once.
 */
export interface AlertViewer {
  id: string;
  role: Role;
}

/** The condition on alerts a viewer may see; null when they see none. */
export function visibleAlerts(db: Db, viewer: AlertViewer): SQL | null {
  const a = db.t.alerts;
  const m = db.t.memberships;
  if (!can(viewer, "alerts.view")) return null;
  if (viewer.role === "consultant") return sql`true`;
  return inArray(a.tenantId, db.orm.select({ tenantId: m.tenantId }).from(m).where(eq(m.userId, viewer.id)));
}

/** Only the alerts of the tenant with this slug; no condition without one. */
function ofTenant(db: Db, slug: string | undefined): SQL | undefined {
  if (!slug) return undefined;
  const a = db.t.alerts;
  const t = db.t.tenants;
  return inArray(a.tenantId, db.orm.select({ id: t.id }).from(t).where(eq(t.slug, slug)));
}

/**
 * The tenant the list is narrowed to, when this viewer may see its alerts (consultants:
 * every tenant; admins: their own). Null for a tenant that does not exist or is not
 * theirs: the same answer, so a slug reveals nothing.
 */
export async function alertTenantFor(db: Db, viewer: AlertViewer, slug: string): Promise<{ id: string; slug: string; name: string } | null> {
  if (!can(viewer, "alerts.view")) return null;
  const t = db.t.tenants;
  const m = db.t.memberships;
  const mine = viewer.role === "consultant" ? undefined : inArray(t.id, db.orm.select({ tenantId: m.tenantId }).from(m).where(eq(m.userId, viewer.id)));
  const [row] = await db.orm.select({ id: t.id, slug: t.slug, name: t.name }).from(t).where(and(eq(t.slug, slug), mine));
  return row ?? null;
}

function unread(db: Db, userId: string): SQL {
  const a = db.t.alerts;
  const r = db.t.alertReads;
  return notExists(db.orm.select({ one: sql`1` }).from(r).where(and(eq(r.alertId, a.id), eq(r.userId, userId))));
}

/** How many alerts this viewer may see and has not read (of one tenant, given its slug): one query. */
export async function unreadAlertCount(db: Db, viewer: AlertViewer, tenant?: string): Promise<number> {
  const visible = visibleAlerts(db, viewer);
  if (!visible) return 0;
  const a = db.t.alerts;
  const [row] = await db.orm.select({ n: count() }).from(a).where(and(visible, unread(db, viewer.id), ofTenant(db, tenant)));
  return Number(row?.n ?? 0);
}

export interface AlertListItem {
  id: string;
  tenant: { slug: string; name: string } | null;
  kind: string;
  severity: AlertSeverity;
  message: AlertMessage;
  detail: string | null;
  link: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
  readAt: Date | null;
}

/** One page of the viewer's alerts (of one tenant, given its slug): open before resolved, newest first. */
export async function listUserAlerts(
  db: Db,
  viewer: AlertViewer,
  p: { page: number; pageSize?: number; tenant?: string },
): Promise<{ items: AlertListItem[]; hasMore: boolean }> {
  const visible = visibleAlerts(db, viewer);
  if (!visible) return { items: [], hasMore: false };
  const size = p.pageSize ?? ALERTS_PAGE_SIZE;
  const a = db.t.alerts;
  const r = db.t.alertReads;
  const t = db.t.tenants;
  const rows = await db.orm
    .select({
      id: a.id,
      kind: a.kind,
      severity: a.severity,
      message: a.message,
      detail: a.detail,
      link: a.link,
      createdAt: a.createdAt,
      resolvedAt: a.resolvedAt,
      readAt: r.readAt,
      tenantSlug: t.slug,
      tenantName: t.name,
    })
    .from(a)
    .leftJoin(r, and(eq(r.alertId, a.id), eq(r.userId, viewer.id)))
    .leftJoin(t, eq(t.id, a.tenantId))
    .where(and(visible, ofTenant(db, p.tenant)))
    .orderBy(sql`case when ${a.resolvedAt} is null then 0 else 1 end`, desc(a.createdAt), desc(a.id))
    .limit(size + 1)
    .offset((p.page - 1) * size);
  const items = rows.slice(0, size).map((row) => ({
    id: row.id,
    tenant: row.tenantSlug !== null && row.tenantName !== null ? { slug: row.tenantSlug, name: row.tenantName } : null,
    kind: row.kind,
    severity: row.severity,
    message: row.message as AlertMessage,
    detail: row.detail,
    link: row.link,
    createdAt: row.createdAt,
    resolvedAt: row.resolvedAt,
    readAt: row.readAt,
  }));
  return { items, hasMore: rows.length > size };
}

/** The ids of the alerts this viewer may see and has not read (of one tenant, given its slug). */
export async function unreadVisibleIds(db: Db, viewer: AlertViewer, tenant?: string): Promise<string[]> {
  const visible = visibleAlerts(db, viewer);
  if (!visible) return [];
  const a = db.t.alerts;
  const rows = await db.orm
    .select({ id: a.id })
    .from(a)
    .where(and(visible, unread(db, viewer.id), ofTenant(db, tenant)));
  return rows.map((row) => row.id);
}

/** Open (unresolved) alerts per tenant, one grouped statement for all tenants (the review board). */
export async function openAlertCountsByTenant(db: Db, params: { tenantIds?: string[] } = {}): Promise<Map<string, number>> {
  if (params.tenantIds?.length === 0) return new Map();
  const a = db.t.alerts;
  const rows = await db.orm
    .select({ tenantId: a.tenantId, n: count() })
    .from(a)
    .where(and(isNull(a.resolvedAt), isNotNull(a.tenantId), params.tenantIds ? inArray(a.tenantId, params.tenantIds) : undefined))
    .groupBy(a.tenantId);
  return new Map(rows.map((r) => [r.tenantId!, Number(r.n)]));
}
