import type { z } from "zod";
import { deliveryListQuerySchema } from "../deliveries/schema";
import type { Localized } from "../i18n/locale";
import {
  assignmentPutSchema,
  completionSchema,
  learnerBatchSchema,
  learnerListQuerySchema,
  learnerPutSchema,
  learnerRowSchema,
  MAX_BATCH,
  trainingPutSchema,
} from "../learners/schema";
import * as out from "./schemas";
import type { ProblemKind } from "./problem";

/**
 * Every operation of /api/v1, once: the OpenAPI document (lib/api/openapi.ts), the
 * reference page (/docs/api) and the test that calls each documented operation read
 * this table. Texts in English and German; the document carries English, with the
 * German in `x-de-*` extensions for the reference page.
 */

export type HttpMethod = "get" | "put" | "post" | "delete";

/** Request bodies (io "input") and responses (io "output"), by component name. */
export const INPUT_SCHEMAS = {
  TrainingInput: trainingPutSchema,
  LearnerInput: learnerPutSchema,
  LearnerRowInput: learnerRowSchema,
  LearnerBatchInput: learnerBatchSchema,
  AssignmentInput: assignmentPutSchema,
  CompletionInput: completionSchema,
} as const satisfies Record<string, z.ZodType>;

export const OUTPUT_SCHEMAS = {
  Training: out.trainingOut,
  Learner: out.learnerOut,
  Assignment: out.assignmentOut,
  LearnerListItem: out.learnerListItemOut,
  LearnerDetail: out.learnerDetailOut,
  TrainingResult: out.trainingResultOut,
  LearnerResult: out.learnerResultOut,
  AssignmentResult: out.assignmentResultOut,
  CompletionResult: out.completionResultOut,
  WithdrawResult: out.withdrawResultOut,
  BatchResult: out.batchResultOut,
  LearnerList: out.learnerListOut,
  Delivery: out.deliveryOut,
  DeliveryList: out.deliveryListOut,
  Problem: out.problemOut,
} as const satisfies Record<string, z.ZodType>;

export type InputSchemaName = keyof typeof INPUT_SCHEMAS;
export type OutputSchemaName = keyof typeof OUTPUT_SCHEMAS;

export interface ParamSpec {
  name: string;
  description: Localized;
  example: string;
}

export interface ResponseSpec {
  description: Localized;
  schema?: OutputSchemaName;
  /** An error answer: application/problem+json of this kind. */
  problem?: ProblemKind;
  headers?: Record<string, Localized>;
}

export interface Operation {
  operationId: string;
  method: HttpMethod;
  path: string;
  tag: "Trainings" | "Learners" | "Assignments" | "Deliveries" | "Meta";
  summary: Localized;
  description: Localized;
  /** Needs a bearer API key. */
  auth: boolean;
  pathParams?: ParamSpec[];
  query?: z.ZodObject;
  body?: { schema: InputSchemaName; example: unknown };
  responses: Record<number, ResponseSpec>;
}

/** Field descriptions, by property name (bodies, query parameters and answers). */
export const FIELD_DESCRIPTIONS: Record<string, Localized> = {
  externalId: { en: "The learning platform's id of the record (no spaces, no / \\ ? # %).", de: "Die ID des Eintrags in der Lernplattform (ohne Leerzeichen und / \\ ? # %)." },
  learnerExternalId: { en: "The learner's external id.", de: "Die externe ID der lernenden Person." },
  trainingExternalId: { en: "The training's external id.", de: "Die externe ID der Schulung." },
  name: { en: "The training's name as learners see it in reminders.", de: "Der Name der Schulung, wie ihn Lernende in Erinnerungen lesen." },
  link: { en: "Where the learner takes the training (http or https URL), or null.", de: "Wo die Schulung absolviert wird (http- oder https-Adresse), oder null." },
  email: { en: "E-mail address (stored lower-case).", de: "E-Mail-Adresse (wird kleingeschrieben gespeichert)." },
  firstName: { en: "First name.", de: "Vorname." },
  lastName: { en: "Last name.", de: "Nachname." },
  locale: { en: "Language of the learner's reminders: de, en, or null for the tenant's language.", de: "Sprache der Erinnerungen: de, en oder null für die Sprache des Mandanten." },
  responsibleName: { en: "Name of the responsible person (supervisor), or null.", de: "Name der verantwortlichen Person (Vorgesetzte), oder null." },
  responsibleEmail: { en: "E-mail of the responsible person, who receives the weekly digest, or null.", de: "E-Mail der verantwortlichen Person, die die Wochenübersicht erhält, oder null." },
  active: { en: "false stops every pending reminder of the learner. Default true.", de: "false stoppt alle ausstehenden Erinnerungen der Person. Standard: true." },
  learners: { en: `The learners, 1 to ${MAX_BATCH}; all are saved or none.`, de: `Die Lernenden, 1 bis ${MAX_BATCH}; alle werden gespeichert oder keiner.` },
  assignedAt: { en: "When the training was assigned (ISO-8601 instant with zone).", de: "Wann die Schulung zugewiesen wurde (ISO-8601-Zeitpunkt mit Zone)." },
  dueAt: { en: "When it is due (ISO-8601 instant with zone), or null.", de: "Wann sie fällig ist (ISO-8601-Zeitpunkt mit Zone), oder null." },
  completedAt: { en: "When the learner completed it (ISO-8601 instant with zone).", de: "Wann die Person sie abgeschlossen hat (ISO-8601-Zeitpunkt mit Zone)." },
  withdrawnAt: { en: "When the assignment was withdrawn, or null.", de: "Wann die Zuweisung zurückgezogen wurde, oder null." },
  status: { en: "The state (see the listed values).", de: "Der Zustand (siehe die aufgeführten Werte)." },
};

