import type { Locale } from "@/lib/i18n/locale";
import { HEALTH_RULES, type HealthScore } from "@/lib/review/health";

const BAND_STYLE = {
  good: "bg-green-100 text-green-900",
  watch: "bg-amber-100 text-amber-900",
  act: "bg-red-100 text-red-900",
} as const;

const RULE_TEXT = new Map(HEALTH_RULES.map((r) => [r.id, r.text]));

/** The score as a coloured badge: "60 – watch". */
export function HealthBadge({ health, label, className = "text-xs" }: { health: HealthScore; label: string; className?: string }) {
  return <span className={`rounded px-1.5 py-0.5 font-semibold ${className} ${BAND_STYLE[health.band]}`}>{label}</span>;
}

/** Every rule that cost points, with its points, in the viewer's language. */
export function HealthDeductions({ health, locale, points, className }: { health: HealthScore; locale: Locale; points: (n: number) => string; className: string }) {
  return (
    <ul className={className}>
      {health.deductions.map((d) => (
        <li key={d.id} data-rule={d.id}>
          {points(d.points)} {RULE_TEXT.get(d.id)?.[locale]}
        </li>
      ))}
    </ul>
  );
}
