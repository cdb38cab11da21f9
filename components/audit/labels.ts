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
    actor: (row: Pick<AuditRow, "actorKind" | "actorName">) =>
      row.actorKind === "cli"
        ? t("actorCli")
        : row.actorKind === "api"
          ? t("actorApi")
          : row.actorKind === "learner"
            ? t("actorLearner")
            : (row.actorName ?? t("actorUnknown")),
    area: (area: string) => t(`areas.${area}`),
  };
}
