import { and, gte, isNotNull, isNull, lt, or, type SQL } from "drizzle-orm";
import type { Db } from "../db";

/**
 * The one rule for an assignment's status, used by the list, the detail page and the
 * API: withdrawn beats completed beats overdue; an assignment without a due date is
 * open until completed. `assignmentStatusWhere` is the same rule as SQL for the list's
 * filters and counts; status.test.ts checks that the two agree.
 */
export const ASSIGNMENT_STATUSES = ["open", "overdue", "completed", "withdrawn"] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export interface AssignmentDates {
  dueAt: Date | null;
  completedAt: Date | null;
  withdrawnAt: Date | null;
}

export function assignmentStatus(a: AssignmentDates, now: Date): AssignmentStatus {
  if (a.withdrawnAt) return "withdrawn";
  if (a.completedAt) return "completed";
  if (a.dueAt && a.dueAt.getTime() < now.getTime()) return "overdue";
  return "open";
}

/** The rule above as a predicate on `db.t.assignments` (dates bound through the columns, so both dialects). */
export function assignmentStatusWhere(db: Db, status: AssignmentStatus, now: Date): SQL {
  const a = db.t.assignments;
  const pending = and(isNull(a.withdrawnAt), isNull(a.completedAt))!;
  switch (status) {
    case "withdrawn":
      return isNotNull(a.withdrawnAt);
    case "completed":
      return and(isNull(a.withdrawnAt), isNotNull(a.completedAt))!;
    case "overdue":
      return and(pending, lt(a.dueAt, now))!;
    case "open":
      return and(pending, or(isNull(a.dueAt), gte(a.dueAt, now)))!;
  }
}
