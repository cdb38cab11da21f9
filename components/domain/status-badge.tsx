/** Status shown as text and symbol, never by colour alone. */
export type BadgeTone = "ok" | "warning" | "error" | "pending" | "temporary" | "running" | "waiting";

const STYLE: Record<BadgeTone, { symbol: string; className: string }> = {
  ok: { symbol: "✓", className: "border-emerald-300 bg-emerald-50 text-emerald-900" },
  warning: { symbol: "!", className: "border-amber-300 bg-amber-50 text-amber-900" },
  error: { symbol: "✕", className: "border-red-300 bg-red-50 text-red-900" },
  pending: { symbol: "○", className: "border-slate-300 bg-slate-50 text-slate-800" },
  temporary: { symbol: "↻", className: "border-sky-300 bg-sky-50 text-sky-900" },
  running: { symbol: "…", className: "border-slate-300 bg-white text-slate-800" },
  waiting: { symbol: "·", className: "border-slate-200 bg-white text-slate-700" },
};

export function StatusBadge({ tone, label }: { tone: BadgeTone; label: string }) {
  const s = STYLE[tone];
  return (
    <span className={`inline-flex shrink-0 items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${s.className}`} data-status={tone}>
      <span aria-hidden="true">{s.symbol}</span>
      {label}
    </span>
  );
}
