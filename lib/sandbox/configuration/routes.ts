/** Routes of configuration as code: the `configuration/*.yaml` endpoints (GET and PUT of YAML documents). */
import type { Router } from "../router";

/** Registers the configuration-as-code routes. */
export function registerConfigurationRoutes(router: Router): void {
  void router;
}
