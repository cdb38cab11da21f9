import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { AppHeader } from "@/components/app-header";
import { headerAlerts } from "@/app/_server/header-alerts";
import { readMailboxMessage } from "@/lib/demo/mailbox";
import { setLocaleAction } from "@/app/_server/locale-action";
import { loadMailbox } from "../shared";

export const metadata: Metadata = { title: "Demo mailbox / Demo-Postfach" };
export const dynamic = "force-dynamic";

/** One caught mail: its envelope, the text part, every header one click away. */
export default async function DemoMailboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { dir, actor, entries } = await loadMailbox();
  const entry = entries.find((e) => e.id === id);
  const message = entry ? await readMailboxMessage(dir, entry) : null;
  if (!message) notFound();
  const t = await getTranslations("demoMailbox");
  const format = await getFormatter();
  return (
    <>
      <AppHeader actor={actor} unreadAlerts={await headerAlerts(actor)} setLocale={setLocaleAction} />
      <main id="main" className="mx-auto max-w-4xl space-y-6 px-6 py-8">
        <p>
          <Link className="link" href="/demo/mailbox">{t("back")}</Link>
        </p>
        <h1 className="text-2xl font-semibold">{message.entry.subject || t("noSubject")}</h1>
        <dl className="card grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="font-medium">{t("received")}</dt>
          <dd>{format.dateTime(new Date(message.entry.receivedAt), { dateStyle: "medium", timeStyle: "medium" })}</dd>
          <dt className="font-medium">{t("envelopeFrom")}</dt>
          <dd>{message.entry.from}</dd>
          <dt className="font-medium">{t("envelopeTo")}</dt>
          <dd>{message.entry.to.join(", ")}</dd>
          <dt className="font-medium">Message-ID</dt>
          <dd className="break-all font-mono text-xs">{message.entry.messageId ?? "—"}</dd>
        </dl>
        <section className="card space-y-2" aria-labelledby="text-heading">
          <h2 id="text-heading" className="text-lg font-semibold">{t("textPart")}</h2>
          {message.hasHtml ? <p className="text-sm text-slate-700">{t("htmlToo")}</p> : null}
          <pre className="overflow-x-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-3 text-sm" tabIndex={0} data-testid="mail-text">
            {message.text ?? t("noText")}
          </pre>
        </section>
        <details className="card">
          <summary className="cursor-pointer font-semibold">{t("headers", { count: message.headers.length })}</summary>
          <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-xs">
            {message.headers.map((h, i) => (
              <div key={i} className="contents">
                <dt className="font-mono font-medium">{h.name}</dt>
                <dd className="break-all font-mono">{h.value}</dd>
              </div>
            ))}
          </dl>
        </details>
      </main>
    </>
  );
}
