/**
 * Routes of the tenant as a platform: API consumers and their keys (`/consumers`, `/apikey/rotation`), data
 * imports (`/data/import`), communication messages (`/communications/messages`), database backups (`/database/backup`). Application status and the
 * end-of-day cron are in ../reference/platform.ts.
 */
import type { Router } from "../router";
import { registerConsumerRoutes } from "./consumers";
import { registerDataImportRoutes } from "./data-import";
import { registerCommunicationRoutes } from "./communications";
import { registerDatabaseBackupRoutes } from "./database-backup";

/** Registers the platform routes. */
export function registerTenantPlatformRoutes(router: Router): void {
  registerConsumerRoutes(router);
  registerDataImportRoutes(router);
  registerCommunicationRoutes(router);
  registerDatabaseBackupRoutes(router);
}
