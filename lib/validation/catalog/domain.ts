import type { Localized } from "../../i18n/locale";

/**
 * Validation messages of the domain input, in the style of
 * lib/validation/messages.ts (keys used as zod issue messages; {placeholders}
 * come from the params).
 */
export const domainValidationMessages: Record<string, Localized> = {
  "v.domain.required": {
    de: "Bitte die Domain eingeben, z. B. firma.de.",
    en: "Please enter the domain, e.g. company.com.",
  },
  "v.domain.invalid": {
    de: "Das ist kein gültiger Domainname. Beispiel: firma.de",
    en: "This is not a valid domain name. Example: company.com",
  },
  "v.domain.email": {
    de: "Bitte nur die Domain eingeben – den Teil nach dem @, z. B. {domain}.",
    en: "Please enter only the domain – the part after the @, e.g. {domain}.",
  },
  "v.domain.url": {
    de: "Bitte nur die Domain eingeben, ohne https:// und Pfad, z. B. {domain}.",
    en: "Please enter only the domain, without https:// and path, e.g. {domain}.",
  },
  "v.domain.ip": {
    de: "Bitte einen Domainnamen eingeben, keine IP-Adresse.",
    en: "Please enter a domain name, not an IP address.",
  },
  "v.domain.singleLabel": {
    de: "Der Domain fehlt die Endung, z. B. „.de“ oder „.com“.",
    en: "The domain lacks its ending, e.g. “.com” or “.de”.",
  },
  "v.domain.tooLong": {
    de: "Ein Domainname hat höchstens 253 Zeichen.",
    en: "A domain name has at most 253 characters.",
  },
  "v.domain.label": {
    de: "„{label}“: Jeder Teil zwischen den Punkten hat 1–63 Zeichen (Buchstaben, Ziffern, Bindestrich) und beginnt und endet nicht mit einem Bindestrich.",
    en: "“{label}”: each part between the dots has 1–63 characters (letters, digits, hyphen) and does not begin or end with a hyphen.",
  },
  "v.domain.tld": {
    de: "Die Endung „{label}“ ist ungültig: sie darf nicht nur aus Ziffern bestehen.",
    en: "The ending “{label}” is invalid: it must not consist of digits only.",
  },
  "v.dkim.selector": {
    de: "Der Selektor besteht aus Kleinbuchstaben, Ziffern und Bindestrichen (1–63 Zeichen), z. B. pst1.",
    en: "The selector consists of lower-case letters, digits and hyphens (1–63 characters), e.g. pst1.",
  },
};
