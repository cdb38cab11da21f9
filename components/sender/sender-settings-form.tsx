"use client";

import { useLocale, useTranslations } from "next-intl";
import { startTransition, useActionState, useState } from "react";
import type { ActionResult } from "@/lib/action-result";
import type { Locale } from "@/lib/i18n/locale";
import { freeMailWarning } from "@/lib/sender/free-mail";
import { describeLearnerWave } from "@/lib/sender/throughput";
import { Field, FormStatus } from "../field";

type Action = (prev: ActionResult<{ mode: string }> | null, form: FormData) => Promise<ActionResult<{ mode: string }>>;
type Mode = "platform" | "customer_domain" | "custom_smtp";

export interface SenderFormInitial {
  /** Changes with every save (the settings' updatedAt): the form is rebuilt from what was saved. */
  version: string;
  mode: Mode;
  noreplyAddress: string;
  displayName: string;
  replyTo: string;
  fromAddress: string;
  host: string;
  port: string;
  security: "tls" | "starttls" | "none";
  user: string;
  hasPassword: boolean;
  ratePerMinute: string;
  dailyQuota: string;
  confirmNoReplyTo: boolean;
  acknowledgeFreeMail: boolean;
  acknowledgeNoTls: boolean;
}

export interface PresetOption {
  id: string;
  label: string;
  note: string;
  ratePerMinute: number;
  dailyQuota: number;
}

const MODES: Mode[] = ["platform", "customer_domain", "custom_smtp"];

interface Props {
  action: Action;
  tenantSlug: string;
  initial: SenderFormInitial;
  noreplyAddresses: string[];
  presets: PresetOption[];
  /** The tenant's active learners: the wave is one reminder to each (an example while there are none). */
  learnerCount: number;
}

/**
 * The sender settings form: one mode at a time, the same fields the server schema checks.
 * The fields are keyed on the saved version, so after every save they are rebuilt from
 * the saved values (radio buttons included). Submitting through startTransition instead
 * of the form's action attribute keeps React from resetting the DOM to the first render's
 * defaults, which left the mode radio on the old mode while the state showed the new one.
 */
export function SenderSettingsForm(props: Props) {
  const t = useTranslations("sender");
  const [state, formAction, pending] = useActionState(props.action, null);
  // Each submission empties the password field again: it is write-only.
  const [submissions, setSubmissions] = useState(0);
  return (
    <form
      action={formAction}
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        setSubmissions((n) => n + 1);
        startTransition(() => formAction(data));
      }}
      className="space-y-6"
      noValidate
      data-testid="sender-form"
    >
      <input type="hidden" name="tenantSlug" value={props.tenantSlug} />
      <SenderFields key={props.initial.version} {...props} submissions={submissions} errors={state && !state.ok ? (state.fieldErrors ?? {}) : {}} />
      <div className="space-y-3">
        <FormStatus state={state} />
        <button type="submit" className="btn-primary" disabled={pending} aria-busy={pending}>
          {pending ? t("saving") : t("save")}
        </button>
      </div>
    </form>
  );
}

