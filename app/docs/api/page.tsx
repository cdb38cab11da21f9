import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { AppHeader } from "@/components/app-header";
import { headerAlerts } from "@/app/_server/header-alerts";
import { ScrollTable } from "@/components/scroll-table";
import { openApiDocument } from "@/lib/api/openapi";
import { referenceOperations, referenceProblems, referenceSchemas, type ReferenceField } from "@/lib/api/reference";
import { config } from "@/lib/config/platform-profile";
import { isLocale } from "@/lib/i18n/locale";
import { requireActor } from "@/app/_server/guard";
import { setLocaleAction } from "@/app/_server/locale-action";

export const metadata: Metadata = { title: "API" };

const METHOD_COLORS: Record<string, string> = {
  GET: "bg-sky-100 text-sky-900",
  PUT: "bg-amber-100 text-amber-900",
  POST: "bg-emerald-100 text-emerald-900",
  DELETE: "bg-red-100 text-red-900",
};

const cell = "py-2 pr-4 align-top";

/** The document's texts mark code with backticks (as Markdown does); shown as <code>. */
function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split(/`([^`]+)`/).map((part, i) =>
        i % 2 ? (
          <code key={i} className="rounded bg-slate-100 px-1 font-mono text-[0.9em]">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

async function FieldTable({ label, fields, withIn }: { label: string; fields: (ReferenceField & { in?: string })[]; withIn?: boolean }) {
  const t = await getTranslations("apiDocs");
  return (
    <ScrollTable label={label}>
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-700">
          <tr>
            <th scope="col" className={`${cell} font-medium`}>{t("name")}</th>
            {withIn ? <th scope="col" className={`${cell} font-medium`}>{t("in")}</th> : null}
            <th scope="col" className={`${cell} font-medium`}>{t("type")}</th>
            <th scope="col" className={`${cell} font-medium`}>{t("required")}</th>
            <th scope="col" className={`${cell} font-medium`}>{t("description")}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr key={f.name} className="border-b border-slate-100">
              <td className={cell}><code className="font-mono text-xs">{f.name}</code></td>
              {withIn ? <td className={cell}>{f.in === "path" ? t("inPath") : t("inQuery")}</td> : null}
              <td className={cell}><code className="font-mono text-xs">{f.type}</code></td>
              <td className={cell}>{f.required ? t("yes") : t("no")}</td>
              <td className={cell}><Prose text={f.description} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

/**
 * The API reference, rendered on the server from the generated OpenAPI document
 * (lib/api/openapi.ts): no client script, no external assets. Any signed-in user.
 */
export default async function ApiDocsPage() {
  const { actor } = await requireActor();
  const t = await getTranslations("apiDocs");
  const raw = await getLocale();
  const locale = isLocale(raw) ? raw : "de";
  const doc = openApiDocument();
  const operations = referenceOperations(doc, locale);
  const rate = config().API_RATE_PER_MINUTE;
  const problems = referenceProblems(locale, { ratePerMinute: rate });
  const schemaNames = [...new Set(operations.flatMap((op) => op.responses.map((r) => r.schema).filter((s): s is string => !!s)))];
  const schemas = referenceSchemas(doc, locale, schemaNames);
  const tags = [...new Set(operations.map((op) => op.tag))];

  return (
    <>
      <AppHeader actor={actor} unreadAlerts={await headerAlerts(actor)} setLocale={setLocaleAction} />
      <main id="main" className="mx-auto max-w-6xl space-y-8 px-6 py-8">
        <div className="space-y-2">
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          <p className="text-slate-700">{t("intro")}</p>
          <p>
            <a className="link" href="/api/v1/openapi.json">{t("openApiLink")}</a>
          </p>
        </div>

        <nav aria-labelledby="toc-heading" className="card">
          <h2 id="toc-heading" className="text-lg font-semibold">{t("toc")}</h2>
          <ul className="mt-3 space-y-3">
            <li><a className="link" href="#authentication">{t("authTitle")}</a></li>
            {tags.map((tag) => (
              <li key={tag}>
                <span className="font-medium">{t(`tags.${tag}` as "tags.Learners")}</span>
                <ul className="ml-4 mt-1 space-y-1">
                  {operations.filter((op) => op.tag === tag).map((op) => (
                    <li key={op.anchor}>
                      <a className="link" href={`#${op.anchor}`}>
                        <span className="font-mono text-xs">{op.method} {op.path}</span>
                      </a>{" "}
                      <span className="text-slate-700">– {op.summary}</span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
            <li><a className="link" href="#errors">{t("errorsTitle")}</a></li>
            <li><a className="link" href="#schemas">{t("schemasTitle")}</a></li>
          </ul>
        </nav>

        <section id="authentication" aria-labelledby="authentication-heading" className="card space-y-2">
          <h2 id="authentication-heading" className="text-lg font-semibold">{t("authTitle")}</h2>
          <p>{t("authText")}</p>
          <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-sm text-slate-50"><code>Authorization: Bearer pst_…</code></pre>
          <p>{t("limitsText", { rate })}</p>
        </section>

        {operations.map((op) => (
          <section key={op.anchor} id={op.anchor} aria-labelledby={`${op.anchor}-heading`} className="card space-y-4">
            <div>
              <h2 id={`${op.anchor}-heading`} className="flex flex-wrap items-center gap-2 text-lg font-semibold">
                <span className={`rounded px-2 py-0.5 font-mono text-sm ${METHOD_COLORS[op.method] ?? ""}`}>{op.method}</span>
                <span className="font-mono text-base">{op.path}</span>
              </h2>
              <p className="mt-1 font-medium">{op.summary}</p>
              <p className="mt-1 text-slate-700"><Prose text={op.description} /></p>
              <p className="mt-1 text-sm text-slate-700">
                {t("auth")}: {op.auth ? t("authBearer") : t("authNone")}
              </p>
            </div>
            {op.params.length ? (
              <div className="space-y-2">
                <h3 className="font-semibold">{t("parameters")}</h3>
                <FieldTable label={`${t("parameters")}: ${op.method} ${op.path}`} fields={op.params} withIn />
              </div>
            ) : null}
            {op.bodyFields.length ? (
              <div className="space-y-2">
                <h3 className="font-semibold">{t("requestBody")}</h3>
                <FieldTable label={`${t("requestBody")}: ${op.method} ${op.path}`} fields={op.bodyFields} />
              </div>
            ) : null}
            <div className="space-y-2">
              <h3 className="font-semibold">{t("responses")}</h3>
              <ScrollTable label={`${t("responses")}: ${op.method} ${op.path}`}>
                <table className="w-full text-left text-sm">
                  <thead className="border-b border-slate-200 text-slate-700">
                    <tr>
                      <th scope="col" className={`${cell} font-medium`}>{t("status")}</th>
                      <th scope="col" className={`${cell} font-medium`}>{t("description")}</th>
                      <th scope="col" className={`${cell} font-medium`}>{t("body")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {op.responses.map((r) => (
                      <tr key={r.status} className="border-b border-slate-100">
                        <td className={`${cell} font-mono`}>{r.status}</td>
                        <td className={cell}><Prose text={r.description} /></td>
                        <td className={cell}>
                          {r.schema ? (
                            <a className="link font-mono text-xs" href={`#schema-${r.schema}`}>{r.schema}</a>
                          ) : r.problemAnchor ? (
                            <a className="link font-mono text-xs" href={`#${r.problemAnchor}`}>Problem</a>
                          ) : (
                            "JSON"
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
            </div>
            <div className="space-y-2">
              <h3 className="font-semibold">{t("example")}</h3>
              <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-sm text-slate-50" tabIndex={0}>
                <code>{op.curl}</code>
              </pre>
            </div>
          </section>
        ))}

        <section id="errors" aria-labelledby="errors-heading" className="card space-y-3">
          <h2 id="errors-heading" className="text-lg font-semibold">{t("errorsTitle")}</h2>
          <p>{t("errorsText")}</p>
          <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-sm text-slate-50" tabIndex={0}>
            <code>
              {JSON.stringify(
                {
                  type: "/docs/api#problem-invalid",
                  title: problems.find((p) => p.kind === "invalid")?.title,
                  status: 422,
                  detail: problems.find((p) => p.kind === "invalid")?.detail,
                  errors: [{ field: "learners[3].email", pointer: "/learners/3/email", message: t("exampleMessage") }],
                },
                null,
                2,
              )}
            </code>
          </pre>
          <dl className="space-y-2">
            {problems.map((p) => (
              <div key={p.kind} id={p.anchor}>
                <dt className="font-medium">
                  <span className="font-mono">{p.status}</span> {p.title}
                </dt>
                <dd className="text-slate-700"><Prose text={p.detail} /></dd>
              </div>
            ))}
          </dl>
        </section>

        <section id="schemas" aria-labelledby="schemas-heading" className="card space-y-4">
          <h2 id="schemas-heading" className="text-lg font-semibold">{t("schemasTitle")}</h2>
          <p>{t("schemasText")}</p>
          {schemas.map((s) => (
            <div key={s.name} id={`schema-${s.name}`} className="space-y-2">
              <h3 className="font-mono font-semibold">{s.name}</h3>
              <FieldTable label={s.name} fields={s.fields} />
            </div>
          ))}
        </section>
      </main>
    </>
  );
}
