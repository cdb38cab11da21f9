import type { ReviewChange } from "@/lib/review/reviews";

export interface ReviewChangesText {
  title: (change: ReviewChange) => string;
  field: (name: string) => string;
  who: (entry: ReviewChange["entries"][number]) => string;
  when: (at: Date) => string;
  created: string;
  fieldHeader: string;
  before: string;
  after: string;
  empty: string;
  changedBy: string;
  entry: (who: string, date: string) => string;
}

/** The changes since a review: per changed thing its fields at the review and now, and who changed it when. */
export function ReviewChanges({ changes, text }: { changes: ReviewChange[]; text: ReviewChangesText }) {
  return (
    <ul className="space-y-6">
      {changes.map((change) => {
        const id = `change-${change.kind}-${change.target}`.replace(/[^A-Za-z0-9_-]/g, "-");
        return (
          <li key={id} className="space-y-2" data-testid="review-change" data-kind={change.kind}>
            <h3 id={id} className="font-semibold">
              {text.title(change)}
              {change.created ? <span className="ml-2 rounded bg-sky-100 px-2 py-0.5 text-xs font-semibold text-sky-900">{text.created}</span> : null}
            </h3>
            {change.fields.length > 0 ? (
              <div className="overflow-x-auto">
                <table className="w-full text-left text-sm" aria-labelledby={id}>
                  <thead className="border-b border-slate-200 text-slate-700">
                    <tr>
                      <th scope="col" className="py-1 pr-4 font-medium">{text.fieldHeader}</th>
                      <th scope="col" className="py-1 pr-4 font-medium">{text.before}</th>
                      <th scope="col" className="py-1 font-medium">{text.after}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {change.fields.map((f) => (
                      <tr key={f.field} className="border-b border-slate-100 align-top" data-testid="review-field" data-field={f.field}>
                        <th scope="row" className="py-1 pr-4 font-normal">{text.field(f.field)}</th>
                        <td className="break-all py-1 pr-4" data-testid="review-before">{f.before ?? text.empty}</td>
                        <td className="break-all py-1" data-testid="review-after">{f.after ?? text.empty}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            <p className="text-sm text-slate-700">
              {text.changedBy}:{" "}
              {change.entries.map((e, i) => (
                <span key={`${e.at.getTime()}-${i}`}>
                  {i > 0 ? "; " : ""}
                  <time dateTime={e.at.toISOString()}>{text.entry(text.who(e), text.when(e.at))}</time>
                </span>
              ))}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
