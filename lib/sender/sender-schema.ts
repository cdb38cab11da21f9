import { z } from "zod";
import { parseDisplayName, parseSingleAddress, type AddressProblem, type DisplayNameProblem } from "../mail/address";
import { freeMailWarning, findFreeMailProviderByDomain } from "./free-mail";
import { DEFAULT_SMTP_PORTS, normalizeHost } from "../mail/ssrf-guard";

/**
 * The sender settings form: one zod schema per input, discriminated by `mode`, used by
 * the form and by the server action alike. Messages are keys (lib/validation/messages.ts
 * for `v.*`, lib/validation/catalog/sender.ts for `sender.*`), turned into text by
 * lib/validation/localize.ts.
 *
 * Inputs may come from FormData: numbers as strings, checkboxes as "on", empty optional
 * fields as "". The preprocessors below accept those, so the same schema serves a JSON
 * body and a plain form post.
 */

export interface SenderProfile {
  /** The operator's noreply addresses (platform profile). */
  noreplyAddresses: readonly string[];
  /** Ports a tenant may use for its own SMTP server; default 25, 465, 587, 2525. */
  allowedPorts?: readonly number[];
}

export interface SenderSchemaContext {
  /**
   * What is stored now for custom_smtp (never the password itself). An empty password
   * field keeps the stored password only while host and user stay the same: otherwise
   * a changed host would receive the stored password of another server.
   */
  storedSmtp?: { host: string; user: string | null; hasPassword: boolean } | null;
}

export const SENDER_MODES = ["platform", "customer_domain", "custom_smtp"] as const;
export type SenderMode = (typeof SENDER_MODES)[number];
export const SMTP_SECURITY = ["tls", "starttls", "none"] as const;

export const RATE_PER_MINUTE_MAX = 10_000;
export const DAILY_QUOTA_MAX = 1_000_000;

const ADDRESS_KEYS: Record<Exclude<AddressProblem, "empty">, string> = {
  crlf: "sender.address.crlf",
  multiple: "sender.address.multiple",
  group: "sender.address.group",
  name_not_allowed: "sender.address.nameNotAllowed",
  malformed: "sender.address.malformed",
  too_long: "sender.address.tooLong",
};
const NAME_KEYS: Record<Exclude<DisplayNameProblem, "empty">, string> = {
  crlf: "sender.displayName.crlf",
  address_like: "sender.displayName.addressLike",
  too_long: "v.tooLong",
};

const emptyToUndefined = (v: unknown) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);

/** One e-mail address, nothing else; output is the normalised address. */
const addressField = () =>
  z.string({ error: "v.required" }).transform((value, ctx) => {
    const r = parseSingleAddress(value);
    if (r.ok) return r.address;
    ctx.addIssue({ code: "custom", message: r.problem === "empty" ? "v.required" : ADDRESS_KEYS[r.problem], input: value });
    return z.NEVER;
  });

const optionalAddressField = () => z.preprocess(emptyToUndefined, addressField().optional());

const displayNameField = () =>
  z.string({ error: "v.required" }).transform((value, ctx) => {
    const r = parseDisplayName(value);
    if (r.ok) return r.name;
    if (r.problem === "too_long") {
      ctx.addIssue({ code: "custom", message: "v.tooLong", params: { maximum: 100 }, input: value });
    } else {
      ctx.addIssue({ code: "custom", message: r.problem === "empty" ? "v.required" : NAME_KEYS[r.problem], input: value });
    }
    return z.NEVER;
  });

/** Integer from a number or a numeric string; "" and missing → "v.required". */
const intField = (min: number, max: number) =>
  z.preprocess(
    (v) => {
      const e = emptyToUndefined(v);
      return typeof e === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(e) ? Number(e) : e;
    },
    z
      .number({ error: (iss) => (iss.input === undefined ? "v.required" : "v.integer") })
      .int({ error: "v.integer" })
      .min(min, { error: "v.tooSmall" })
      .max(max, { error: "v.tooBig" }),
  );

