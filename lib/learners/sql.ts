// The multi-row upsert and the tenant predicate moved down to lib/db/sql.ts (the delivery
// planner writes the outbox with them too); kept here for the learner queries' imports.
export { differs, excluded, jsonUpsert, sameTenant } from "../db/sql";
