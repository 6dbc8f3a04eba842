/** Routes of communication messages (not served yet). */
import type { Router } from "../router";

/** Registers the routes of communication messages. */
export function registerCommunicationRoutes(router: Router): void {
  void router;
}
