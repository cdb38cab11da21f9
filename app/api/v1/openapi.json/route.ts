import { openApiDocument } from "@/lib/api/openapi";
import { publicRoute } from "../_lib/api-route";

/** GET /api/v1/openapi.json: the generated OpenAPI 3.1 document; no key needed. */
export const GET = publicRoute(async () => Response.json(openApiDocument()));
