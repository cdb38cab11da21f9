import { z } from "zod";
import { tenantSlugSchema } from "../tenants/schema";

/** Marking one alert read: the form sends the alert's id. */
export const markAlertReadSchema = z.object({ alertId: z.uuid() });

/**
 * Marking every visible alert read; with a tenant's slug, only that tenant's (the list
 * narrowed to one organisation marks what it shows).
 */
export const markAllAlertsReadSchema = z.object({ tenant: tenantSlugSchema.optional() });

/** The list narrowed to one organisation (the review board's link); anything not a slug is no narrowing. */
export const alertTenantParamSchema = tenantSlugSchema.optional().catch(undefined);

/** The list's page (1-based) from the URL; anything else is page 1. */
export const alertPageSchema = z.coerce.number().int().min(1).max(10_000).catch(1);

export const ALERTS_PAGE_SIZE = 20;
