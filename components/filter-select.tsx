/**
 * One filter of a list's GET form (audit trail, deliveries, review board): a label and a
 * select whose first choice ("all", "any") is no filter. Plain markup, no script: the
 * form works without JavaScript and the URL is the state.
 */
export function FilterSelect({
  id,
  name,
  label,
  anyLabel,
  value,
  options,
  testId,
}: {
  id: string;
  name: string;
  label: string;
  anyLabel: string;
  /** The value in the URL now; none selects the first choice. */
  value: string | undefined;
  options: readonly { value: string; label: string }[];
  testId?: string;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} name={name} className="input mt-1" defaultValue={value ?? ""} data-testid={testId}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
