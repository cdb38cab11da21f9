import Link from "next/link";
import { headers } from "next/headers";
import { getFormatter, getTranslations } from "next-intl/server";
import { CreateApiKeyForm, RevokeApiKeyButton } from "@/components/api-keys/islands";
import { ScrollTable } from "@/components/scroll-table";
import { expiryDisplay, firstExpiryDay } from "@/lib/api-keys/schema";
import { apiKeyStatus, listApiKeys, type ApiKeyStatus } from "@/lib/api-keys/service";
import { ClientMessages } from "@/app/_i18n/client-messages";
import { requireTenantPage } from "@/app/_server/guard";
import { sectionRoles } from "../sections";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

const STATUS_STYLE: Record<ApiKeyStatus, string> = {
  active: "border-emerald-700 bg-emerald-50 text-emerald-900",
  expired: "border-amber-700 bg-amber-50 text-amber-950",
  revoked: "border-slate-500 bg-slate-100 text-slate-800",
};

/** The address the learning platform calls, as this request reached us. */
async function apiBaseUrl(): Promise<string> {
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const loopback = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(host);
  const proto = h.get("x-forwarded-proto") ?? (loopback ? "http" : "https");
  return `${proto}://${host}/api/v1`;
}

export default async function ApiKeysPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, tenant } = await requireTenantPage(slug, sectionRoles("apiKeys"));
  const t = await getTranslations("apiKeys");
  const format = await getFormatter();
  const now = new Date();
  const [keys, baseUrl] = await Promise.all([listApiKeys(db, { tenantId: tenant.id }), apiBaseUrl()]);
  const zone = { timeZone: tenant.timezone };
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short", ...zone });
  const expiry = (d: Date) => {
    const shown = expiryDisplay(d, tenant.timezone);
    if ("at" in shown) return when(shown.at);
    return t("through", { date: format.dateTime(new Date(`${shown.through}T12:00:00Z`), { dateStyle: "medium", timeZone: "UTC" }) });
  };

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="mt-1 text-slate-700">{t("intro")}</p>
      </div>

      <section className="card space-y-4" aria-labelledby="create-api-key-heading">
        <h2 id="create-api-key-heading" className="text-lg font-semibold">
          {t("createTitle")}
        </h2>
        <ClientMessages namespaces={["apiKeys"]}>
          <CreateApiKeyForm
            action={createApiKeyAction}
            tenantSlug={tenant.slug}
            timezone={tenant.timezone}
            firstDay={firstExpiryDay(tenant.timezone, now)}
          />
        </ClientMessages>
      </section>

      <section className="card space-y-4" aria-labelledby="api-keys-heading">
        <h2 id="api-keys-heading" className="text-lg font-semibold">
          {t("listTitle")}
        </h2>
        {keys.length === 0 ? (
          <p className="text-slate-700">{t("empty")}</p>
        ) : (
          <ScrollTable label={t("listTitle")}>
            <ClientMessages namespaces={["apiKeys"]}>
              <table className="w-full text-left text-sm">
                <thead className="border-b border-slate-200 text-slate-700">
                  <tr>
                    <th scope="col" className="py-2 pr-4 font-medium">{t("name")}</th>
                    <th scope="col" className="py-2 pr-4 font-medium">{t("prefix")}</th>
                    <th scope="col" className="py-2 pr-4 font-medium">{t("status")}</th>
                    <th scope="col" className="py-2 pr-4 font-medium">{t("createdAt")}</th>
                    <th scope="col" className="py-2 pr-4 font-medium">{t("createdBy")}</th>
                    <th scope="col" className="py-2 pr-4 font-medium">{t("lastUsed")}</th>
                    <th scope="col" className="py-2 pr-4 font-medium">{t("expires")}</th>
                    <th scope="col" className="py-2 font-medium"><span className="sr-only">{t("actions")}</span></th>
                  </tr>
                </thead>
                <tbody>
                  {keys.map((k) => {
                    const status = apiKeyStatus(k, now);
                    return (
                      <tr key={k.id} className="border-b border-slate-100 align-top" data-testid={`api-key-${k.prefix}`}>
                        <th scope="row" className="py-2 pr-4 font-medium">{k.name}</th>
                        <td className="py-2 pr-4 font-mono">{k.prefix}…</td>
                        <td className="py-2 pr-4">
                          <span className={`inline-flex rounded-full border px-2 py-0.5 text-xs font-semibold ${STATUS_STYLE[status]}`}>
                            {t(`statuses.${status}`)}
                          </span>
                          {k.revokedAt ? <span className="mt-1 block text-xs text-slate-700">{when(k.revokedAt)}</span> : null}
                        </td>
                        <td className="py-2 pr-4">{when(k.createdAt)}</td>
                        <td className="py-2 pr-4">{k.createdBy ? (k.createdByName ?? "—") : t("byCli")}</td>
                        <td className="py-2 pr-4">{k.lastUsedAt ? when(k.lastUsedAt) : t("never")}</td>
                        <td className="py-2 pr-4">{k.expiresAt ? expiry(k.expiresAt) : t("noExpiry")}</td>
                        <td className="py-2">
                          <RevokeApiKeyButton
                            action={revokeApiKeyAction}
                            tenantSlug={tenant.slug}
                            keyId={k.id}
                            name={k.name}
                            revoked={status === "revoked"}
                          />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </ClientMessages>
          </ScrollTable>
        )}
      </section>

      <section className="card space-y-3" aria-labelledby="api-keys-how-heading">
        <h2 id="api-keys-how-heading" className="text-lg font-semibold">
          {t("howTitle")}
        </h2>
        <dl className="space-y-1 text-sm">
          <dt className="font-medium text-slate-900">{t("baseUrl")}</dt>
          <dd>
            <code className="break-all rounded bg-slate-100 px-1.5 py-0.5 font-mono" data-testid="api-base-url">{baseUrl}</code>
          </dd>
        </dl>
        <p className="text-sm text-slate-800">{t("howText")}</p>
        <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-sm text-slate-50">
          <code>Authorization: Bearer pst_…</code>
        </pre>
        <p>
          <Link className="link" href="/docs/api">
            {t("docs")}
          </Link>
        </p>
        <details className="text-sm text-slate-700">
          <summary className="cursor-pointer font-medium text-slate-900">{t("detailsTitle")}</summary>
          <p className="mt-2">{t("details")}</p>
        </details>
      </section>
    </div>
  );
}
