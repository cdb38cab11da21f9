import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { SendingVerdict } from "@/lib/sender/sending-block";
import type { SenderOverview } from "@/lib/sender/service";

/**
 * "No reminders are being sent" with each reason and where to fix it. Rendered wherever
 * a plan could look active while nothing goes out (reminders list, plan page). Links
 * only for viewers who may open the section (trainers are told whom to ask).
 */
export async function SendingBlocked({
  sending: { overview, verdict },
  tenantSlug,
  canFix,
}: {
  /** What loadSendingVerdict returned. */
  sending: { overview: SenderOverview; verdict: SendingVerdict };
  tenantSlug: string;
  canFix: boolean;
}) {
  if (verdict.canSend) return null;
  const domain = overview.domain;
  const address = overview.proof?.address ?? null;
  const t = await getTranslations("sending");
  const places = [...new Set(verdict.reasons.map((r) => r.fix))].filter((f) => f !== "platform_config");
  return (
    <section className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950" aria-labelledby="sending-blocked-heading" data-testid="sending-blocked">
      <h2 id="sending-blocked-heading" className="text-lg font-semibold">
        {t("blockedTitle")}
      </h2>
      <p className="mt-1 text-sm">{t("blockedIntro")}</p>
      <ul className="mt-1 list-disc space-y-1 pl-5 text-sm">
        {verdict.reasons.map(({ reason }) => (
          <li key={reason}>{t(`reasons.${reason}`, { domain: domain ?? "", address: address ?? "" })}</li>
        ))}
      </ul>
      {canFix ? (
        places.length > 0 ? (
          <p className="mt-2 flex flex-wrap gap-3 text-sm">
            {places.map((place) => (
              <Link key={place} className="link font-medium" href={`/t/${tenantSlug}/${place}`}>
                {t(`fix.${place}`)}
              </Link>
            ))}
          </p>
        ) : null
      ) : (
        <p className="mt-2 text-sm">{t("askAdmin")}</p>
      )}
    </section>
  );
}
