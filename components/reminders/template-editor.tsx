"use client";

import { useTranslations } from "next-intl";
import { useRef } from "react";
import type { Locale } from "@/lib/i18n/locale";
import type { TemplateSet, TemplateVariant } from "@/lib/reminders/plan-schema";
import { Field } from "../field";


const LOCALES: Locale[] = ["de", "en"];
const MAX_VARIANTS = 3;

type Target = { locale: Locale; index: number; part: "subject" | "body" };

/**
 * The unknown placeholder and the one probably meant, read from the field's message
 * ("… {{lernerFirstName}} … {{learnerFirstName}}?"): the server words it, in either
 * language, with the unknown name first and the suggestion second.
 */
export function parseDidYouMean(message: string | undefined): { name: string; suggestion: string } | null {
  if (!message) return null;
  const names = [...message.matchAll(/\{\{([^{}]+)\}\}/g)].map((m) => m[1]!);
  return names.length === 2 && names[0] !== names[1] ? { name: names[0]!, suggestion: names[1]! } : null;
}

/** Every `{{ name }}` (any spacing) in the text becomes `{{suggestion}}`. */
export function replacePlaceholder(text: string, name: string, suggestion: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(`\\{\\{\\s*${escaped}\\s*\\}\\}`, "g"), `{{${suggestion}}}`);
}

export const fieldId = (locale: Locale, index: number, part: "subject" | "body") => `tpl-${locale}-${index}-${part}`;

