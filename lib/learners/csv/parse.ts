/**
 * RFC 4180 CSV with the liberties Excel takes: the separator is ";" (German Excel),
 * "," or a tab; fields may be quoted, a doubled quote inside quotes is one quote, and
 * quoted fields may hold separators and line breaks; lines end in CRLF or LF; empty
 * lines (and Excel's rows of bare separators) are skipped, not counted.
 */
export type CsvSeparator = ";" | "," | "\t";

export const SEPARATORS: readonly CsvSeparator[] = [";", ",", "\t"];

/** Excel's separator hint, a first line like `sep=;`; it precedes the header line. */
const SEP_LINE = /^sep=([;,\t])\r?(?:\n|$)/i;

/** The records without Excel's `sep=` line: the header is the next one. */
export function withoutSepLine(records: CsvRecord[]): CsvRecord[] {
  const first = records[0];
  return first && first.fields.length <= 2 && /^sep=$/i.test(first.fields[0] ?? "") ? records.slice(1) : records;
}

/**
 * The separator of the header line: the candidate that occurs most often outside quotes
 * (ties: ";" before tab before ","; none at all: "," — a file of one column).
 */
export function detectSeparator(text: string): CsvSeparator {
  const hint = SEP_LINE.exec(text);
  if (hint) return hint[1] as CsvSeparator;
  const counts: Record<CsvSeparator, number> = { ";": 0, ",": 0, "\t": 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) break;
    else if (!quoted && (c === ";" || c === "," || c === "\t")) counts[c]++;
  }
  let best: CsvSeparator = ",";
  let bestCount = 0;
  for (const sep of SEPARATORS) {
    if (counts[sep] > bestCount) {
      best = sep;
      bestCount = counts[sep];
    }
  }
  return best;
}

export interface CsvRecord {
  /** The file's line number (1-based) where this record starts, as a spreadsheet shows it. */
  line: number;
  fields: string[];
}

/** Where parsing stopped: the text offset and the line number there. */
export interface CsvPosition {
  offset: number;
  line: number;
}

/**
 * Parses `text` into records. `limit` stops after that many records (the preview).
 * A quote left open at the end of the file closes there.
 */
export function parseCsv(text: string, separator: CsvSeparator, limit = Infinity): CsvRecord[] {
  return parseCsvFrom(text, separator, { offset: 0, line: 1 }, limit).records;
}

/**
 * Parses up to `limit` records from `from` on, and says where it stopped: a large file
 * is parsed in slices, so the server can serve other requests in between.
 */
export function parseCsvFrom(
  text: string,
  separator: CsvSeparator,
  from: CsvPosition,
  limit: number,
): { records: CsvRecord[]; next: CsvPosition | null } {
  const records: CsvRecord[] = [];
  const sep = separator.charCodeAt(0);
  const QUOTE = 34;
  const CR = 13;
  const LF = 10;
  const n = text.length;
  let i = from.offset;
  let line = from.line;
  while (i < n && records.length < limit) {
    const startLine = line;
    const fields: string[] = [];
    let field = "";
    for (;;) {
      // One field.
      if (i < n && text.charCodeAt(i) === QUOTE) {
        i++;
        let start = i;
        field = "";
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            field += text.slice(start);
            i = n;
            break;
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            field += text.slice(start, q + 1);
            i = q + 2;
            start = i;
            continue;
          }
          field += text.slice(start, q);
          i = q + 1;
          break;
        }
        for (let k = field.indexOf("\n"); k >= 0; k = field.indexOf("\n", k + 1)) line++;
        // Excel never writes text after a closing quote; if it is there, keep it.
        const rest = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === sep || c === CR || c === LF) break;
          i++;
        }
        if (i > rest) field += text.slice(rest, i);
      } else {
        const start = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === sep || c === CR || c === LF) break;
          i++;
        }
        field = text.slice(start, i);
      }
      fields.push(field);
      if (i < n && text.charCodeAt(i) === sep) {
        i++;
        continue;
      }
      // End of record: CRLF, LF, a lone CR, or the end of the text.
      if (i < n && text.charCodeAt(i) === CR) i++;
      if (i < n && text.charCodeAt(i) === LF) i++;
      line++;
      break;
    }
    if (fields.some((f) => f.trim() !== "")) records.push({ line: startLine, fields });
  }
  return { records, next: i < n ? { offset: i, line } : null };
}