/** Checkbox: true, "on", "true", "1" → true; absent/false → false. */
const checkbox = () =>
  z.preprocess(
    (v) => (v === true || v === "on" || v === "true" || v === "1" ? true : v === undefined || v === null || v === "" || v === false || v === "false" ? false : v),
    z.boolean({ error: "v.invalid" }),
  );

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const throughputShape = {
  ratePerMinute: intField(1, RATE_PER_MINUTE_MAX),
  dailyQuota: intField(1, DAILY_QUOTA_MAX),
};

type Ctx = z.core.$RefinementCtx<unknown>;
type Loose = Record<string, unknown>;

function issue(ctx: Ctx, path: string, message: string, params?: Record<string, string | number>) {
  ctx.addIssue({ code: "custom", message, path: [path], input: undefined, ...(params ? { params } : {}) });
}

function checkThroughput(v: Loose, ctx: Ctx) {
  if (typeof v.ratePerMinute === "number" && typeof v.dailyQuota === "number" && v.dailyQuota < v.ratePerMinute) {
    issue(ctx, "dailyQuota", "sender.quotaBelowRate", { rate: v.ratePerMinute });
  }
}

/**
 * A Reply-To on a consumer provider (replies land in one person's private mailbox,
 * with its small limits) is allowed, but only with an acknowledgement, as for From.
 */
function checkReplyToFreeMail(v: Loose, ctx: Ctx) {
  const warning = typeof v.replyTo === "string" ? freeMailWarning(v.replyTo) : null;
  if (warning && v.acknowledgeFreeMail !== true) {
    issue(ctx, "acknowledgeFreeMail", "sender.acknowledgeFreeMailReplyTo", { provider: warning.provider });
  }
}

/**
 * The settings schema for a platform profile. Cross-field rules run even when some
 * field is invalid (`when: () => true`), so the user sees every problem at once; they
 * read the values defensively for that reason.
 */