/** Subject and text per language, 1–3 variants, with the placeholders to insert. */
export function TemplateEditor({
  templates,
  variables,
  onChange,
  errors,
}: {
  templates: TemplateSet;
  /** TEMPLATE_VARIABLES, handed down by the page (importing it here would bundle mustache). */
  variables: readonly string[];
  onChange: (next: TemplateSet) => void;
  errors: Record<string, string | undefined>;
}) {
  const t = useTranslations("reminders.templates");
  const last = useRef<Target | null>(null);

  const update = (locale: Locale, index: number, patch: Partial<TemplateVariant>) => {
    const list = templates[locale].map((v, i) => (i === index ? { ...v, ...patch } : v));
    onChange({ ...templates, [locale]: list });
  };
  const add = (locale: Locale) => {
    const source = templates[locale][templates[locale].length - 1] ?? { subject: "", body: "" };
    onChange({ ...templates, [locale]: [...templates[locale], { ...source }] });
  };
  const remove = (locale: Locale, index: number) => {
    onChange({ ...templates, [locale]: templates[locale].filter((_, i) => i !== index) });
    last.current = null;
  };

  const replaceName = (locale: Locale, index: number, part: "subject" | "body", name: string, suggestion: string) => {
    const current = templates[locale][index]?.[part] ?? "";
    update(locale, index, { [part]: replacePlaceholder(current, name, suggestion) });
    requestAnimationFrame(() => document.getElementById(fieldId(locale, index, part))?.focus());
  };
  const fix = (locale: Locale, index: number, part: "subject" | "body") => {
    const didYouMean = parseDidYouMean(errors[`templates.${locale}.${index}.${part}`]);
    if (!didYouMean) return null;
    const { name, suggestion } = didYouMean;
    return (
      <button
        type="button"
        className="btn-secondary mt-1 px-2 py-1 text-xs"
        onClick={() => replaceName(locale, index, part, name, suggestion)}
        title={t("fixSuggestionHint", { name: `{{${name}}}`, suggestion: `{{${suggestion}}}` })}
      >
        {t("fixSuggestion", { suggestion: `{{${suggestion}}}` })}
      </button>
    );
  };

  const insert = (name: string) => {
    const target = last.current ?? (templates.de.length ? { locale: "de" as const, index: 0, part: "body" as const } : null);
    const fallback = target ?? (templates.en.length ? { locale: "en" as const, index: 0, part: "body" as const } : null);
    if (!fallback) return;
    const el = document.getElementById(fieldId(fallback.locale, fallback.index, fallback.part)) as
      | HTMLInputElement
      | HTMLTextAreaElement
      | null;
    const current = templates[fallback.locale][fallback.index]?.[fallback.part] ?? "";
    const start = el?.selectionStart ?? current.length;
    const end = el?.selectionEnd ?? current.length;
    const token = `{{${name}}}`;
    update(fallback.locale, fallback.index, { [fallback.part]: current.slice(0, start) + token + current.slice(end) });
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(start + token.length, start + token.length);
    });
  };

  return (
    <div className="space-y-5">
      <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
        <h3 id="variables-heading" className="text-sm font-semibold">
          {t("variables")}
        </h3>
        <p className="mt-0.5 text-xs text-slate-700">{t("variablesHint", { example: "{{vorname}}" })}</p>
        <ul className="mt-2 flex flex-wrap gap-2" aria-labelledby="variables-heading">
          {variables.map((name) => (
            <li key={name}>
              <button
                type="button"
                className="flex flex-col items-start rounded border border-slate-400 bg-white px-2 py-1 text-left text-sm text-slate-900 hover:bg-slate-100"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => insert(name)}
                aria-label={t("insert", { variable: `{{${name}}}`, meaning: t(`variable.${name}`) })}
              >
                <span>{t(`variable.${name}`)}</span>
                <code className="text-xs text-slate-600">{`{{${name}}}`}</code>
              </button>
            </li>
          ))}
        </ul>
      </div>
      {errors["templates.de"] ? (
        <p className="text-sm text-red-800" data-field-error>
          {errors["templates.de"]}
        </p>
      ) : null}
      {LOCALES.map((locale) => (
        <fieldset key={locale} className="space-y-4 rounded-md border border-slate-200 p-4">
          <legend className="px-1 text-sm font-semibold">{t(`language.${locale}`)}</legend>
          {errors[`templates.${locale}`] && locale !== "de" ? (
            <p className="text-sm text-red-800">{errors[`templates.${locale}`]}</p>
          ) : null}
          {templates[locale].length === 0 ? <p className="text-sm text-slate-700">{t("noVariants")}</p> : null}
          {templates[locale].map((variant, index) => (
            <div key={index} className="space-y-3 border-b border-slate-200 pb-4 last:border-b-0 last:pb-0">
              <div className="flex items-center justify-between gap-2">
                <h4 className="text-sm font-semibold">{t("variant", { n: index + 1 })}</h4>
                <button
                  type="button"
                  className="btn-secondary px-2 py-1 text-xs"
                  onClick={() => remove(locale, index)}
                  aria-label={t("removeVariant", { n: index + 1, language: t(`language.${locale}`) })}
                >
                  {t("remove")}
                </button>
              </div>
              <Field
                id={fieldId(locale, index, "subject")}
                label={t("subjectOf", { n: index + 1, language: t(`language.${locale}`) })}
                error={errors[`templates.${locale}.${index}.subject`]}
              >
                {(p) => (
                  <input
                    {...p}
                    className="input"
                    value={variant.subject}
                    onFocus={() => (last.current = { locale, index, part: "subject" })}
                    onChange={(e) => update(locale, index, { subject: e.target.value })}
                  />
                )}
              </Field>
              {fix(locale, index, "subject")}
              <Field
                id={fieldId(locale, index, "body")}
                label={t("bodyOf", { n: index + 1, language: t(`language.${locale}`) })}
                error={errors[`templates.${locale}.${index}.body`]}
              >
                {(p) => (
                  <textarea
                    {...p}
                    className="input font-mono"
                    rows={9}
                    value={variant.body}
                    onFocus={() => (last.current = { locale, index, part: "body" })}
                    onChange={(e) => update(locale, index, { body: e.target.value })}
                  />
                )}
              </Field>
              {fix(locale, index, "body")}
            </div>
          ))}
          {templates[locale].length < MAX_VARIANTS ? (
            <button type="button" className="btn-secondary" onClick={() => add(locale)}>
              {t("addVariant", { language: t(`language.${locale}`) })}
            </button>
          ) : (
            <p className="text-xs text-slate-600">{t("maxVariants")}</p>
          )}
        </fieldset>
      ))}
    </div>
  );
}
