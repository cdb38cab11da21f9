/**
 * The learner list's keyset cursor: the last row's (lastName, firstName, id), opaque to
 * callers (base64url JSON). Shared by the list query and the list-query schema, which
 * refuses a cursor that does not decode.
 */
export interface LearnerCursor {
  lastName: string;
  firstName: string;
  id: string;
}

export function encodeLearnerCursor(c: LearnerCursor): string {
  return Buffer.from(JSON.stringify([c.lastName, c.firstName, c.id]), "utf8").toString("base64url");
}

export function decodeLearnerCursor(value: string): LearnerCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((v) => typeof v === "string")) return null;
    const [lastName, firstName, id] = parsed as string[];
    return { lastName: lastName!, firstName: firstName!, id: id! };
  } catch {
    return null;
  }
}
