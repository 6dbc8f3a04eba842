/** Card authorization holds and card financial transactions (the `cards` Swagger file). */
import { MambuValueObject } from "../core/struct";
import type { CardTransactionOutputStruct, GetAuthorizationHoldStruct } from "../generated/types/cards";

/**
 * An authorization hold of a card (Swagger `GetAuthorizationHold`): money reserved on the account
 * linked to the card until it is settled (a financial transaction naming it), decreased or
 * reversed. `externalReferenceId` (its id), `amount`/`originalAmount`/`exchangeRate` (Decimal),
 * `status` (PENDING, REVERSED, SETTLED, EXPIRED), `creditDebitIndicator` (DBIT, CRDT),
 * `cardAcceptor`, `cardToken`, `currencyCode`; date-time fields a tenant adds are DateTimes.
 */
export class MambuAuthorizationHold extends MambuValueObject {
  static override resource = "cards";
  static override definition = "GetAuthorizationHold";
}
export interface MambuAuthorizationHold extends GetAuthorizationHoldStruct {}

/**
 * A card financial transaction as Mambu answers it (Swagger `CardTransactionOutput`):
 * `externalReferenceId`, `amount` (Decimal), `linkedTransaction` (the loan or deposit transaction
 * it posted: `linkedTransactionType`, `linkedTransactionKey`), `externalAuthorizationReferenceId`
 * (the hold it settles), `cardAcceptor`, `transactionChannelId`, `currencyCode`.
 */
export class MambuCardTransaction extends MambuValueObject {
  static override resource = "cards";
  static override definition = "CardTransactionOutput";
}
export interface MambuCardTransaction extends CardTransactionOutputStruct {}
