import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { AppHeader } from "@/components/app-header";
import { headerAlerts } from "@/app/_server/header-alerts";
import { ScrollTable } from "@/components/scroll-table";
import { DEMO_BOUNCE_ADDRESSES } from "@/lib/demo/live";
import { MAILBOX_PAGE_LIMIT } from "@/lib/demo/mailbox";
import { setLocaleAction } from "@/app/_server/locale-action";
import { loadMailbox } from "./shared";

export const metadata: Metadata = { title: "Demo mailbox / Demo-Postfach" };
export const dynamic = "force-dynamic";

const cell = "py-2 pr-4 align-top";

export default async function DemoMailboxPage() {
  const { actor, entries } = await loadMailbox();
  const t = await getTranslations("demoMailbox");
  const format = await getFormatter();
  const shown = entries.slice(0, MAILBOX_PAGE_LIMIT);
  return (
    <>
      <AppHeader actor={actor} unreadAlerts={await headerAlerts(actor)} setLocale={setLocaleAction} />
      <main id="main" className="mx-auto max-w-6xl space-y-6 px-6 py-8">
        <div className="space-y-2">
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          <p className="text-slate-700">{t("intro")}</p>
          <p className="text-slate-700">{t("bounce", { addresses: DEMO_BOUNCE_ADDRESSES.join(", ") })}</p>
        </div>
        <section className="card space-y-3" aria-labelledby="mailbox-heading">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="mailbox-heading" className="text-lg font-semibold" data-testid="mailbox-count">
              {t("count", { count: entries.length })}
            </h2>
            <Link className="btn-secondary" href="/demo/mailbox">{t("refresh")}</Link>
          </div>
          {shown.length === 0 ? (
            <p className="text-slate-700">{t("empty")}</p>
          ) : (
            <ScrollTable label={t("tableLabel")}>
              <table className="w-full text-left text-sm">
                <thead className="border-b border-slate-200 text-slate-700">
                  <tr>
                    <th scope="col" className={`${cell} font-medium`}>{t("received")}</th>
                    <th scope="col" className={`${cell} font-medium`}>{t("to")}</th>
                    <th scope="col" className={`${cell} font-medium`}>{t("subject")}</th>
                    <th scope="col" className={`${cell} font-medium`}>{t("from")}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((e) => (
                    <tr key={e.id} className="border-b border-slate-100">
                      <td className={`${cell} whitespace-nowrap`}>
                        {format.dateTime(new Date(e.receivedAt), { dateStyle: "short", timeStyle: "medium" })}
                      </td>
                      <td className={cell}>{e.to.join(", ")}</td>
                      <td className={cell}>
                        <Link className="link" href={`/demo/mailbox/${e.id}`}>{e.subject || t("noSubject")}</Link>
                      </td>
                      <td className={cell}>{e.from}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          )}
          {entries.length > shown.length ? <p className="text-sm text-slate-700">{t("more", { count: entries.length - shown.length })}</p> : null}
        </section>
      </main>
    </>
  );
}
