import { z } from "zod";
import { instantSchema } from "../learners/schema";

/** The states of an outbox row (lib/db/schema: deliveries.status). */
export const DELIVERY_STATUSES = ["planned", "sending", "retrying", "deferred", "sent", "failed", "cancelled"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** An opaque keyset position: base64url of `[updatedAt ms, id]`. */
export function encodeDeliveryCursor(updatedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([updatedAt.getTime(), id])).toString("base64url");
}

export function decodeDeliveryCursor(cursor: string): { updatedAt: Date; id: string } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [ms, id] = value as unknown[];
    if (typeof ms !== "number" || !Number.isSafeInteger(ms) || typeof id !== "string" || id.length > 100) return null;
    const updatedAt = new Date(ms);
    return Number.isNaN(updatedAt.getTime()) ? null : { updatedAt, id };
  } catch {
    return null;
  }
}

/**
 * GET /api/v1/deliveries: the tenant's outbox rows changed at or after `since`, oldest
 * change first, so a poller keeps the last `updatedAt` it saw (or follows `nextCursor`).
 */
export const deliveryListQuerySchema = z.object({
  since: instantSchema.optional(),
  status: z.enum(DELIVERY_STATUSES, { error: "v.choice" }).optional(),
  cursor: z
    .string()
    .max(500, { error: "v.tooLong" })
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || decodeDeliveryCursor(v) !== null, { error: "v.invalid" }),
  limit: z.coerce.number({ error: "v.integer" }).int({ error: "v.integer" }).min(1, { error: "v.tooSmall" }).max(500, { error: "v.tooBig" }).default(100),
});
export type DeliveryListQuery = z.output<typeof deliveryListQuerySchema>;
