/**
 * The Services API's routes (paths relative to `/v1`), on a router of their own: the app (../app.ts) sends every
 * `/v1/...` request here, with API v2's authentication, idempotency and limits.
 */
import type { Router } from "../router";
import { registerServicesCardRoutes } from "./cards";
import { registerHoldConfigRoutes } from "./hold-configs";
import { registerServicesReferenceRoutes } from "./reference";

/** Registers every Services API route the sandbox serves. */
export function registerServicesRoutes(router: Router): void {
  registerServicesReferenceRoutes(router);
  registerHoldConfigRoutes(router);
  registerServicesCardRoutes(router);
}
