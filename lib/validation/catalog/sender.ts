import type { Localized } from "../../i18n/locale";

/**
 * Field messages of the sender settings form (keys used by sender-schema.ts as zod
 * `error`/`message`). To be merged into lib/validation/messages.ts's validationMessages;
 * placeholders such as {ports} come from the issue's `params`.
 */
export const senderValidationMessages: Record<string, Localized> = {
  "sender.address.crlf": {
    de: "Zeilenumbrüche sind hier nicht erlaubt. Bitte die Adresse in einer Zeile eingeben.",
    en: "Line breaks are not allowed here. Please enter the address on one line.",
  },
  "sender.address.multiple": {
    de: "Bitte genau eine Adresse eingeben, nicht mehrere.",
    en: "Please enter exactly one address, not several.",
  },
  "sender.address.group": {
    de: "Bitte eine einzelne Adresse eingeben, keine Adressgruppe.",
    en: "Please enter a single address, not an address group.",
  },
  "sender.address.nameNotAllowed": {
    de: "Bitte nur die Adresse eingeben, ohne Namen (z. B. info@firma.de). Der Anzeigename hat ein eigenes Feld.",
    en: "Please enter the address only, without a name (e.g. info@company.com). The display name has its own field.",
  },
  "sender.address.malformed": {
    de: "Das ist keine gültige E-Mail-Adresse. Sie sieht so aus: name@firma.de",
    en: "This is not a valid e-mail address. It looks like this: name@company.com",
  },
  "sender.address.tooLong": {
    de: "Die Adresse ist zu lang (höchstens 254 Zeichen).",
    en: "The address is too long (at most 254 characters).",
  },
  "sender.displayName.crlf": {
    de: "Zeilenumbrüche und Steuerzeichen sind im Anzeigenamen nicht erlaubt.",
    en: "Line breaks and control characters are not allowed in the display name.",
  },
  "sender.displayName.addressLike": {
    de: "Der Anzeigename darf keine Zeichen wie @, < oder > enthalten – er soll ein Name sein, keine Adresse.",
    en: "The display name must not contain characters such as @, < or > – it should be a name, not an address.",
  },
  "sender.confirmNoReplyTo": {
    de: "Ohne Antwortadresse landen Antworten im unbeachteten Noreply-Postfach und gehen verloren. Bitte eine Antwortadresse eintragen oder bestätigen, dass Sie ohne speichern möchten.",
    en: "Without a Reply-To address, replies go to the unread noreply mailbox and are lost. Please enter a Reply-To address or confirm that you want to save without one.",
  },
  "sender.customerDomainFreeMail": {
    de: "{provider} ist ein privater E-Mail-Dienst: Dessen Domain kann nicht für den Versand über die Plattform freigegeben werden. Bitte eine Adresse Ihrer eigenen Domain verwenden – oder den Modus „Plattform-Adresse“ mit dieser Adresse als Antwortadresse.",
    en: "{provider} is a personal e-mail service: its domain cannot be authorised for sending through the platform. Please use an address in your own domain – or the “platform address” mode with this address as the Reply-To.",
  },
  "sender.host.invalid": {
    de: "Bitte nur den Servernamen eingeben, z. B. smtp.firma.de – ohne „smtp://“ und ohne Port.",
    en: "Please enter the server name only, e.g. smtp.company.com – without “smtp://” and without a port.",
  },
  "sender.port.notAllowed": {
    de: "Dieser Port ist nicht erlaubt. Möglich sind: {ports} (üblich: 587 mit STARTTLS oder 465 mit TLS).",
    en: "This port is not allowed. Possible are: {ports} (usual: 587 with STARTTLS or 465 with TLS).",
  },
  "sender.user.invalid": {
    de: "Der Benutzername darf keine Zeilenumbrüche oder Steuerzeichen enthalten.",
    en: "The user name must not contain line breaks or control characters.",
  },
  "sender.password.invalid": {
    de: "Das Passwort darf keine Zeilenumbrüche oder Steuerzeichen enthalten.",
    en: "The password must not contain line breaks or control characters.",
  },
  "sender.password.required": {
    de: "Bitte das Passwort für den Mailserver eingeben.",
    en: "Please enter the password for the mail server.",
  },
  "sender.password.reenter": {
    de: "Server oder Benutzer wurden geändert – bitte das Passwort erneut eingeben. (Das gespeicherte Passwort wird nie an einen anderen Server geschickt.)",
    en: "The server or user changed – please enter the password again. (The stored password is never sent to a different server.)",
  },
  "sender.user.required": {
    de: "Zu einem Passwort gehört ein Benutzername. Bitte den Benutzernamen eingeben.",
    en: "A password needs a user name. Please enter the user name.",
  },
  "sender.acknowledgeNoTls": {
    de: "Ohne Verschlüsselung gehen Passwort und Mails lesbar durchs Netz. Bitte bestätigen Sie das ausdrücklich – oder wählen Sie TLS oder STARTTLS.",
    en: "Without encryption, the password and the mails travel readable across the network. Please confirm this explicitly – or choose TLS or STARTTLS.",
  },
  "sender.acknowledgeFreeMail": {
    de: "{provider} ist ein privater E-Mail-Dienst und nicht für den Massenversand geeignet. Bitte bestätigen Sie, dass Sie den Hinweis gelesen haben.",
    en: "{provider} is a personal e-mail service and not suitable for bulk sending. Please confirm that you have read the warning.",
  },
  "sender.acknowledgeFreeMailReplyTo": {
    de: "Die Antwortadresse liegt bei {provider}, einem privaten E-Mail-Dienst: Antworten landen im Postfach einer Einzelperson mit kleinem Tageslimit. Bitte bestätigen Sie, dass Sie den Hinweis gelesen haben – oder nehmen Sie eine Adresse Ihrer eigenen Domain.",
    en: "The Reply-To address is on {provider}, a personal e-mail service: replies land in one person's mailbox with a small daily limit. Please confirm that you have read the warning – or use an address in your own domain.",
  },
  "sender.quotaBelowRate": {
    de: "Das Tageslimit muss mindestens so groß sein wie das Limit pro Minute ({rate}).",
    en: "The daily quota must be at least as large as the limit per minute ({rate}).",
  },
  "sender.proofCode": {
    de: "Bitte den 6-stelligen Code aus der Mail eingeben (nur Ziffern).",
    en: "Please enter the 6-digit code from the mail (digits only).",
  },
};
