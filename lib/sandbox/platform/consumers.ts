/** Routes of API consumers, their API keys and secret keys, key rotation (not served yet). */
import type { Router } from "../router";

/** Registers the routes of API consumers, their API keys and secret keys, key rotation. */
export function registerConsumerRoutes(router: Router): void {
  void router;
}
