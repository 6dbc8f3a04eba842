/**
 * The Payments API's routes (paths relative to `/api/v1`), on the gateway's own router: the app (../app.ts) sends
 * every `/api/v1/...` request to the gateway (./gateway.ts), which authenticates (apikey), checks bodies against
 * payments-v1.json, replays Idempotency-Keys and answers errors as TppMessagesResponse (./tpp.ts).
 *
 * Who owns which file (two helpers built this directory; keep to your own registration line below):
 * - H4 (the gateway): gateway.ts, contract.ts, tpp.ts, routes.ts, identifications.ts, iban.ts, blocking-rules.ts,
 *   money.ts, payment-records.ts, credit-transfers*.ts, iso20022*.ts, incoming*.ts, callout*.ts, log.ts.
 * - H6: collections*.ts and standing-orders*.ts. Building blocks to use from H4's files:
 *   `depositForIdentification` (IBAN → v2 deposit account, identifications.ts), `debitDeposit` / `creditDeposit` /
 *   `reverseMovement` / `checkAmountFor` (money.ts), `blockingRuleApplies` (blocking-rules.ts: a blocked collection
 *   is rejected, pacs.002 reason MS02), `tppError` / `TppError` (tpp.ts), the store collections `paycollections`,
 *   `paystandingorders`, `paysoexecutions` (../types.ts), and the outgoing messages of callout.ts.
 */
import type { Router } from "../router";
import { registerBlockingRuleRoutes } from "./blocking-rules";
import { registerCreditTransferRoutes } from "./credit-transfers";
import { registerIdentificationRoutes } from "./identifications";
import { registerIncomingRoutes } from "./incoming";
import { registerLogRoutes } from "./log";
import { registerCollectionRoutes } from "./collections";
import { registerStandingOrderRoutes } from "./standing-orders";

/** Registers every Payments API route the sandbox serves. */
export function registerPaymentsRoutes(router: Router): void {
  // H4: account identifications, blocking rules, credit transfers, incoming messages, log.
  registerIdentificationRoutes(router);
  registerBlockingRuleRoutes(router);
  registerCreditTransferRoutes(router);
  registerIncomingRoutes(router);
  registerLogRoutes(router);
  // H6: collections (POST /collections, GET /collections/{collectionId}).
  registerCollectionRoutes(router);
  // H6: standing orders (/payments/standing-orders...).
  registerStandingOrderRoutes(router);
}
