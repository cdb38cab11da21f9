import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { ModeGuide } from "@/components/sender/mode-guide";
import { SenderHistory } from "@/components/sender/sender-history";
import type { SenderFormInitial } from "@/components/sender/sender-settings-form";
import { SenderStatus } from "@/components/sender/sender-status";
import { config } from "@/lib/config/platform-profile";
import type { Locale } from "@/lib/i18n/locale";
import { countActiveLearners } from "@/lib/learners/queries";
import { listSenderHistory } from "@/lib/sender/queries";
import { loadSendingVerdict } from "@/lib/sender/sending-block";
import { senderEnvironment } from "@/lib/sender/service";
import { throughputPresets } from "@/lib/sender/throughput";
import { requireTenantPage } from "@/app/_server/guard";
import { sectionRoles } from "../sections";
import {
  saveSenderSettingsAction,
  sendProofCodeAction,
  sendTestMailAction,
  testConnectionAction,
  verifyProofCodeAction,
} from "./actions";
import { ClientMessages } from "@/app/_i18n/client-messages";
import { AddressProofForms, SenderSettingsForm, SmtpCheckPanel } from "@/components/sender/islands";

export async function generateMetadata() {
  const t = await getTranslations("sender");
  return { title: t("title") };
}

export default async function SenderPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, actor, tenant } = await requireTenantPage(slug, sectionRoles("sender"));
  const t = await getTranslations("sender");
  const tm = await getTranslations("monitor");
  const format = await getFormatter();
  const locale = (await getLocale()) as Locale;
  const env = senderEnvironment(config());
  const { overview, verdict } = await loadSendingVerdict(db, { tenantId: tenant.id, relayConfigured: !!env.relayUrl, viewer: actor.role, now: new Date() });
  const [history, activeLearners] = await Promise.all([
    listSenderHistory(db, { tenantId: tenant.id, limit: 10 }),
    countActiveLearners(db, { tenantId: tenant.id }),
  ]);
  const s = overview.settings;
  const presets = throughputPresets(env.defaults).map((p) => ({
    id: p.id,
    label: p.label[locale],
    note: p.note[locale],
    ratePerMinute: p.ratePerMinute,
    dailyQuota: p.dailyQuota,
  }));

  // Only what the form shows; the password (even encrypted) never goes to the browser.
  const initial: SenderFormInitial = {
    version: s?.updatedAt ?? "unsaved",
    mode: s?.mode ?? "platform",
    noreplyAddress: s?.noreplyAddress ?? env.profile.noreplyAddresses[0] ?? "",
    displayName: s?.displayName ?? tenant.name,
    replyTo: s?.replyTo ?? "",
    fromAddress: s?.fromAddress ?? "",
    host: s?.smtpHost ?? "",
    port: String(s?.smtpPort ?? 587),
    security: s?.smtpSecurity ?? "starttls",
    user: s?.smtpUser ?? "",
    hasPassword: s?.hasPassword ?? false,
    ratePerMinute: String(s?.ratePerMinute ?? env.defaults.ratePerMinute),
    dailyQuota: String(s?.dailyQuota ?? env.defaults.dailyQuota),
    confirmNoReplyTo: s?.noReplyToConfirmed ?? false,
    acknowledgeFreeMail: s?.freeMailAcknowledged ?? false,
    acknowledgeNoTls: s?.noTlsAcknowledged ?? false,
  };

  // One provider for the page's three client islands (settings, proof, SMTP test).
  return (
    <ClientMessages namespaces={["sender"]}>
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="mt-1 text-slate-700">{t("intro")}</p>
      </div>

      <SenderStatus overview={overview} verdict={verdict} />

      <section aria-labelledby="guide-heading" className="space-y-3">
        <h2 id="guide-heading" className="text-lg font-semibold">
          {t("guideTitle")}
        </h2>
        <p className="text-sm text-slate-700">{t("guideIntro")}</p>
        <ModeGuide active={s?.mode ?? null} relayConfigured={!!env.relayUrl} operator={actor.role === "consultant"} />
      </section>

      <section className="card space-y-4" aria-labelledby="settings-heading">
        <h2 id="settings-heading" className="text-lg font-semibold">
          {t("settingsTitle")}
        </h2>
        <SenderSettingsForm
          action={saveSenderSettingsAction}
          tenantSlug={tenant.slug}
          initial={initial}
          noreplyAddresses={[...env.profile.noreplyAddresses]}
          presets={presets}
          learnerCount={activeLearners}
        />
      </section>

      {s?.mode === "customer_domain" && overview.proof ? (
        <section className="card space-y-4" aria-labelledby="proof-heading">
          <h2 id="proof-heading" className="text-lg font-semibold">
            {t("proofTitle")}
          </h2>
          <dl className="grid gap-2 text-sm sm:grid-cols-[auto_1fr] sm:gap-x-6">
            <dt className="font-medium">{t("domainCheckLabel")}</dt>
            <dd data-testid="domain-check-state">
              {overview.domainCheck
                ? t("domainCheckState", {
                    domain: overview.domainCheck.domain,
                    verdict: t(`verdicts.${overview.domainCheck.status === "failed" ? "failed" : (overview.domainCheck.verdict ?? "running")}`),
                    when: format.dateTime(new Date(overview.domainCheck.at), { dateStyle: "medium", timeStyle: "short" }),
                  })
                : t("domainNotChecked", { domain: overview.domain ?? "" })}{" "}
              <Link className="link" href={`/t/${tenant.slug}/domain`}>
                {t("domainCheckLink")}
              </Link>
            </dd>
            <dt className="font-medium">{t("proofLabel")}</dt>
            <dd data-testid="proof-state">
              {overview.proof.verified
                ? t("proofVerified", {
                    address: overview.proof.address,
                    when: format.dateTime(new Date(overview.proof.verifiedAt!), { dateStyle: "medium", timeStyle: "short" }),
                  })
                : overview.proof.pending
                  ? t("proofPending", {
                      address: overview.proof.address,
                      until: format.dateTime(new Date(overview.proof.expiresAt!), { timeStyle: "short" }),
                      tries: overview.proof.triesLeft,
                    })
                  : t("proofMissing", { address: overview.proof.address })}
            </dd>
          </dl>
          {overview.proof.verified ? null : (
            <AddressProofForms
              tenantSlug={tenant.slug}
              sendCode={sendProofCodeAction}
              verifyCode={verifyProofCodeAction}
              pending={overview.proof.pending}
            />
          )}
        </section>
      ) : null}

      {s?.mode === "custom_smtp" ? (
        <section className="card space-y-4" aria-labelledby="checks-heading">
          <h2 id="checks-heading" className="text-lg font-semibold">
            {t("checksTitle")}
          </h2>
          <p className="text-sm text-slate-700" data-testid="last-test">
            {s.lastTest
              ? s.lastTest.via === "worker"
                ? tm("lastTestAutomatic", {
                    when: format.dateTime(new Date(s.lastTest.at), { dateStyle: "medium", timeStyle: "short" }),
                    kind: t("kindConnection"),
                    result: tm(s.lastTest.ok ? "resultOk" : "resultFailed"),
                  })
                : t(s.lastTest.ok ? "lastTestOk" : "lastTestFailed", {
                    when: format.dateTime(new Date(s.lastTest.at), { dateStyle: "medium", timeStyle: "short" }),
                    kind: t(s.lastTest.kind === "connection" ? "kindConnection" : "kindMail"),
                  })
              : t("lastTestNone")}
          </p>
          <p className="text-sm text-slate-700">{tm("recheckNote")}</p>
          <SmtpCheckPanel
            tenantSlug={tenant.slug}
            testConnection={testConnectionAction}
            sendTestMail={sendTestMailAction}
            defaultRecipient={actor.email}
          />
        </section>
      ) : null}

      <section className="card space-y-3" aria-labelledby="history-heading">
        <h2 id="history-heading" className="text-lg font-semibold">
          {t("historyTitle")}
        </h2>
        <SenderHistory entries={history} />
      </section>
    </div>
    </ClientMessages>
  );
}