/** Query parameter descriptions, by name. */
export const QUERY_DESCRIPTIONS: Record<string, Localized> = {
  status: { en: "Filter by status.", de: "Nach Status filtern." },
  q: { en: "Search in name and e-mail (case-insensitive).", de: "Suche in Name und E-Mail (ohne Groß-/Kleinschreibung)." },
  training: { en: "Only learners with an assignment of this training (external id).", de: "Nur Lernende mit einer Zuweisung dieser Schulung (externe ID)." },
  cursor: { en: "The `nextCursor` of the previous page.", de: "Der `nextCursor` der vorigen Seite." },
  limit: { en: "Items per page.", de: "Einträge je Seite." },
  since: { en: "Only deliveries changed at or after this instant (ISO-8601 with zone).", de: "Nur Zustellungen, die sich zu oder nach diesem Zeitpunkt geändert haben (ISO-8601 mit Zone)." },
};

const extId = (name: string, example: string): ParamSpec => ({ name, description: FIELD_DESCRIPTIONS[name] ?? FIELD_DESCRIPTIONS.externalId!, example });

const R = {
  unauthorized: { description: { en: "No valid API key.", de: "Kein gültiger API-Schlüssel." }, problem: "unauthorized", headers: { "WWW-Authenticate": { en: "Bearer", de: "Bearer" } } },
  rateLimited: {
    description: { en: "Over the key's rate; retry after `Retry-After` seconds.", de: "Über der Rate des Schlüssels; nach `Retry-After` Sekunden erneut versuchen." },
    problem: "rateLimited",
    headers: { "Retry-After": { en: "Seconds until the next window.", de: "Sekunden bis zum nächsten Zeitfenster." } },
  },
  notFound: { description: { en: "No such record in this tenant.", de: "Kein solcher Eintrag in diesem Mandanten." }, problem: "notFound" },
  malformed: { description: { en: "The body is not a JSON object.", de: "Der Inhalt ist kein JSON-Objekt." }, problem: "malformed" },
  badQuery: { description: { en: "A query parameter is invalid; `errors` names it.", de: "Ein Abfrageparameter ist ungültig; `errors` nennt ihn." }, problem: "badQuery" },
  tooLarge: { description: { en: "The body is larger than 2 MB.", de: "Der Inhalt ist größer als 2 MB." }, problem: "payloadTooLarge" },
  mediaType: { description: { en: "The body is not application/json.", de: "Der Inhalt ist kein application/json." }, problem: "unsupportedMediaType" },
  invalid: { description: { en: "Fields are invalid; `errors` names each. Nothing was saved.", de: "Felder sind ungültig; `errors` nennt jedes. Nichts wurde gespeichert." }, problem: "invalid" },
} as const satisfies Record<string, ResponseSpec>;

const withBody = { 400: R.malformed, 401: R.unauthorized, 413: R.tooLarge, 415: R.mediaType, 422: R.invalid, 429: R.rateLimited };
const created = (schema: OutputSchemaName, what: Localized): Record<number, ResponseSpec> => ({
  200: { description: { en: `${what.en} updated or unchanged (\`result\` says which).`, de: `${what.de} geändert oder unverändert (\`result\` sagt, was).` }, schema },
  201: { description: { en: `${what.en} created.`, de: `${what.de} angelegt.` }, schema },
});

