import type { Localized } from "../../i18n/locale";

/** Field messages of consultants' reviews. */
export const reviewValidationMessages: Record<string, Localized> = {
  "review.noteTooLong": {
    de: "Die Notiz darf höchstens {maximum} Zeichen lang sein.",
    en: "The note may be at most {maximum} characters long.",
  },
  "review.noteText": {
    de: "Die Notiz muss Text sein.",
    en: "The note must be text.",
  },
};
