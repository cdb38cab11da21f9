import { rolesFor } from "@/lib/auth/policy";

/** Who changes trainings and plans (lib/auth/policy decides); trainers only read and preview. */
export const REMINDER_EDITORS = rolesFor("reminders.edit");
