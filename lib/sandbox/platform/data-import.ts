/** Routes of data imports (not served yet). */
import type { Router } from "../router";

/** Registers the routes of data imports. */
export function registerDataImportRoutes(router: Router): void {
  void router;
}