export const OPERATIONS: Operation[] = [
  {
    operationId: "putTraining",
    method: "put",
    path: "/trainings/{externalId}",
    tag: "Trainings",
    summary: { en: "Create or update a training", de: "Schulung anlegen oder ändern" },
    description: {
      en: "Idempotent upsert by the training's external id. Answers 201 when created, 200 with `result` `updated` or `unchanged` otherwise.",
      de: "Idempotentes Anlegen oder Ändern über die externe ID. 201, wenn angelegt, sonst 200 mit `result` `updated` oder `unchanged`.",
    },
    auth: true,
    pathParams: [extId("externalId", "course-101")],
    body: { schema: "TrainingInput", example: { name: "Data protection basics", link: "https://learn.example.com/courses/101" } },
    responses: { ...created("TrainingResult", { en: "Training", de: "Schulung" }), ...withBody },
  },
  {
    operationId: "putLearner",
    method: "put",
    path: "/learners/{externalId}",
    tag: "Learners",
    summary: { en: "Create or update a learner", de: "Lernende Person anlegen oder ändern" },
    description: {
      en: "Idempotent upsert by the learner's external id. `active: false` stops the learner's pending reminders.",
      de: "Idempotentes Anlegen oder Ändern über die externe ID. `active: false` stoppt die ausstehenden Erinnerungen der Person.",
    },
    auth: true,
    pathParams: [extId("externalId", "emp-4711")],
    body: {
      schema: "LearnerInput",
      example: { email: "anna.berger@example.com", firstName: "Anna", lastName: "Berger", locale: "de", responsibleName: "Jonas Weber", responsibleEmail: "jonas.weber@example.com", active: true },
    },
    responses: { ...created("LearnerResult", { en: "Learner", de: "Person" }), ...withBody },
  },
  {
    operationId: "upsertLearnerBatch",
    method: "post",
    path: "/learners/batch",
    tag: "Learners",
    summary: { en: "Create or update up to 1,000 learners", de: "Bis zu 1.000 Lernende anlegen oder ändern" },
    description: {
      en: "All rows are saved or none. A bad row is named in `errors` as `learners[3].email`; a duplicate external id in one batch is invalid too.",
      de: "Alle Zeilen werden gespeichert oder keine. Eine fehlerhafte Zeile nennt `errors` als `learners[3].email`; eine doppelte externe ID in einem Aufruf ist ebenfalls ungültig.",
    },
    auth: true,
    body: {
      schema: "LearnerBatchInput",
      example: {
        learners: [
          { externalId: "emp-4711", email: "anna.berger@example.com", firstName: "Anna", lastName: "Berger" },
          { externalId: "emp-4712", email: "ben.kraus@example.com", firstName: "Ben", lastName: "Kraus", locale: "en" },
        ],
      },
    },
    responses: {
      200: { description: { en: "Counts and the result of each row, in request order.", de: "Zählung und Ergebnis jeder Zeile, in der Reihenfolge der Anfrage." }, schema: "BatchResult" },
      ...withBody,
    },
  },
  {
    operationId: "putAssignment",
    method: "put",
    path: "/assignments/{learnerExternalId}/{trainingExternalId}",
    tag: "Assignments",
    summary: { en: "Assign a training to a learner", de: "Schulung einer Person zuweisen" },
    description: {
      en: "Idempotent upsert of the assignment. Re-assigning a withdrawn assignment opens it again. 404 when the learner or the training is unknown in this tenant.",
      de: "Idempotentes Anlegen oder Ändern der Zuweisung. Eine zurückgezogene Zuweisung wird wieder geöffnet. 404, wenn Person oder Schulung in diesem Mandanten unbekannt sind.",
    },
    auth: true,
    pathParams: [extId("learnerExternalId", "emp-4711"), extId("trainingExternalId", "course-101")],
    body: { schema: "AssignmentInput", example: { assignedAt: "2026-05-04T07:30:00Z", dueAt: "2026-06-30T22:00:00Z" } },
    responses: { ...created("AssignmentResult", { en: "Assignment", de: "Zuweisung" }), 404: R.notFound, ...withBody },
  },
  {
    operationId: "withdrawAssignment",
    method: "delete",
    path: "/assignments/{learnerExternalId}/{trainingExternalId}",
    tag: "Assignments",
    summary: { en: "Withdraw an assignment", de: "Zuweisung zurückziehen" },
    description: {
      en: "Marks the assignment withdrawn and stops its pending reminders at once. Withdrawing twice answers 200 with `withdrawn: false`.",
      de: "Markiert die Zuweisung als zurückgezogen und stoppt ihre ausstehenden Erinnerungen sofort. Ein zweites Zurückziehen antwortet 200 mit `withdrawn: false`.",
    },
    auth: true,
    pathParams: [extId("learnerExternalId", "emp-4711"), extId("trainingExternalId", "course-101")],
    responses: {
      200: { description: { en: "Withdrawn (or already withdrawn).", de: "Zurückgezogen (oder bereits zurückgezogen)." }, schema: "WithdrawResult" },
      401: R.unauthorized,
      404: R.notFound,
      429: R.rateLimited,
    },
  },
  {
    operationId: "recordCompletion",
    method: "post",
    path: "/completions",
    tag: "Assignments",
    summary: { en: "Record a completion", de: "Abschluss melden" },
    description: {
      en: "Marks the learner's assignment of the training completed and stops its pending reminders at once.",
      de: "Markiert die Zuweisung als abgeschlossen und stoppt ihre ausstehenden Erinnerungen sofort.",
    },
    auth: true,
    body: { schema: "CompletionInput", example: { learnerExternalId: "emp-4711", trainingExternalId: "course-101", completedAt: "2026-05-20T14:05:00Z" } },
    responses: {
      200: { description: { en: "Recorded (`result` `unchanged` when it already was).", de: "Gemeldet (`result` `unchanged`, wenn es schon so war)." }, schema: "CompletionResult" },
      404: R.notFound,
      ...withBody,
    },
  },
  {
    operationId: "listLearners",
    method: "get",
    path: "/learners",
    tag: "Learners",
    summary: { en: "List learners", de: "Lernende auflisten" },
    description: {
      en: "Ordered by last name, first name. Follow `nextCursor` (as `cursor`) until it is null.",
      de: "Sortiert nach Nachname, Vorname. `nextCursor` (als `cursor`) folgen, bis er null ist.",
    },
    auth: true,
    query: learnerListQuerySchema,
    responses: {
      200: { description: { en: "One page of learners.", de: "Eine Seite Lernender." }, schema: "LearnerList" },
      400: R.badQuery,
      401: R.unauthorized,
      429: R.rateLimited,
    },
  },
  {
    operationId: "getLearner",
    method: "get",
    path: "/learners/{externalId}",
    tag: "Learners",
    summary: { en: "Get a learner with assignments", de: "Person mit Zuweisungen abrufen" },
    description: { en: "The learner and each assignment with its status.", de: "Die Person und jede Zuweisung mit ihrem Status." },
    auth: true,
    pathParams: [extId("externalId", "emp-4711")],
    responses: {
      200: { description: { en: "The learner.", de: "Die Person." }, schema: "LearnerDetail" },
      401: R.unauthorized,
      404: R.notFound,
      429: R.rateLimited,
    },
  },
  {
    operationId: "listDeliveries",
    method: "get",
    path: "/deliveries",
    tag: "Deliveries",
    summary: { en: "List reminder deliveries", de: "Zustellungen von Erinnerungen auflisten" },
    description: {
      en: "The tenant's outbox: every reminder and digest, oldest change first. Poll with `since` (the last `updatedAt` you saw) or follow `nextCursor`.",
      de: "Der Postausgang des Mandanten: jede Erinnerung und Übersicht, älteste Änderung zuerst. Mit `since` (dem zuletzt gesehenen `updatedAt`) abfragen oder `nextCursor` folgen.",
    },
    auth: true,
    query: deliveryListQuerySchema,
    responses: {
      200: { description: { en: "One page of deliveries.", de: "Eine Seite Zustellungen." }, schema: "DeliveryList" },
      400: R.badQuery,
      401: R.unauthorized,
      429: R.rateLimited,
    },
  },
  {
    operationId: "getOpenApi",
    method: "get",
    path: "/openapi.json",
    tag: "Meta",
    summary: { en: "This API's OpenAPI 3.1 document", de: "Das OpenAPI-3.1-Dokument dieser API" },
    description: { en: "Generated from the same schemas that validate the requests. No key needed.", de: "Aus denselben Schemas erzeugt, die die Anfragen prüfen. Ohne Schlüssel abrufbar." },
    auth: false,
    responses: { 200: { description: { en: "The document.", de: "Das Dokument." } } },
  },
];
