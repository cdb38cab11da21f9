/** An entry's details in plain terms: each change as before → after, other facts as name: value. */
export function AuditDetails({ details, labels }: { details: Record<string, unknown>; labels: { before: string; after: string } }) {
  const { changes, ...rest } = details;
  const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  const changeRows =
    changes && typeof changes === "object" && !Array.isArray(changes) ? Object.entries(changes as Record<string, unknown>) : [];
  return (
    <dl className="mt-2 space-y-1 text-xs">
      {changeRows.map(([field, v]) => {
        const pair = v && typeof v === "object" && "to" in v ? (v as { from?: unknown; to?: unknown }) : null;
        return (
          <div key={`c-${field}`}>
            <dt className="inline font-medium">{field}: </dt>
            <dd className="inline break-all">
              {pair ? (
                <>
                  <span className="text-slate-700">{labels.before}</span> {text(pair.from ?? "—")} → <span className="text-slate-700">{labels.after}</span>{" "}
                  {text(pair.to ?? "—")}
                </>
              ) : (
                text(v)
              )}
            </dd>
          </div>
        );
      })}
      {Object.entries(rest).map(([key, v]) => (
        <div key={key}>
          <dt className="inline font-medium">{key}: </dt>
          <dd className="inline break-all">{text(v)}</dd>
        </div>
      ))}
    </dl>
  );
}