function SenderFields({
  initial,
  noreplyAddresses,
  presets,
  learnerCount,
  errors,
  submissions,
}: Props & { errors: Record<string, string>; submissions: number }) {
  const t = useTranslations("sender");
  const locale = useLocale() as Locale;
  const [v, setV] = useState(initial);
  const set = <K extends keyof SenderFormInitial>(key: K, value: SenderFormInitial[K]) => setV((old) => ({ ...old, [key]: value }));
  const text = (key: keyof SenderFormInitial) => ({
    value: String(v[key]),
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => set(key, e.target.value as never),
  });

  const warnings = [
    v.mode === "custom_smtp" ? freeMailWarning(v.host) : null,
    v.mode !== "platform" ? freeMailWarning(v.fromAddress) : null,
  ].filter((w) => w !== null);
  const replyToWarning = freeMailWarning(v.replyTo);
  const needsFreeMailAck = warnings.length > 0 || !!replyToWarning || !!errors.acknowledgeFreeMail;
  const rate = Number(v.ratePerMinute);
  const quota = Number(v.dailyQuota);
  const waveText =
    Number.isInteger(rate) && rate > 0 && Number.isInteger(quota) && quota > 0
      ? describeLearnerWave(learnerCount, rate, quota, locale)
      : t("waveInvalid");

  const addressInput = (key: "replyTo" | "fromAddress", label: string, hint?: string) => (
    <Field id={`sender-${key}`} label={label} hint={hint} error={errors[key]}>
      {(p) => <input {...p} name={key} type="email" className="input" autoComplete="off" spellCheck={false} {...text(key)} />}
    </Field>
  );
  const displayName = (
    <Field id="sender-displayName" label={t("displayName")} hint={t("displayNameHint")} error={errors.displayName}>
      {(p) => <input {...p} name="displayName" className="input" autoComplete="off" {...text("displayName")} />}
    </Field>
  );
  const checkbox = (key: "confirmNoReplyTo" | "acknowledgeFreeMail" | "acknowledgeNoTls", label: string) => (
    <div>
      <label className="flex items-start gap-2 text-sm text-slate-900" htmlFor={`sender-${key}`}>
        <input
          id={`sender-${key}`}
          name={key}
          type="checkbox"
          className="mt-0.5 h-4 w-4"
          checked={v[key]}
          onChange={(e) => set(key, e.target.checked)}
          aria-invalid={errors[key] ? true : undefined}
          aria-describedby={errors[key] ? `sender-${key}-error` : undefined}
        />
        <span>{label}</span>
      </label>
      {errors[key] ? (
        <p id={`sender-${key}-error`} className="mt-1 text-sm text-red-800" data-field-error>
          {errors[key]}
        </p>
      ) : null}
    </div>
  );

  return (
    <>
      <fieldset>
        <legend className="text-sm font-medium text-slate-900">{t("modeLegend")}</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-3">
          {MODES.map((m) => (
            <label
              key={m}
              className={`flex cursor-pointer items-start gap-2 rounded-md border p-3 text-sm ${v.mode === m ? "border-brand-700 bg-brand-50" : "border-slate-300 bg-white"}`}
            >
              <input type="radio" name="mode" value={m} checked={v.mode === m} onChange={() => set("mode", m)} className="mt-0.5 h-4 w-4" />
              <span>
                <span className="block font-medium">{t(`modes.${m}.title`)}</span>
                <span className="block text-slate-700">{t(`modes.${m}.short`)}</span>
              </span>
            </label>
          ))}
        </div>
        {errors.mode ? <p className="mt-1 text-sm text-red-800">{errors.mode}</p> : null}
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-2">
        {v.mode === "platform" ? (
          <>
            <Field id="sender-noreplyAddress" label={t("noreplyAddress")} hint={t("noreplyAddressHint")} error={errors.noreplyAddress}>
              {(p) => (
                <select {...p} name="noreplyAddress" className="input" {...text("noreplyAddress")}>
                  {noreplyAddresses.map((a) => (
                    <option key={a} value={a}>
                      {a}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {displayName}
            {addressInput("replyTo", t("replyTo"), t("replyToHintPlatform"))}
          </>
        ) : null}
        {v.mode === "customer_domain" ? (
          <>
            {addressInput("fromAddress", t("fromAddress"), t("fromAddressHintDomain"))}
            {displayName}
            {addressInput("replyTo", t("replyTo"), t("replyToHint"))}
          </>
        ) : null}
        {v.mode === "custom_smtp" ? (
          <>
            <Field id="sender-host" label={t("host")} hint={t("hostHint")} error={errors.host}>
              {(p) => <input {...p} name="host" className="input" autoComplete="off" spellCheck={false} {...text("host")} />}
            </Field>
            <Field id="sender-port" label={t("port")} hint={t("portHint")} error={errors.port}>
              {(p) => <input {...p} name="port" inputMode="numeric" className="input" autoComplete="off" {...text("port")} />}
            </Field>
            <Field id="sender-security" label={t("security")} hint={t("securityHint")} error={errors.security}>
              {(p) => (
                <select {...p} name="security" className="input" {...text("security")}>
                  <option value="starttls">{t("securityOptions.starttls")}</option>
                  <option value="tls">{t("securityOptions.tls")}</option>
                  <option value="none">{t("securityOptions.none")}</option>
                </select>
              )}
            </Field>
            <Field id="sender-user" label={t("user")} hint={t("userHint")} error={errors.user}>
              {(p) => <input {...p} name="user" className="input" autoComplete="off" spellCheck={false} {...text("user")} />}
            </Field>
            <Field
              id="sender-password"
              label={t("password")}
              hint={initial.hasPassword ? t("passwordHintStored") : t("passwordHint")}
              error={errors.password}
            >
              {/* Write-only: never prefilled, the stored password never reaches the browser. */}
              {(p) => <input {...p} key={submissions} name="password" type="password" className="input" autoComplete="new-password" />}
            </Field>
            {addressInput("fromAddress", t("fromAddress"), t("fromAddressHintSmtp"))}
            {displayName}
            {addressInput("replyTo", t("replyTo"), t("replyToHint"))}
          </>
        ) : null}
      </div>

      {v.mode === "platform" && v.replyTo.trim() === "" ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3" data-testid="no-reply-to-warning">
          <p className="text-sm text-amber-950">{t("noReplyToWarning")}</p>
          <div className="mt-2">{checkbox("confirmNoReplyTo", t("confirmNoReplyTo"))}</div>
        </div>
      ) : null}

      {v.mode === "custom_smtp" && v.security === "none" ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3" data-testid="no-tls-warning">
          <p className="text-sm text-amber-950">{t("noTlsWarning")}</p>
          <div className="mt-2">{checkbox("acknowledgeNoTls", t("acknowledgeNoTls"))}</div>
        </div>
      ) : null}

      {needsFreeMailAck ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3" data-testid="free-mail-warning">
          <h3 className="text-sm font-semibold text-amber-950">{t("freeMailTitle")}</h3>
          {warnings.map((w) => (
            <p key={w.matched} className="mt-1 text-sm text-amber-950">
              {w.text[locale]}
            </p>
          ))}
          {replyToWarning ? <p className="mt-1 text-sm text-amber-950">{t("freeMailReplyTo", { provider: replyToWarning.provider })}</p> : null}
          <div className="mt-2">{checkbox("acknowledgeFreeMail", t("acknowledgeFreeMail"))}</div>
        </div>
      ) : null}

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium text-slate-900">{t("throughputLegend")}</legend>
        <p className="text-sm text-slate-700">{t("throughputIntro")}</p>
        <div className="grid gap-4 sm:grid-cols-3">
          {/* Provider presets (Google Workspace …) describe the tenant's own provider: meaningless on the platform's address. */}
          {v.mode === "platform" ? null : (
          <Field id="sender-preset" label={t("preset")} hint={t("presetHint")}>
            {(p) => (
              <select
                {...p}
                className="input"
                value={presets.find((x) => String(x.ratePerMinute) === v.ratePerMinute && String(x.dailyQuota) === v.dailyQuota)?.id ?? ""}
                onChange={(e) => {
                  const preset = presets.find((x) => x.id === e.target.value);
                  if (preset) setV((old) => ({ ...old, ratePerMinute: String(preset.ratePerMinute), dailyQuota: String(preset.dailyQuota) }));
                }}
              >
                <option value="">{t("presetCustom")}</option>
                {presets.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          )}
          <Field id="sender-ratePerMinute" label={t("ratePerMinute")} error={errors.ratePerMinute}>
            {(p) => <input {...p} name="ratePerMinute" inputMode="numeric" className="input" autoComplete="off" {...text("ratePerMinute")} />}
          </Field>
          <Field id="sender-dailyQuota" label={t("dailyQuota")} error={errors.dailyQuota}>
            {(p) => <input {...p} name="dailyQuota" inputMode="numeric" className="input" autoComplete="off" {...text("dailyQuota")} />}
          </Field>
        </div>
        <p className="text-sm text-slate-800" data-testid="wave-estimate" aria-live="polite">
          {waveText}
        </p>
      </fieldset>
    </>
  );
}
