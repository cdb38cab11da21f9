import { ScrollTable } from "../scroll-table";
import { getFormatter, getTranslations } from "next-intl/server";
import { AUDITED_FIELDS } from "@/lib/sender/service";

export interface HistoryEntry {
  id: string;
  action: string;
  details: Record<string, unknown> | null;
  createdAt: Date;
  actorName: string | null;
  actorEmail: string | null;
}

const KNOWN_ACTIONS = ["sender.save", "sender.proof.send", "sender.proof.verify", "sender.test.connection", "sender.test.mail"];
const FIELDS = [...AUDITED_FIELDS, "password"] as const;

/** The last changes and checks from the audit log: who, when, what (secrets are redacted there). */
export async function SenderHistory({ entries }: { entries: HistoryEntry[] }) {
  const t = await getTranslations("sender");
  const format = await getFormatter();
  if (entries.length === 0) return <p className="text-sm text-slate-700">{t("historyEmpty")}</p>;

  const value = (v: unknown) => (v === null || v === undefined || v === "" ? t("historyNone") : String(v));
  const describe = (e: HistoryEntry): string => {
    const d = e.details ?? {};
    if (e.action === "sender.save") {
      const changes = (d.changes ?? {}) as Record<string, unknown>;
      const parts = FIELDS.filter((f) => f in changes).map((f) => {
        if (f === "password") return t("historyPasswordChanged");
        const c = changes[f] as { from?: unknown; to?: unknown };
        const show = (x: unknown) => (f === "mode" && typeof x === "string" ? t(`modes.${x as "platform"}.title`) : value(x));
        return `${t(`fields.${f}`)}: ${show(c.from)} → ${show(c.to)}`;
      });
      const acks = [
        d.freeMailAcknowledged ? t("historyFreeMailAck") : null,
        d.noTlsAcknowledged ? t("historyNoTlsAck") : null,
        d.noReplyToConfirmed ? t("historyNoReplyToAck") : null,
      ].filter(Boolean);
      return [...(parts.length ? parts : [t("historyNoChanges")]), ...acks].join("; ");
    }
    if (e.action === "sender.proof.send") return t("historyProofSend", { address: value(d.address) });
    if (e.action === "sender.proof.verify") {
      return t(d.result === "ok" ? "historyProofOk" : "historyProofWrong", { address: value(d.address) });
    }
    return d.ok ? t("historyCheckOk") : t("historyCheckFailed", { failure: value(d.failure) });
  };

  return (
    <ScrollTable label={t("historyTitle")}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{t("historyTitle")}</caption>
        <thead>
          <tr className="border-b border-slate-200">
            <th scope="col" className="py-2 pr-4 font-medium">
              {t("historyWhen")}
            </th>
            <th scope="col" className="py-2 pr-4 font-medium">
              {t("historyWho")}
            </th>
            <th scope="col" className="py-2 pr-4 font-medium">
              {t("historyWhat")}
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} className="border-b border-slate-100 align-top" data-testid="history-row">
              <td className="whitespace-nowrap py-2 pr-4">{format.dateTime(e.createdAt, { dateStyle: "medium", timeStyle: "short" })}</td>
              <td className="py-2 pr-4">{e.actorName || e.actorEmail || t("historyUnknown")}</td>
              <td className="py-2 pr-4">
                <span className="font-medium">{t(`historyActions.${KNOWN_ACTIONS.includes(e.action) ? e.action.replaceAll(".", "_") : "other"}`)}</span>
                {" – "}
                {describe(e)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}
