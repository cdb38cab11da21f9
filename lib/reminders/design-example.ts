/** The plan and assignment DESIGN.md gives as the `postillion preview` example (tests and docs). */
export const DESIGN_EXAMPLE_PLAN = {
  timezone: "Europe/Vienna",
  anchor: "assigned",
  offsetDays: 1,
  startDate: null,
  sendTime: "08:30",
  repeatEveryDays: 5,
  endDate: "2026-05-31",
  maxSends: 4,
  weekdaysOnly: false,
  escalateAfterSends: null,
} as const;

export const DESIGN_EXAMPLE_ASSIGNMENT = { assignedAt: "2026-05-04T07:30:00Z", dueAt: null, completedAt: null } as const;
