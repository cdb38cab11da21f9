import { z } from "zod";

/**
 * The inputs of the learner pages' small forms (deactivate or reactivate a learner,
 * mark an assignment completed, withdraw it). The learner and the assignment are named
 * by their internal ids: an assignment to a training without an external id (created
 * in the app, assigned by the CSV import) can be closed too.
 */
const internalIdSchema = z.string({ error: "v.invalid" }).uuid({ error: "v.invalid" });

export const learnerActiveFormSchema = z.object({
  learnerId: internalIdSchema,
  active: z.enum(["true", "false"], { error: "v.choice" }).transform((v) => v === "true"),
});
export type LearnerActiveForm = z.output<typeof learnerActiveFormSchema>;

export const assignmentFormSchema = z.object({
  learnerId: internalIdSchema,
  assignmentId: internalIdSchema,
});
export type AssignmentForm = z.output<typeof assignmentFormSchema>;
