/** The largest request body /api/v1 reads: a full batch of 1,000 learners fits with room to spare. */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** The fixed-window rule every API key's requests count against (limit from API_RATE_PER_MINUTE). */
export const API_RATE_SCOPE = "api.requests";
export const API_RATE_WINDOW_MS = 60_000;
