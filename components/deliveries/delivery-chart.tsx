import { getTranslations } from "next-intl/server";
import type { DayCounts } from "@/lib/delivery/queries";
import type { Locale } from "@/lib/i18n/locale";

const TAG: Record<Locale, string> = { de: "de-DE", en: "en-GB" };

const BAR = 14;
const GAP = 6;
const HEIGHT = 120;
const TOP = 8;
const AXIS = 22;

const SERIES = [
  { key: "sent", className: "fill-emerald-600", swatch: "bg-emerald-600" },
  { key: "failed", className: "fill-red-700", swatch: "bg-red-700" },
  { key: "planned", className: "fill-sky-400", swatch: "bg-sky-400" },
] as const;

/**
 * Mails per local day as a server-rendered SVG bar chart (no script): past days stack
 * sent and failed, today and the days ahead what is planned. The picture is for the
 * eye; the same numbers are a sentence for screen readers and a table one click away.
 */
export async function DeliveryChart({ days, today, locale }: { days: DayCounts[]; today: string; locale: Locale }) {
  const t = await getTranslations("deliveries.chart");
  const dayLabel = (day: string, style: "short" | "long") =>
    new Intl.DateTimeFormat(TAG[locale], style === "short" ? { day: "numeric", month: "numeric", timeZone: "UTC" } : { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" }).format(
      new Date(`${day}T12:00:00Z`),
    );
  const max = Math.max(1, ...days.map((d) => d.sent + d.failed + d.planned));
  const scale = (n: number) => (n / max) * HEIGHT;
  const width = days.length * (BAR + GAP);
  const past = days.filter((d) => d.day < today);
  const ahead = days.filter((d) => d.day >= today);
  const sum = (list: DayCounts[], key: "sent" | "failed" | "planned") => list.reduce((n, d) => n + d[key], 0);
  const summary = t("summary", { sent: sum(past, "sent"), failed: sum(past, "failed"), planned: sum(ahead, "planned") });

  return (
    <div className="space-y-3">
      <ul className="flex flex-wrap gap-4 text-sm" aria-hidden="true">
        {SERIES.map((s) => (
          <li key={s.key} className="flex items-center gap-1.5">
            <span className={`inline-block h-3 w-3 rounded-sm ${s.swatch}`} />
            {t(s.key)}
          </li>
        ))}
      </ul>
      <svg
        viewBox={`0 0 ${width} ${TOP + HEIGHT + AXIS}`}
        className="h-auto w-full max-w-3xl"
        role="img"
        aria-labelledby="delivery-chart-label delivery-chart-summary"
        data-testid="delivery-chart"
      >
        <line x1={0} x2={width} y1={TOP + HEIGHT} y2={TOP + HEIGHT} className="stroke-slate-400" strokeWidth={1} />
        {days.map((d, i) => {
          const x = i * (BAR + GAP) + GAP / 2;
          let y = TOP + HEIGHT;
          const isToday = d.day === today;
          return (
            <g key={d.day} data-day={d.day}>
              <title>{t("bar", { day: dayLabel(d.day, "long"), sent: d.sent, failed: d.failed, planned: d.planned })}</title>
              {isToday ? <rect x={x - GAP / 2} y={0} width={BAR + GAP} height={TOP + HEIGHT} className="fill-slate-100" /> : null}
              {SERIES.map((s) => {
                const h = scale(d[s.key]);
                if (h <= 0) return null;
                y -= h;
                return <rect key={s.key} x={x} y={y} width={BAR} height={Math.max(h, 1)} className={s.className} />;
              })}
              {i % 7 === 0 || isToday ? (
                <text x={x + BAR / 2} y={TOP + HEIGHT + 15} textAnchor="middle" className={`fill-slate-700 text-[9px] ${isToday ? "font-semibold" : ""}`}>
                  {isToday ? t("today") : dayLabel(d.day, "short")}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <span id="delivery-chart-label" className="sr-only">
        {t("label")}
      </span>
      <p id="delivery-chart-summary" className="text-sm text-slate-700">
        {summary}
      </p>
      <details className="text-sm">
        <summary className="cursor-pointer font-medium text-slate-900">{t("asTable")}</summary>
        <div className="mt-2 max-h-96 overflow-y-auto" tabIndex={0} role="region" aria-label={t("caption")}>
          <table className="w-full max-w-lg text-left" data-testid="delivery-chart-table">
            <caption className="sr-only">{t("caption")}</caption>
            <thead className="border-b border-slate-200 text-slate-700">
              <tr>
                <th scope="col" className="py-1 pr-4 font-medium">{t("day")}</th>
                <th scope="col" className="py-1 pr-4 text-right font-medium">{t("sent")}</th>
                <th scope="col" className="py-1 pr-4 text-right font-medium">{t("failed")}</th>
                <th scope="col" className="py-1 text-right font-medium">{t("planned")}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day} className={`border-b border-slate-100 ${d.day === today ? "bg-slate-50 font-medium" : ""}`}>
                  <th scope="row" className="py-1 pr-4 font-normal">
                    {dayLabel(d.day, "long")}
                    {d.day === today ? ` (${t("today")})` : ""}
                  </th>
                  <td className="py-1 pr-4 text-right tabular-nums">{d.sent}</td>
                  <td className="py-1 pr-4 text-right tabular-nums">{d.failed}</td>
                  <td className="py-1 text-right tabular-nums">{d.planned}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
