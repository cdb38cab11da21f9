/**
 * Bytes of an uploaded CSV file → text. German Excel writes "CSV (Trennzeichen-getrennt)"
 * in Windows-1252 and "CSV UTF-8" with a byte-order mark; "Unicode-Text" is UTF-16 LE.
 * Valid UTF-8 is UTF-8 (a Windows-1252 file with umlauts is almost never valid UTF-8),
 * anything else is read as Windows-1252.
 */
export type CsvEncoding = "utf-8" | "windows-1252" | "utf-16le";

export interface DecodedCsv {
  text: string;
  encoding: CsvEncoding;
}

/*
 * Windows-1252's 0x80–0x9F. Node 20's TextDecoder("windows-1252") decodes these bytes
 * as Latin-1 control characters (U+0080–U+009F) instead of € „ “ ” – —, so the table
 * is ours; 0x81, 0x8D, 0x8F, 0x90 and 0x9D are unassigned and keep their code point.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length);
    const codes = new Array<number>(end - start);
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      codes[i - start] = b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b;
    }
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join("");
}

export function decodeCsv(bytes: Uint8Array): DecodedCsv {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le" };
  }
  try {
    // fatal: a byte sequence that is not UTF-8 throws; the BOM, if any, is dropped.
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: "windows-1252" };
  }
}

/** Encodes text as Windows-1252 (tests and the benchmark write files as German Excel does). */
export function encodeWindows1252(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const high = CP1252_HIGH.indexOf(code);
    if (high >= 0 && code > 0xff) out[i] = 0x80 + high;
    else if (code <= 0xff) out[i] = code;
    else out[i] = 0x3f; // "?" as Excel writes a character the code page lacks
  }
  return out;
}
