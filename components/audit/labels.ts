import type { AuditRow } from "@/lib/audit/read";

/** A translator of the `audit` namespace, loosely typed (page: getTranslations; CSV: translator). */
export type AuditT = ((key: string) => string) & { has: (key: string) => boolean };

/** Plain-words texts for the audit trail (page and CSV), from the `audit` namespace. */
export function auditLabels(t: AuditT) {
  return {
    what: (action: string) => {
      const key = `actions.${action.replace(/\./g, "_")}`;
      return t.has(key) ? t(key) : action;
    },
    actor: (row: Pick<AuditRow, "actorKind" | "actorName">) => {
      const named = { cli: "actorCli", api: "actorApi", system: "actorSystem", learner: "actorLearner" } as const;
      return row.actorKind === "user" ? (row.actorName ?? t("actorUnknown")) : t(named[row.actorKind]);
    },
    area: (area: string) => t(`areas.${area}`),
  };
}