export function senderSettingsSchema(profile: SenderProfile, context: SenderSchemaContext = {}) {
  const noreplyByLower = new Map(profile.noreplyAddresses.map((a) => [a.trim().toLowerCase(), a.trim()]));
  const allowedPorts = profile.allowedPorts ?? DEFAULT_SMTP_PORTS;
  const always = { when: () => true };

  const platform = z
    .object({
      mode: z.literal("platform"),
      noreplyAddress: z.preprocess(
        (v) => (typeof v === "string" ? (noreplyByLower.get(v.trim().toLowerCase()) ?? v) : v),
        z.string({ error: "v.required" }).refine((v) => noreplyByLower.has(v.toLowerCase()), { error: "v.choice" }),
      ),
      displayName: displayNameField(),
      replyTo: optionalAddressField(),
      confirmNoReplyTo: checkbox().default(false),
      acknowledgeFreeMail: checkbox().default(false),
      ...throughputShape,
    })
    .superRefine((v: Loose, ctx) => {
      // Replies to a noreply address are lost: saving without Reply-To needs a yes.
      if ((v.replyTo === undefined || v.replyTo === null || v.replyTo === "") && v.confirmNoReplyTo !== true) {
        issue(ctx, "confirmNoReplyTo", "sender.confirmNoReplyTo");
      }
      checkReplyToFreeMail(v, ctx);
      checkThroughput(v, ctx);
    }, always);

  const customerDomain = z
    .object({
      mode: z.literal("customer_domain"),
      fromAddress: addressField(),
      displayName: displayNameField(),
      replyTo: optionalAddressField(),
      acknowledgeFreeMail: checkbox().default(false),
      ...throughputShape,
    })
    .superRefine((v: Loose, ctx) => {
      checkReplyToFreeMail(v, ctx);
      // The domain would need the platform in its SPF record: impossible for gmail.com & co.
      if (typeof v.fromAddress === "string") {
        const provider = findFreeMailProviderByDomain(v.fromAddress.slice(v.fromAddress.lastIndexOf("@") + 1));
        if (provider) issue(ctx, "fromAddress", "sender.customerDomainFreeMail", { provider: provider.name });
      }
      checkThroughput(v, ctx);
    }, always);

  const customSmtp = z
    .object({
      mode: z.literal("custom_smtp"),
      host: z.string({ error: "v.required" }).transform((value, ctx) => {
        if (value.trim() === "") {
          ctx.addIssue({ code: "custom", message: "v.required", input: value });
          return z.NEVER;
        }
        const h = normalizeHost(value);
        if (!h) {
          ctx.addIssue({ code: "custom", message: "sender.host.invalid", input: value });
          return z.NEVER;
        }
        return h;
      }),
      port: intField(1, 65535).refine((p) => allowedPorts.includes(p), {
        error: "sender.port.notAllowed",
        params: { ports: allowedPorts.join(", ") },
      }),
      security: z.enum(SMTP_SECURITY, { error: "v.choice" }),
      user: z.preprocess(
        emptyToUndefined,
        z
          .string()
          .trim()
          .max(320, { error: "v.tooLong" })
          .refine((s) => !CONTROL.test(s), { error: "sender.user.invalid" })
          .optional(),
      ),
      // Write-only: empty means "keep the stored one" (see SenderSchemaContext). Not
      // trimmed — spaces can be part of a password.
      password: z.preprocess(
        (v) => (v === null || v === "" ? undefined : v),
        z
          .string()
          .max(1024, { error: "v.tooLong" })
          .refine((s) => !/[\u0000\r\n]/.test(s), { error: "sender.password.invalid" })
          .optional(),
      ),
      fromAddress: addressField(),
      displayName: displayNameField(),
      replyTo: optionalAddressField(),
      acknowledgeNoTls: checkbox().default(false),
      acknowledgeFreeMail: checkbox().default(false),
      ...throughputShape,
    })
    .superRefine((v: Loose, ctx) => {
      if (v.security === "none" && v.acknowledgeNoTls !== true) issue(ctx, "acknowledgeNoTls", "sender.acknowledgeNoTls");

      const warning =
        (typeof v.host === "string" ? freeMailWarning(v.host) : null) ??
        (typeof v.fromAddress === "string" ? freeMailWarning(v.fromAddress) : null);
      if (warning && v.acknowledgeFreeMail !== true) {
        issue(ctx, "acknowledgeFreeMail", "sender.acknowledgeFreeMail", { provider: warning.provider });
      } else checkReplyToFreeMail(v, ctx);

      const user = typeof v.user === "string" ? v.user : undefined;
      if (typeof v.password === "string" && !user) issue(ctx, "user", "sender.user.required");
      if (user && v.password === undefined && typeof v.host === "string") {
        const stored = context.storedSmtp;
        if (!stored || !stored.hasPassword) {
          issue(ctx, "password", "sender.password.required");
        } else if (stored.host.toLowerCase() !== v.host || (stored.user ?? "") !== user) {
          issue(ctx, "password", "sender.password.reenter");
        }
      }
      checkThroughput(v, ctx);
    }, always);

  return z.discriminatedUnion("mode", [platform, customerDomain, customSmtp], { error: "v.choice" });
}

export type SenderSettingsSchema = ReturnType<typeof senderSettingsSchema>;
/** Parsed, normalised settings (what gets stored; password only when newly entered). */
export type SenderSettings = z.output<SenderSettingsSchema>;
export type SenderSettingsInput = z.input<SenderSettingsSchema>;

/** The 6-digit address-proof code; spaces and dashes typed by the user are ignored. */
export const addressProofCodeSchema = z.preprocess(
  (v) => (typeof v === "string" ? v.replace(/[\s-]/g, "") : v),
  z.string({ error: "v.required" }).regex(/^\d{6}$/, { error: "sender.proofCode" }),
);

/** The recipient of a test mail: one plain address. */
export const testMailRecipientSchema = addressField();
