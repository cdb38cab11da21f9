import type { Role } from "@/lib/users/schema";

/** Who changes trainings and plans; trainers only read and preview. */
export const REMINDER_EDITORS = ["consultant", "admin"] as const satisfies readonly Role[];
