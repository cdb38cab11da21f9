import { z } from "zod";

/** Marking one alert read: the form sends the alert's id. */
export const markAlertReadSchema = z.object({ alertId: z.uuid() });

/** Marking every visible alert read: nothing to send. */
export const markAllAlertsReadSchema = z.object({});

/** The list's page (1-based) from the URL; anything else is page 1. */
export const alertPageSchema = z.coerce.number().int().min(1).max(10_000).catch(1);

export const ALERTS_PAGE_SIZE = 20;
