import { z } from "zod";
import { externalIdSchema } from "./schema";

/**
 * The inputs of the learner pages' small forms (deactivate or reactivate a learner,
 * mark an assignment completed, withdraw it). The learner is named by its internal id
 * (the page's URL); the training by the external id the assignment carries.
 */
const learnerIdSchema = z.string({ error: "v.invalid" }).uuid({ error: "v.invalid" });

export const learnerActiveFormSchema = z.object({
  learnerId: learnerIdSchema,
  active: z.enum(["true", "false"], { error: "v.choice" }).transform((v) => v === "true"),
});
export type LearnerActiveForm = z.output<typeof learnerActiveFormSchema>;

export const assignmentFormSchema = z.object({
  learnerId: learnerIdSchema,
  trainingExternalId: externalIdSchema,
});
export type AssignmentForm = z.output<typeof assignmentFormSchema>;
