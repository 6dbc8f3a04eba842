/**
 * Routes of the tenant's reference data: organization setup, currencies and accounting rates, index rate
 * sources, holidays and non-working days, transaction channels, identification document templates.
 */
import type { Router } from "../router";
import { registerChannelRoutes } from "./channels";
import { registerHolidayRoutes } from "./holidays";
import { registerIdTemplateRoutes } from "./id-templates";
import { registerOrganizationRoutes } from "./organization";
import { registerCurrencyRoutes } from "./currencies";
import { registerIndexRateRoutes } from "./index-rates";
import { registerPlatformRoutes } from "./platform";

/** Registers the reference data routes. */
export function registerReferenceRoutes(router: Router): void {
  registerOrganizationRoutes(router);
  registerHolidayRoutes(router);
  registerChannelRoutes(router);
  registerIdTemplateRoutes(router);
  registerCurrencyRoutes(router);
  registerIndexRateRoutes(router);
  registerPlatformRoutes(router);
  void router;
}
