import { z } from "zod";

/** An e-mail address as every form, API and CSV row takes it: trimmed, lower-cased. */
export const emailSchema = z
  .string({ error: "v.required" })
  .trim()
  .toLowerCase()
  .min(1, { error: "v.required" })
  .max(254, { error: "v.tooLong" })
  .pipe(z.email({ error: "v.email" }));
