/**
 * Routes of the tenant's reference data: organization setup, currencies and accounting rates, index rate
 * sources, holidays and non-working days, transaction channels, identification document templates.
 */
import type { Router } from "../router";

/** Registers the reference data routes. */
export function registerReferenceRoutes(router: Router): void {
  void router;
}
